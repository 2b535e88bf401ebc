using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>One-hot encoding of Int32 class indices [n] into contiguous y [n, classes] of any dtype.</summary>
internal static class OneHotKernel
{
    /// <summary>Elements of y per parallel chunk.</summary>
    private const long Grain = 64 * 1024;

    public static void Run(BufferView index, BufferView y)
    {
        BackendContract.OneHot(index, y);
        switch (y.DType)
        {
            case DType.Float32: Run<float>(index, y); break;
            case DType.Float64: Run<double>(index, y); break;
            default: Run<int>(index, y); break;
        }
    }

    private static void Run<T>(BufferView indexView, BufferView yv) where T : unmanaged, INumber<T>
    {
        int rows = yv.Shape[0], classes = yv.Shape[1];
        IndexBounds.Check("one_hot", CpuViews.Span<int>(indexView), classes, $"{classes} classes (y {ViewArgs.Shape(yv)})");
        T[] y = CpuViews.Array<T>(yv);
        int[] index = CpuViews.Array<int>(indexView);
        int yo = (int)yv.Offset, io = (int)indexView.Offset;
        CpuParallel.For(rows, Math.Max(1, Grain / Math.Max(1, classes)), (start, end) =>
        {
            var block = y.AsSpan(yo + (int)start * classes, (int)(end - start) * classes);
            block.Clear();
            for (long k = start; k < end; k++)
                block[(int)(k - start) * classes + index[io + (int)k]] = T.One;
        });
    }
}
