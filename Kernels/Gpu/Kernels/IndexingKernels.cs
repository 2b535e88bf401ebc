using System.Numerics;
using ILGPU;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// Gather/ScatterAdd, IndexSelect/IndexAdd and OneHot over contiguous [outer, ·, inner] views, any dtype, with the
/// CPU's semantics (<see cref="Cpu.GatherKernel"/>, <see cref="Cpu.IndexSelectKernel"/>, <see cref="Cpu.OneHotKernel"/>).
/// The accumulating kernels run one thread per destination column (o, i), which walks the source rows j in
/// increasing order: each element of y receives its terms in the CPU's order, so results are bit-identical and
/// need no atomics. An index out of range is reported through <see cref="DeviceErrors"/> (thrown as the CPU's
/// <see cref="IndexOutOfRangeException"/> at the next synchronisation) and its element is skipped.
/// </summary>
internal static class IndexingKernels
{
    private static long Step => (long)Grid.DimX * Group.DimX;

    /// <summary>y[o, j, i] = x[o, index[o, j, i], i]; y is [outer, m, inner], x has n rows.</summary>
    public static void Gather<T>(ArrayView<T> x, ArrayView<int> index, ArrayView<T> y, int m, int n, int inner, long total, ArrayView<int> errors)
        where T : unmanaged
    {
        for (long e = Grid.GlobalIndex.X; e < total; e += Step)
        {
            long rowsAbove = e / inner, o = rowsAbove / m;
            long i = e - rowsAbove * inner;
            int k = index[e];
            if ((uint)k >= (uint)n)
            {
                DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, (int)DeviceOperation.Gather, k, n);
                continue;
            }
            y[e] = x[(o * n + k) * inner + i];
        }
    }

    /// <summary>y[o, index[o, j, i], i] += src[o, j, i], one thread per column (o, i) walking j in order.</summary>
    public static void ScatterAdd<T>(ArrayView<T> src, ArrayView<int> index, ArrayView<T> y, int m, int n, int inner, long columns, ArrayView<int> errors)
        where T : unmanaged, INumber<T>
    {
        for (long c = Grid.GlobalIndex.X; c < columns; c += Step)
        {
            long o = c / inner, i = c - o * inner;
            for (int j = 0; j < m; j++)
            {
                long at = (o * m + j) * inner + i;
                int k = index[at];
                if ((uint)k >= (uint)n)
                {
                    DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, (int)DeviceOperation.ScatterAdd, k, n);
                    continue;
                }
                long to = (o * n + k) * inner + i;
                y[to] += src[at];
            }
        }
    }

    /// <summary>y[o, j, i] = x[o, index[j], i].</summary>
    public static void IndexSelect<T>(ArrayView<T> x, ArrayView<int> index, ArrayView<T> y, int m, int n, int inner, long total, ArrayView<int> errors)
        where T : unmanaged
    {
        for (long e = Grid.GlobalIndex.X; e < total; e += Step)
        {
            long rowsAbove = e / inner, o = rowsAbove / m;
            long i = e - rowsAbove * inner;
            int j = (int)(rowsAbove - o * m);
            int k = index[j];
            if ((uint)k >= (uint)n)
            {
                DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, (int)DeviceOperation.IndexSelect, k, n);
                continue;
            }
            y[e] = x[(o * n + k) * inner + i];
        }
    }

    /// <summary>y[o, index[j], i] += src[o, j, i], one thread per column (o, i) walking j in order.</summary>
    public static void IndexAdd<T>(ArrayView<T> src, ArrayView<int> index, ArrayView<T> y, int m, int n, int inner, long columns, ArrayView<int> errors)
        where T : unmanaged, INumber<T>
    {
        for (long c = Grid.GlobalIndex.X; c < columns; c += Step)
        {
            long o = c / inner, i = c - o * inner;
            for (int j = 0; j < m; j++)
            {
                int k = index[j];
                if ((uint)k >= (uint)n)
                {
                    DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, (int)DeviceOperation.IndexAdd, k, n);
                    continue;
                }
                long to = (o * n + k) * inner + i;
                y[to] += src[(o * m + j) * inner + i];
            }
        }
    }

    /// <summary>y[r, c] = index[r] == c ? one : zero.</summary>
    public static void OneHot<T>(ArrayView<int> index, ArrayView<T> y, int classes, long total, T one, ArrayView<int> errors)
        where T : unmanaged
    {
        for (long e = Grid.GlobalIndex.X; e < total; e += Step)
        {
            long r = e / classes;
            int c = (int)(e - r * classes), k = index[r];
            if (c == 0 && (uint)k >= (uint)classes)
                DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, (int)DeviceOperation.OneHot, k, classes);
            y[e] = k == c ? one : default;
        }
    }

    /// <summary>Reports the first index outside [0, bound) (for calls whose output is empty).</summary>
    public static void CheckBounds(ArrayView<int> index, long n, int bound, int operation, ArrayView<int> errors)
    {
        for (long e = Grid.GlobalIndex.X; e < n; e += Step)
        {
            int k = index[e];
            if ((uint)k >= (uint)bound) DeviceErrors.Report(errors, DeviceErrorCode.IndexOutOfRange, operation, k, bound);
        }
    }
}
