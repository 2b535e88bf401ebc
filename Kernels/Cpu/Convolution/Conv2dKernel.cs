using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// 2-D convolution (cross-correlation, NCHW, groups) as im2col + GEMM over <see cref="GemmDriver"/>.
/// Forward and backward-data work on fixed chunks of images (one wide GEMM per chunk and group), chunks
/// spread over threads with single-threaded GEMMs (too few chunks parallelise inside the GEMM instead). Backward-weight
/// sums over the batch in fixed chunks combined in order, so its bits do not depend on the thread count.
/// </summary>
internal static unsafe class Conv2dKernel
{
    /// <summary>y = conv2d(x, w) + bias, as <see cref="IBackend.Conv2dForward"/> documents.</summary>
    public static void Forward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p)
    {
        var g = BackendContract.Conv2dForward(x, w, bias, y, p);
        if (x.DType == DType.Float32) Forward<float>(x, w, bias, y, g);
        else Forward<double>(x, w, bias, y, g);
    }

    /// <summary>gx = ∂L/∂x, as <see cref="IBackend.Conv2dBackwardData"/> documents.</summary>
    public static void BackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p)
    {
        var g = BackendContract.Conv2dBackwardData(gy, w, gx, p);
        if (gx.DType == DType.Float32) BackwardData<float>(gy, w, gx, g);
        else BackwardData<double>(gy, w, gx, g);
    }

    /// <summary>gw = ∂L/∂w, as <see cref="IBackend.Conv2dBackwardWeight"/> documents.</summary>
    public static void BackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p)
    {
        var g = BackendContract.Conv2dBackwardWeight(x, gy, gw, p);
        if (x.DType == DType.Float32) ConvWeightGradient.Run<float>(x, gy, gw, g);
        else ConvWeightGradient.Run<double>(x, gy, gw, g);
    }

    private static void Forward<T>(BufferView x, BufferView w, BufferView? bias, BufferView y, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = &CpuBuffer.Of(x).Ref<T>())
        fixed (T* pw = &CpuBuffer.Of(w).Ref<T>())
        fixed (T* py = &CpuBuffer.Of(y).Ref<T>())
        {
            T* xBase = px + x.Offset, wBase = pw + w.Offset, yBase = py + y.Offset;
            T[]? biasValues = bias is { } b ? CpuBuffer.Of(b).AsSpan<T>().Slice((int)b.Offset, g.Outputs).ToArray() : null;
            ForEachChunk(g, (first, count, gemmParallel) => ForwardChunk(xBase, wBase, biasValues, yBase, g, first, count, gemmParallel));
        }
    }

    /// <summary>
    /// y[n] = W·im2col(x[n]) (+ bias) for the images [first, first + count), group by group: their columns
    /// side by side make one wide GEMM, whose [og, count·plane] result is then scattered to NCHW.
    /// Every element of y sees the same products in the same order as one GEMM per image would.
    /// </summary>
    private static void ForwardChunk<T>(T* x, T* w, T[]? bias, T* y, in ConvGeometry g, long first, int count, bool gemmParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, plane = g.OutputPlane, og = g.GroupOutputs;
        long width = (long)count * plane;
        using var colScratch = new PinnedScratch<T>(rows * width);
        using var outScratch = new PinnedScratch<T>(count == 1 ? 0 : og * width);
        T* col = colScratch.Pointer;
        for (int group = 0; group < g.P.Groups; group++)
        {
            for (int i = 0; i < count; i++)
            {
                T* input = x + ((first + i) * g.Channels + (long)group * g.GroupChannels) * g.InputPlane;
                Im2Col.Unfold(input, col + (long)i * plane, width, g);
            }
            // One image writes straight into y; several go through the scratch and are scattered below.
            T* output = count == 1 ? y + (first * g.Outputs + (long)group * og) * plane : outScratch.Pointer;
            T beta = T.Zero;
            if (bias is not null)
            {
                // Start from the bias and accumulate the product onto it.
                for (int o = 0; o < og; o++) new Span<T>(output + o * width, (int)width).Fill(bias[group * og + o]);
                beta = T.One;
            }
            GemmDriver.Gemm(og, (int)width, rows, T.One,
                w + (long)group * og * rows, rows, 1,
                col, width, 1,
                beta, output, width, 1, gemmParallel);
            if (count == 1) continue;
            for (int i = 0; i < count; i++)
            {
                T* target = y + ((first + i) * g.Outputs + (long)group * og) * plane;
                for (int o = 0; o < og; o++)
                    new ReadOnlySpan<T>(output + o * width + (long)i * plane, plane).CopyTo(new Span<T>(target + (long)o * plane, plane));
            }
        }
    }

    private static void BackwardData<T>(BufferView gy, BufferView w, BufferView gx, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pgy = &CpuBuffer.Of(gy).Ref<T>())
        fixed (T* pw = &CpuBuffer.Of(w).Ref<T>())
        fixed (T* pgx = &CpuBuffer.Of(gx).Ref<T>())
        {
            T* gyBase = pgy + gy.Offset, wBase = pw + w.Offset, gxBase = pgx + gx.Offset;
            ForEachChunk(g, (first, count, gemmParallel) => BackwardDataChunk(gyBase, wBase, gxBase, g, first, count, gemmParallel));
        }
    }

    /// <summary>
    /// gx[n] = col2im(Wᵀ·gy[n]) for the images [first, first + count), group by group: their gy planes
    /// gathered side by side make one wide GEMM, whose columns are folded back image by image.
    /// </summary>
    private static void BackwardDataChunk<T>(T* gy, T* w, T* gx, in ConvGeometry g, long first, int count, bool gemmParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, plane = g.OutputPlane, og = g.GroupOutputs;
        long width = (long)count * plane;
        using var colScratch = new PinnedScratch<T>(rows * width);
        using var gyScratch = new PinnedScratch<T>(count == 1 ? 0 : og * width);
        T* colGrad = colScratch.Pointer;
        new Span<T>(gx + first * g.Channels * g.InputPlane, count * g.Channels * g.InputPlane).Clear();
        for (int group = 0; group < g.P.Groups; group++)
        {
            T* gradOut = GatherPlanes(gy, first, count, g.Outputs, group * og, og, plane, gyScratch.Pointer);
            // Wᵀ is the group's [og, rows] weight read with swapped strides.
            GemmDriver.Gemm(rows, (int)width, og, T.One,
                w + (long)group * og * rows, 1, rows,
                gradOut, width, 1,
                T.Zero, colGrad, width, 1, gemmParallel);
            for (int i = 0; i < count; i++)
            {
                T* gradIn = gx + ((first + i) * g.Channels + (long)group * g.GroupChannels) * g.InputPlane;
                Im2Col.Fold(colGrad + (long)i * plane, width, gradIn, g);
            }
        }
    }

    /// <summary>
    /// The [rows, count·plane] matrix of planes [firstRow, firstRow + rows) of images [first, first + count)
    /// of an [N, channels, plane] tensor, side by side: copied into <paramref name="scratch"/>, or read in
    /// place when there is one image.
    /// </summary>
    internal static T* GatherPlanes<T>(T* tensor, long first, int count, int channels, int firstRow, int rows, int plane, T* scratch)
        where T : unmanaged
    {
        if (count == 1) return tensor + (first * channels + firstRow) * plane;
        long width = (long)count * plane;
        for (int i = 0; i < count; i++)
        {
            T* source = tensor + ((first + i) * channels + firstRow) * plane;
            for (int r = 0; r < rows; r++)
                new ReadOnlySpan<T>(source + (long)r * plane, plane).CopyTo(new Span<T>(scratch + r * width + (long)i * plane, plane));
        }
        return scratch;
    }

    /// <summary>
    /// Images per wide GEMM: enough that the GEMM is not dominated by padding and packing overheads, few
    /// enough that the column matrix stays near the core's L2. Depends only on the geometry, so results
    /// never depend on the thread count.
    /// </summary>
    internal static int ImagesPerChunk(in ConvGeometry g)
    {
        const long TargetColumnElements = 256 * 1024;
        const int MaxImages = 16;
        long perImage = Math.Max(1L, (long)g.ColumnRows * g.OutputPlane);
        return (int)Math.Clamp(TargetColumnElements / perImage, 1, MaxImages);
    }

    /// <summary>
    /// Runs <paramref name="body"/>(first, count, gemmParallel) over fixed chunks of images: chunks spread
    /// over threads when there are enough to keep them busy, else one at a time with threads inside the GEMM.
    /// </summary>
    private static void ForEachChunk(ConvGeometry g, Action<long, int, bool> body)
    {
        int perChunk = ImagesPerChunk(g);
        int chunks = (g.Batch + perChunk - 1) / perChunk;
        int threads = CpuParallel.ThreadCount;
        if (chunks >= threads && threads > 1)
        {
            CpuParallel.For(chunks, 1, (start, end) =>
            {
                for (long chunk = start; chunk < end; chunk++)
                    body(chunk * perChunk, (int)Math.Min(perChunk, g.Batch - chunk * perChunk), false);
            });
            return;
        }
        for (int chunk = 0; chunk < chunks; chunk++)
            body((long)chunk * perChunk, Math.Min(perChunk, g.Batch - chunk * perChunk), true);
    }
}
