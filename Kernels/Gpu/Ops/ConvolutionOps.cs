using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>
/// Launchers of the convolution primitives: explicit im2col/col2im kernels around <see cref="GemmOps"/>, not
/// an implicit GEMM. Why: the GEMM kernels then serve MatMul and all three convolutions with one set of tiles,
/// plans and tests; the batched GEMM covers every image and group of a chunk in one launch (batch dims
/// [images, groups], weight broadcast with stride 0); and backward-weight, whose K runs over images × pixels,
/// gets split-K from the same planner. The cost is the column matrix's memory traffic, bounded by doing the
/// batch in chunks of at most <see cref="ColumnLimit"/> column elements (chunk boundaries depend only on the
/// geometry, so results are deterministic). An implicit-GEMM kernel that gathers taps while staging the B tile
/// would remove that traffic; it is the next step, not done.
/// </summary>
internal static class ConvolutionOps
{
    /// <summary>Column-matrix elements per chunk of images (64 MiB of float32).</summary>
    internal const long ColumnLimit = 1L << 24;

    public static void Forward(GpuBackend backend, BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p)
        => Forward(backend, x, w, bias, y, p, ColumnLimit);

    public static void BackwardData(GpuBackend backend, BufferView gy, BufferView w, BufferView gx, Conv2dParams p)
        => BackwardData(backend, gy, w, gx, p, ColumnLimit);

    public static void BackwardWeight(GpuBackend backend, BufferView x, BufferView gy, BufferView gw, Conv2dParams p)
        => BackwardWeight(backend, x, gy, gw, p, ColumnLimit);

    /// <summary>Images per chunk: as many as fit <paramref name="limit"/> column elements, at least one.</summary>
    private static int ImagesPerChunk(in ConvGeometry g, long limit)
    {
        long perImage = Math.Max(1L, (long)g.Channels * g.KernelH * g.KernelW * g.OutputPlane);
        return (int)Math.Clamp(limit / perImage, 1, Math.Max(1, g.Batch));
    }

    /// <summary>y = W·im2col(x) (+ bias): per chunk one batched GEMM over [images, groups].</summary>
    internal static void Forward(GpuBackend backend, BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p, long limit)
    {
        var g = BackendContract.Conv2dForward(x, w, bias, y, p);
        if (g.Batch == 0) return;
        if (x.DType == DType.Float32) Forward<float>(backend, x, w, bias, y, g, limit);
        else Forward<double>(backend, x, w, bias, y, g, limit);
    }

    private static void Forward<T>(GpuBackend backend, BufferView x, BufferView w, BufferView? bias, BufferView y, ConvGeometry g, long limit)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        int groups = g.P.Groups, og = g.GroupOutputs, rows = g.ColumnRows, plane = g.OutputPlane;
        double beta = 0;
        if (bias is { } b)
        {
            // Start from the bias and accumulate the product onto it (as the CPU does).
            backend.Kernels.Launch(ConvolutionKernels.BiasFill, Launch.Linear(backend, y.Count), backend.From<T>(y), backend.From<T>(b), g.Outputs, plane, y.Count);
            beta = 1;
        }
        int perChunk = ImagesPerChunk(g, limit);
        var col = g.IsPointwise ? null : backend.Workspace(x.DType, (long)perChunk * groups * rows * plane);
        try
        {
            for (int first = 0; first < g.Batch; first += perChunk)
            {
                int count = Math.Min(perChunk, g.Batch - first);
                BufferView columns;
                if (col is null)
                {
                    // 1×1, stride 1, no padding: the input planes are the column matrix.
                    columns = new BufferView(x.Buffer, x.Offset + (long)first * g.Channels * plane, [count, groups, rows, plane],
                        [(long)g.Channels * plane, (long)rows * plane, plane, 1]);
                }
                else
                {
                    Unfold<T>(backend, x, col, g, first, count, imageStride: (long)groups * rows * plane, groupStride: (long)rows * plane, rowStride: plane);
                    columns = BufferView.Contiguous(col, [count, groups, rows, plane]);
                }
                var weight = new BufferView(w.Buffer, w.Offset, [count, groups, og, rows], [0, (long)og * rows, rows, 1]);
                var output = new BufferView(y.Buffer, y.Offset + (long)first * g.Outputs * plane, [count, groups, og, plane],
                    [(long)g.Outputs * plane, (long)og * plane, plane, 1]);
                GemmOps.MatMul(backend, weight, columns, output, 1, beta);
            }
        }
        finally
        {
            col?.Release();
        }
    }

    /// <summary>gx = col2im(Wᵀ·gy): per chunk one batched GEMM into the column gradient, then the gathering fold.</summary>
    internal static void BackwardData(GpuBackend backend, BufferView gy, BufferView w, BufferView gx, Conv2dParams p, long limit)
    {
        var g = BackendContract.Conv2dBackwardData(gy, w, gx, p);
        if (g.Batch == 0) return;
        if (gx.DType == DType.Float32) BackwardData<float>(backend, gy, w, gx, g, limit);
        else BackwardData<double>(backend, gy, w, gx, g, limit);
    }

    private static void BackwardData<T>(GpuBackend backend, BufferView gy, BufferView w, BufferView gx, ConvGeometry g, long limit)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        int groups = g.P.Groups, og = g.GroupOutputs, rows = g.ColumnRows, plane = g.OutputPlane;
        int perChunk = ImagesPerChunk(g, limit);
        var col = g.IsPointwise ? null : backend.Workspace(gx.DType, (long)perChunk * groups * rows * plane);
        try
        {
            for (int first = 0; first < g.Batch; first += perChunk)
            {
                int count = Math.Min(perChunk, g.Batch - first);
                // Wᵀ: the group's [og, rows] weight read with swapped strides, broadcast over the images.
                var weightT = new BufferView(w.Buffer, w.Offset, [count, groups, rows, og], [0, (long)og * rows, 1, rows]);
                var gradOut = new BufferView(gy.Buffer, gy.Offset + (long)first * g.Outputs * plane, [count, groups, og, plane],
                    [(long)g.Outputs * plane, (long)og * plane, plane, 1]);
                if (col is null)
                {
                    var gradIn = new BufferView(gx.Buffer, gx.Offset + (long)first * g.Channels * plane, [count, groups, rows, plane],
                        [(long)g.Channels * plane, (long)rows * plane, plane, 1]);
                    GemmOps.MatMul(backend, weightT, gradOut, gradIn, 1, 0);
                    continue;
                }
                var columns = BufferView.Contiguous(col, [count, groups, rows, plane]);
                GemmOps.MatMul(backend, weightT, gradOut, columns, 1, 0);
                var s = ConvShape.From(g);
                s.ImageStride = (long)groups * rows * plane;
                s.GroupStride = (long)rows * plane;
                s.RowStride = plane;
                long total = (long)count * g.Channels * g.InputPlane;
                backend.Kernels.Launch(ConvolutionKernels.Col2Im, Launch.Linear(backend, total), col.View<T>(), backend.From<T>(gx), s, first, total);
            }
        }
        finally
        {
            col?.Release();
        }
    }

    /// <summary>
    /// gw = Σ over chunks of gyᵀ-chunk · im2col(x-chunk)ᵀ: per chunk, gy's planes are gathered into [groups, og,
    /// images·pixels] and the columns unfolded as [groups, rows, images·pixels], so K = images·pixels is one
    /// unit-stride dim of both; one batched GEMM over the groups (split-K where K is long), accumulated onto
    /// gw chunk by chunk in order.
    /// </summary>
    internal static void BackwardWeight(GpuBackend backend, BufferView x, BufferView gy, BufferView gw, Conv2dParams p, long limit)
    {
        var g = BackendContract.Conv2dBackwardWeight(x, gy, gw, p);
        if (g.Batch == 0)
        {
            backend.Fill(gw, 0);
            return;
        }
        if (x.DType == DType.Float32) BackwardWeight<float>(backend, x, gy, gw, g, limit);
        else BackwardWeight<double>(backend, x, gy, gw, g, limit);
    }

    private static void BackwardWeight<T>(GpuBackend backend, BufferView x, BufferView gy, BufferView gw, ConvGeometry g, long limit)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        int groups = g.P.Groups, og = g.GroupOutputs, rows = g.ColumnRows, plane = g.OutputPlane;
        int perChunk = ImagesPerChunk(g, limit);
        var col = backend.Workspace(x.DType, (long)perChunk * groups * rows * plane);
        var gyT = backend.Workspace(x.DType, (long)perChunk * g.Outputs * plane);
        try
        {
            for (int first = 0; first < g.Batch; first += perChunk)
            {
                int count = Math.Min(perChunk, g.Batch - first);
                long k = (long)count * plane;
                if (k > int.MaxValue)
                    throw new NotSupportedException($"conv2d backward weight: {count} images of {plane} pixels exceed a GEMM's K");
                Unfold<T>(backend, x, col, g, first, count, imageStride: plane, groupStride: (long)rows * k, rowStride: k);
                // gy's chunk [count, O, plane] read as [O, count, plane], copied contiguous.
                var gySource = new BufferView(gy.Buffer, gy.Offset + (long)first * g.Outputs * plane, [g.Outputs, count, plane],
                    [plane, (long)g.Outputs * plane, 1]);
                var gyGathered = BufferView.Contiguous(gyT, [g.Outputs, count, plane]);
                backend.Copy(gySource, gyGathered);
                var a = BufferView.Contiguous(gyT, [groups, og, (int)k]);
                var colT = new BufferView(col, 0, [groups, (int)k, rows], [(long)rows * k, 1, k]);
                var weight = BufferView.Contiguous(gw.Buffer, [groups, og, rows], gw.Offset);
                GemmOps.MatMul(backend, a, colT, weight, 1, first == 0 ? 0 : 1);
            }
        }
        finally
        {
            col.Release();
            gyT.Release();
        }
    }

    private static void Unfold<T>(GpuBackend backend, BufferView x, GpuBuffer col, in ConvGeometry g, int first, int count,
        long imageStride, long groupStride, long rowStride) where T : unmanaged, System.Numerics.INumber<T>
    {
        var s = ConvShape.From(g);
        s.ImageStride = imageStride;
        s.GroupStride = groupStride;
        s.RowStride = rowStride;
        long total = (long)count * g.P.Groups * g.ColumnRows * g.OutputPlane;
        backend.Kernels.Launch(ConvolutionKernels.Im2Col, Launch.Linear(backend, total), backend.From<T>(x), col.View<T>(), s, first, total);
    }
}
