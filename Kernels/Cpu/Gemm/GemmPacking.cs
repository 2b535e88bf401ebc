using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Copies slivers of A and B into the contiguous, k-major order the micro-kernel reads, padding
/// partial slivers with zeros so the micro-kernel always computes full tiles. Any row and column
/// stride is accepted; the two common layouts (unit column stride, unit row stride — i.e. a
/// transposed operand) each have a sequential-read loop, and the two that must transpose on the way
/// (row-major A, column-major B) use <see cref="TransposePacking"/>'s 8×8 register transposes for full
/// float32 slivers.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs <paramref name="rows"/> (≤ <paramref name="mr"/>) rows × <paramref name="kc"/> columns of A,
    /// starting at <paramref name="a"/>, as <c>dst[p·mr + i] = A[i, p]</c>; rows past the edge are zero.
    /// </summary>
    public static void PackA<T>(T* a, long rowStride, long colStride, int rows, int kc, int mr, T* dst)
        where T : unmanaged
    {
        if (colStride == 1 && rows == mr && mr % 4 == 0 && typeof(T) == typeof(float) && TransposePacking.IsSupported)
        {
            TransposePacking.PackRowMajorA((float*)a, rowStride, kc, mr, (float*)dst);
        }
        else if (colStride == 1)
        {
            // Row-major A: read each row sequentially, write it down a column of the sliver.
            for (int i = 0; i < rows; i++)
            {
                T* source = a + i * rowStride;
                T* target = dst + i;
                for (int p = 0; p < kc; p++) target[(long)p * mr] = source[p];
            }
            ZeroRows(dst, rows, mr, kc);
        }
        else if (rowStride == 1)
        {
            // Column-major (transposed) A: each k step is a contiguous run of rows.
            for (int p = 0; p < kc; p++)
            {
                T* source = a + p * colStride;
                T* target = dst + (long)p * mr;
                for (int i = 0; i < rows; i++) target[i] = source[i];
                for (int i = rows; i < mr; i++) target[i] = default;
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                T* target = dst + (long)p * mr;
                for (int i = 0; i < rows; i++) target[i] = a[i * rowStride + p * colStride];
                for (int i = rows; i < mr; i++) target[i] = default;
            }
        }
    }

    /// <summary>
    /// Packs <paramref name="kc"/> rows × <paramref name="cols"/> (≤ <paramref name="nr"/>) columns of B,
    /// starting at <paramref name="b"/>, as <c>dst[p·nr + j] = B[p, j]</c>; columns past the edge are zero.
    /// </summary>
    public static void PackB<T>(T* b, long rowStride, long colStride, int cols, int kc, int nr, T* dst)
        where T : unmanaged
    {
        if (colStride == 1)
        {
            // Row-major B: each k step is a contiguous run of columns; full slivers copy whole vectors.
            if (cols == nr && nr % Vector256<T>.Count == 0)
            {
                for (int p = 0; p < kc; p++)
                {
                    T* source = b + p * rowStride;
                    T* target = dst + (long)p * nr;
                    for (int j = 0; j < nr; j += Vector256<T>.Count)
                        Vector256.Store(Vector256.Load(source + j), target + j);
                }
                return;
            }
            for (int p = 0; p < kc; p++)
            {
                T* source = b + p * rowStride;
                T* target = dst + (long)p * nr;
                for (int j = 0; j < cols; j++) target[j] = source[j];
                for (int j = cols; j < nr; j++) target[j] = default;
            }
        }
        else if (rowStride == 1 && cols == nr && nr % 8 == 0 && typeof(T) == typeof(float) && TransposePacking.IsSupported)
        {
            TransposePacking.PackColumnMajorB((float*)b, colStride, kc, nr, (float*)dst);
        }
        else if (rowStride == 1)
        {
            // Column-major (transposed) B: read each column sequentially, write it across the sliver.
            for (int j = 0; j < cols; j++)
            {
                T* source = b + j * colStride;
                T* target = dst + j;
                for (int p = 0; p < kc; p++) target[(long)p * nr] = source[p];
            }
            ZeroColumns(dst, cols, nr, kc);
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                T* target = dst + (long)p * nr;
                for (int j = 0; j < cols; j++) target[j] = b[p * rowStride + j * colStride];
                for (int j = cols; j < nr; j++) target[j] = default;
            }
        }
    }

    private static void ZeroRows<T>(T* dst, int rows, int mr, int kc) where T : unmanaged
    {
        if (rows == mr) return;
        for (int p = 0; p < kc; p++)
            for (int i = rows; i < mr; i++) dst[(long)p * mr + i] = default;
    }

    private static void ZeroColumns<T>(T* dst, int cols, int nr, int kc) where T : unmanaged
    {
        if (cols == nr) return;
        for (int p = 0; p < kc; p++)
            for (int j = cols; j < nr; j++) dst[(long)p * nr + j] = default;
    }
}
