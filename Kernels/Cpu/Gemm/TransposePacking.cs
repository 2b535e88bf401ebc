using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Packing that has to transpose, done eight k steps at a time with in-register 8×8 transposes
/// (float32, AVX): a row-major A sliver (each row's k values are contiguous but the sliver wants
/// the MR rows side by side for each k) and a column-major B sliver (likewise for NR columns).
/// The scalar loops this replaces move one element per load and store; these move eight. Convolution
/// gradients are the big users: gy and im2col are both k-contiguous there.
/// </summary>
internal static unsafe class TransposePacking
{
    /// <summary>True when the AVX transposes are available.</summary>
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// <c>dst[p·mr + i] = a[i·rowStride + p]</c> for i &lt; <paramref name="mr"/>, p &lt; <paramref name="kc"/>,
    /// for a full sliver (mr rows) whose mr is a multiple of 4 (8 + 4 for the 12-row AVX-512 sliver).
    /// </summary>
    public static void PackRowMajorA(float* a, long rowStride, int kc, int mr, float* dst)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            int i = 0;
            for (; i + 8 <= mr; i += 8) TransposeEight(a, i, rowStride, p, dst + (long)p * mr + i, mr);
            if (i + 4 <= mr)
            {
                // Four remaining rows: transpose with four zero rows and keep the lower halves.
                var zero = Vector256<float>.Zero;
                var (c0, c1, c2, c3, c4, c5, c6, c7) = Transpose(
                    Row(a, i, rowStride, p), Row(a, i + 1, rowStride, p), Row(a, i + 2, rowStride, p), Row(a, i + 3, rowStride, p),
                    zero, zero, zero, zero);
                float* target = dst + (long)p * mr + i;
                c0.GetLower().Store(target); c1.GetLower().Store(target + mr); c2.GetLower().Store(target + 2 * mr); c3.GetLower().Store(target + 3 * mr);
                c4.GetLower().Store(target + 4 * mr); c5.GetLower().Store(target + 5 * mr); c6.GetLower().Store(target + 6 * mr); c7.GetLower().Store(target + 7 * mr);
            }
        }
        for (; p < kc; p++)
            for (int i = 0; i < mr; i++) dst[(long)p * mr + i] = a[i * rowStride + p];
    }

    /// <summary>
    /// <c>dst[p·nr + j] = b[j·colStride + p]</c> for j &lt; <paramref name="nr"/>, p &lt; <paramref name="kc"/>,
    /// for a full sliver (nr columns, a multiple of 8).
    /// </summary>
    public static void PackColumnMajorB(float* b, long colStride, int kc, int nr, float* dst)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            for (int j = 0; j < nr; j += 8) TransposeEight(b, j, colStride, p, dst + (long)p * nr + j, nr);
        }
        for (; p < kc; p++)
            for (int j = 0; j < nr; j++) dst[(long)p * nr + j] = b[j * colStride + p];
    }

    /// <summary>
    /// Reads eight values (p … p + 7) of eight consecutive lines from <paramref name="first"/> on and writes
    /// them transposed: value p + q of line first + i goes to <c>target[q·targetStride + i]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeEight(float* origin, int first, long lineStride, int p, float* target, int targetStride)
    {
        var (c0, c1, c2, c3, c4, c5, c6, c7) = Transpose(
            Row(origin, first, lineStride, p), Row(origin, first + 1, lineStride, p), Row(origin, first + 2, lineStride, p), Row(origin, first + 3, lineStride, p),
            Row(origin, first + 4, lineStride, p), Row(origin, first + 5, lineStride, p), Row(origin, first + 6, lineStride, p), Row(origin, first + 7, lineStride, p));
        c0.Store(target); c1.Store(target + targetStride); c2.Store(target + 2 * targetStride); c3.Store(target + 3 * targetStride);
        c4.Store(target + 4 * targetStride); c5.Store(target + 5 * targetStride); c6.Store(target + 6 * targetStride); c7.Store(target + 7 * targetStride);
    }

    private static Vector256<float> Row(float* origin, int line, long lineStride, int p) => Vector256.Load(origin + line * lineStride + p);

    /// <summary>The 8×8 transpose: returns the columns of the matrix whose rows are r0 … r7.</summary>
    // Inlined: returned through memory, the eight vectors cost a store and a load each.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>, Vector256<float>)
        Transpose(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
                  Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7)
    {
        // Interleave pairs of rows, then pairs of pairs (within 128-bit lanes), then swap lane halves.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        return (Avx.Permute2x128(s0, s4, 0x20), Avx.Permute2x128(s1, s5, 0x20), Avx.Permute2x128(s2, s6, 0x20), Avx.Permute2x128(s3, s7, 0x20),
                Avx.Permute2x128(s0, s4, 0x31), Avx.Permute2x128(s1, s5, 0x31), Avx.Permute2x128(s2, s6, 0x31), Avx.Permute2x128(s3, s7, 0x31));
    }
}
