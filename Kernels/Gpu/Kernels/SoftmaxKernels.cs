using System.Numerics;
using ILGPU;
using ILGPU.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// Softmax and log-softmax along the middle dim of contiguous [outer, n, inner] views, and their backward,
/// with the CPU's formulas (<see cref="Cpu.SoftmaxKernel"/>): the maximum subtracted first, sums accumulated
/// in float64, softmax y = e^(x − max) · (1/Σ), log-softmax y = (x − max) − log Σ.
/// inner == 1: one group per row (groups stride over rows), partial results of the group's threads combined by a
/// fixed shared-memory tree, so the result depends only on the row length, not on the device.
/// inner &gt; 1: one thread per (outer, column), walking the n elements of its column in order (adjacent threads
/// read adjacent columns).
/// </summary>
internal static class SoftmaxKernels
{
    /// <summary>The most threads a row group has (and the shared arrays' size).</summary>
    public const int MaxRowGroup = 256;

    /// <summary>Threads of the row group for rows of <paramref name="n"/> elements: a power of two in [32, 256].</summary>
    public static int RowGroup(int n)
    {
        int g = 32;
        while (g < MaxRowGroup && g < n) g *= 2;
        return g;
    }

    /// <summary>NaN-propagating maximum (PTX max.f32 would drop a NaN; the CPU's T.Max keeps it).</summary>
    public static T Max<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => T.IsNaN(a) || a > b ? a : b;

    /// <summary>Sums the group's <paramref name="value"/>s by a fixed tree in shared memory; every thread gets the sum.</summary>
    public static double GroupSum(ArrayView<double> shared, double value)
    {
        int t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s /= 2)
        {
            if (t < s) shared[t] += shared[t + s];
            Group.Barrier();
        }
        double sum = shared[0];
        Group.Barrier();
        return sum;
    }

    /// <summary>The group's maximum (NaN if any is NaN); every thread gets it.</summary>
    public static T GroupMax<T>(ArrayView<T> shared, T value) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int t = Group.IdxX;
        shared[t] = value;
        Group.Barrier();
        for (int s = Group.DimX / 2; s > 0; s /= 2)
        {
            if (t < s) shared[t] = Max(shared[t], shared[t + s]);
            Group.Barrier();
        }
        T max = shared[0];
        Group.Barrier();
        return max;
    }

    public static void RowForward<T, TW>(ArrayView<T> x, ArrayView<T> y, int outer, int n, int log, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        var sharedMax = SharedMemory.Allocate<T>(MaxRowGroup);
        var sharedSum = SharedMemory.Allocate<double>(MaxRowGroup);
        int t = Group.IdxX, step = Group.DimX;
        for (int row = Grid.IdxX; row < outer; row += Grid.DimX)
        {
            long at = (long)row * n;
            T max = x[at];
            for (int j = t; j < n; j += step) max = Max(max, x[at + j]);
            max = GroupMax(sharedMax, max);
            double sum = 0;
            for (int j = t; j < n; j += step)
            {
                T e = T.Exp(x[at + j] - max);
                if (log == 0) y[at + j] = e;
                sum += w.Widen(e);
            }
            sum = GroupSum(sharedSum, sum);
            if (log != 0)
            {
                T ls = w.Narrow(Math.Log(sum));
                for (int j = t; j < n; j += step) y[at + j] = x[at + j] - max - ls;
            }
            else
            {
                T f = w.Narrow(1.0 / sum);
                for (int j = t; j < n; j += step) y[at + j] *= f;
            }
        }
    }

    public static void RowBackward<T, TW>(ArrayView<T> y, ArrayView<T> gy, ArrayView<T> gx, int outer, int n, int log, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        var sharedSum = SharedMemory.Allocate<double>(MaxRowGroup);
        int t = Group.IdxX, step = Group.DimX;
        for (int row = Grid.IdxX; row < outer; row += Grid.DimX)
        {
            long at = (long)row * n;
            double acc = 0;
            for (int j = t; j < n; j += step) acc += w.Widen(log != 0 ? gy[at + j] : y[at + j] * gy[at + j]);
            T s = w.Narrow(GroupSum(sharedSum, acc));
            if (log != 0)
                for (int j = t; j < n; j += step) gx[at + j] = gy[at + j] - T.Exp(y[at + j]) * s;
            else
                for (int j = t; j < n; j += step) gx[at + j] = y[at + j] * (gy[at + j] - s);
        }
    }

    public static void ColumnForward<T, TW>(ArrayView<T> x, ArrayView<T> y, int outer, int n, int inner, int log, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        long columns = (long)outer * inner, gridStep = (long)Grid.DimX * Group.DimX;
        for (long c = Grid.GlobalIndex.X; c < columns; c += gridStep)
        {
            long o = c / inner;
            long at = o * n * inner + (c - o * inner);
            T max = x[at];
            for (int j = 1; j < n; j++) max = Max(max, x[at + (long)j * inner]);
            double sum = 0;
            for (int j = 0; j < n; j++)
            {
                long k = at + (long)j * inner;
                T e = T.Exp(x[k] - max);
                if (log == 0) y[k] = e;
                sum += w.Widen(e);
            }
            if (log != 0)
            {
                T ls = w.Narrow(Math.Log(sum));
                for (int j = 0; j < n; j++) y[at + (long)j * inner] = x[at + (long)j * inner] - max - ls;
            }
            else
            {
                T f = w.Narrow(1.0 / sum);
                for (int j = 0; j < n; j++) y[at + (long)j * inner] *= f;
            }
        }
    }

    public static void ColumnBackward<T, TW>(ArrayView<T> y, ArrayView<T> gy, ArrayView<T> gx, int outer, int n, int inner, int log, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        long columns = (long)outer * inner, gridStep = (long)Grid.DimX * Group.DimX;
        for (long c = Grid.GlobalIndex.X; c < columns; c += gridStep)
        {
            long o = c / inner;
            long at = o * n * inner + (c - o * inner);
            double acc = 0;
            for (int j = 0; j < n; j++)
            {
                long k = at + (long)j * inner;
                acc += w.Widen(log != 0 ? gy[k] : y[k] * gy[k]);
            }
            T s = w.Narrow(acc);
            for (int j = 0; j < n; j++)
            {
                long k = at + (long)j * inner;
                gx[k] = log != 0 ? gy[k] - T.Exp(y[k]) * s : y[k] * (gy[k] - s);
            }
        }
    }
}
