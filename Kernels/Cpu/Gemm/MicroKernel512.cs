using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The AVX-512 micro-kernel: C[12 × 2·w] = alpha·(A sliver · B sliver) + beta·C with w = Vector512&lt;T&gt;.Count,
/// the whole tile held in 24 vector registers (of 32 zmm). Per k step it loads two vectors of B and
/// broadcasts 12 values of A into 24 fused multiply-adds.
/// </summary>
internal static unsafe class MicroKernel512
{
    /// <summary>Rows of the register tile.</summary>
    public const int MR = 12;

    /// <summary>
    /// Multiplies the packed slivers <paramref name="a"/> (kc × MR) and <paramref name="b"/> (kc × NR) and
    /// writes the top-left <paramref name="rows"/> × <paramref name="cols"/> of the tile to C at
    /// <paramref name="c"/> with the given strides: C = alpha·AB + beta·C (beta = 0 ignores C).
    /// </summary>
    [SkipLocalsInit]
    public static void Run<T>(int kc, T* a, T* b, T* c, long rowStride, long colStride, int rows, int cols, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default;
        Vector512<T> c10 = default, c11 = default;
        Vector512<T> c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default;
        Vector512<T> c40 = default, c41 = default;
        Vector512<T> c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default;
        Vector512<T> c70 = default, c71 = default;
        Vector512<T> c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default;
        Vector512<T> c100 = default, c101 = default;
        Vector512<T> c110 = default, c111 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<T> b0 = Vector512.Load(b);
            Vector512<T> b1 = Vector512.Load(b + w);
            Vector512<T> x;
            x = Vector512.Create(a[0]); c00 = Fma(x, b0, c00); c01 = Fma(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Fma(x, b0, c10); c11 = Fma(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Fma(x, b0, c20); c21 = Fma(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Fma(x, b0, c30); c31 = Fma(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Fma(x, b0, c40); c41 = Fma(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Fma(x, b0, c50); c51 = Fma(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Fma(x, b0, c60); c61 = Fma(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Fma(x, b0, c70); c71 = Fma(x, b1, c71);
            x = Vector512.Create(a[8]); c80 = Fma(x, b0, c80); c81 = Fma(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Fma(x, b0, c90); c91 = Fma(x, b1, c91);
            x = Vector512.Create(a[10]); c100 = Fma(x, b0, c100); c101 = Fma(x, b1, c101);
            x = Vector512.Create(a[11]); c110 = Fma(x, b0, c110); c111 = Fma(x, b1, c111);
            a += MR;
            b += 2 * w;
        }

        // Full tiles with unit column stride go straight to C; edge or strided tiles go through a
        // buffer and are scattered with exactly the same arithmetic, so results do not depend on
        // where the tile boundaries fall.
        bool direct = rows == MR && cols == 2 * w && colStride == 1;
        T* tile = stackalloc T[MR * 2 * w];
        T* target = direct ? c : tile;
        long step = direct ? rowStride : 2 * w;
        bool betaIsZero = !direct || beta == T.Zero;
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        StoreRow(target + 0 * step, c00, c01, va, vb, betaIsZero);
        StoreRow(target + 1 * step, c10, c11, va, vb, betaIsZero);
        StoreRow(target + 2 * step, c20, c21, va, vb, betaIsZero);
        StoreRow(target + 3 * step, c30, c31, va, vb, betaIsZero);
        StoreRow(target + 4 * step, c40, c41, va, vb, betaIsZero);
        StoreRow(target + 5 * step, c50, c51, va, vb, betaIsZero);
        StoreRow(target + 6 * step, c60, c61, va, vb, betaIsZero);
        StoreRow(target + 7 * step, c70, c71, va, vb, betaIsZero);
        StoreRow(target + 8 * step, c80, c81, va, vb, betaIsZero);
        StoreRow(target + 9 * step, c90, c91, va, vb, betaIsZero);
        StoreRow(target + 10 * step, c100, c101, va, vb, betaIsZero);
        StoreRow(target + 11 * step, c110, c111, va, vb, betaIsZero);
        if (!direct) GemmTile.Scatter(tile, 2 * w, c, rowStride, colStride, rows, cols, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T>(T* target, Vector512<T> v0, Vector512<T> v1, Vector512<T> alpha, Vector512<T> beta, bool betaIsZero)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector512<T>.Count;
        if (betaIsZero)
        {
            (v0 * alpha).Store(target);
            (v1 * alpha).Store(target + w);
        }
        else
        {
            Fma(Vector512.Load(target), beta, v0 * alpha).Store(target);
            Fma(Vector512.Load(target + w), beta, v1 * alpha).Store(target + w);
        }
    }

    /// <summary>x·y + z with one rounding, for float or double lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Fma<T>(Vector512<T> x, Vector512<T> y, Vector512<T> z) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        throw new NotSupportedException($"gemm: element type {typeof(T).Name} is not supported");
    }
}
