using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Gather and its adjoint ScatterAdd along the middle dim of contiguous [outer, ·, inner] views,
/// with one Int32 index per element. Any dtype (float32, float64, int32).
/// </summary>
internal static class GatherKernel
{
    /// <summary>Elements of work per parallel chunk.</summary>
    private const long Grain = 32 * 1024;

    /// <summary>Columns per ScatterAdd work unit; each unit owns its columns of y.</summary>
    private const int ColumnBlock = 1024;

    public static void Gather(BufferView x, BufferView index, BufferView y)
    {
        BackendContract.Gather(x, index, y);
        switch (x.DType)
        {
            case DType.Float32: Gather<float>(x, index, y); break;
            case DType.Float64: Gather<double>(x, index, y); break;
            default: Gather<int>(x, index, y); break;
        }
    }

    public static void ScatterAdd(BufferView src, BufferView index, BufferView y)
    {
        BackendContract.ScatterAdd(src, index, y);
        switch (y.DType)
        {
            case DType.Float32: ScatterAdd<float>(src, index, y); break;
            case DType.Float64: ScatterAdd<double>(src, index, y); break;
            default: ScatterAdd<int>(src, index, y); break;
        }
    }

    private static void Gather<T>(BufferView xv, BufferView indexView, BufferView yv) where T : unmanaged
    {
        int outer = yv.Shape[0], m = yv.Shape[1], inner = yv.Shape[2], n = xv.Shape[1];
        IndexBounds.Check("gather", CpuViews.Span<int>(indexView), n, $"dim 1 of x {ViewArgs.Shape(xv)}");
        T[] x = CpuViews.Array<T>(xv), y = CpuViews.Array<T>(yv);
        int[] index = CpuViews.Array<int>(indexView);
        int xo = (int)xv.Offset, yo = (int)yv.Offset, io = (int)indexView.Offset;
        long rows = (long)outer * m;
        CpuParallel.For(rows, Math.Max(1, Grain / Math.Max(1, inner)), (start, end) =>
        {
            for (long r = start; r < end; r++)
            {
                int o = (int)(r / m), at = (int)r * inner;
                int xBase = xo + o * n * inner;
                for (int i = 0; i < inner; i++)
                    y[yo + at + i] = x[xBase + index[io + at + i] * inner + i];
            }
        });
    }

    private static void ScatterAdd<T>(BufferView srcView, BufferView indexView, BufferView yv) where T : unmanaged, INumber<T>
    {
        int outer = srcView.Shape[0], m = srcView.Shape[1], inner = srcView.Shape[2], n = yv.Shape[1];
        IndexBounds.Check("scatter_add", CpuViews.Span<int>(indexView), n, $"dim 1 of y {ViewArgs.Shape(yv)}");
        T[] src = CpuViews.Array<T>(srcView), y = CpuViews.Array<T>(yv);
        int[] index = CpuViews.Array<int>(indexView);
        int so = (int)srcView.Offset, yo = (int)yv.Offset, io = (int)indexView.Offset;

        // A unit is one (outer, column block): it alone writes those columns of y[o], walking j in
        // order, so every element of y receives its terms in the same order whatever the threads.
        int blocks = Math.Max(1, (inner + ColumnBlock - 1) / ColumnBlock);
        long unitWork = (long)Math.Max(1, m) * Math.Min(inner, ColumnBlock);
        CpuParallel.For((long)outer * blocks, Math.Max(1, Grain / unitWork), (start, end) =>
        {
            for (long u = start; u < end; u++)
            {
                int o = (int)(u / blocks), column = (int)(u % blocks) * ColumnBlock;
                int width = Math.Min(ColumnBlock, inner - column);
                int yBase = yo + o * n * inner + column;
                for (int j = 0; j < m; j++)
                {
                    int at = (o * m + j) * inner + column;
                    for (int i = 0; i < width; i++)
                        y[yBase + index[io + at + i] * inner + i] += src[so + at + i];
                }
            }
        });
    }
}
