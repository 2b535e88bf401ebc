using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// 2-D convolution (cross-correlation, NCHW, groups) as im2col + GEMM over <see cref="GemmDriver"/>.
/// Forward and backward-data work image by image, images spread over threads with single-threaded
/// GEMMs (a batch smaller than the thread count parallelises inside the GEMM instead). Backward-weight
/// sums over the batch in fixed chunks combined in order, so its bits do not depend on the thread count.
/// </summary>
internal static unsafe class Conv2dKernel
{
    private static readonly (string, string, string) ForwardNames = ("x", "weight", "y");
    private static readonly (string, string, string) DataNames = ("gx", "weight", "gy");
    private static readonly (string, string, string) WeightNames = ("x", "gw", "gy");

    /// <summary>y = conv2d(x, w) + bias, as <see cref="IBackend.Conv2dForward"/> documents.</summary>
    public static void Forward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p)
    {
        var g = ConvGeometry.Create("conv2d", x, w, y, ForwardNames, p);
        if (bias is { } b)
        {
            ConvGeometry.RequireContiguous("conv2d", b, "bias", 1);
            if (b.Shape[0] != g.Outputs || b.DType != x.DType)
                throw new ArgumentException($"conv2d: bias {b.DType.Name()}{ConvGeometry.Describe(b)} should be {x.DType.Name()}[{g.Outputs}] for weight {ConvGeometry.Describe(w)}");
        }
        if (x.DType == DType.Float32) Forward<float>(x, w, bias, y, g);
        else Forward<double>(x, w, bias, y, g);
    }

    /// <summary>gx = ∂L/∂x, as <see cref="IBackend.Conv2dBackwardData"/> documents.</summary>
    public static void BackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p)
    {
        var g = ConvGeometry.Create("conv2d backward data", gx, w, gy, DataNames, p);
        if (gx.DType == DType.Float32) BackwardData<float>(gy, w, gx, g);
        else BackwardData<double>(gy, w, gx, g);
    }

    /// <summary>gw = ∂L/∂w, as <see cref="IBackend.Conv2dBackwardWeight"/> documents.</summary>
    public static void BackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p)
    {
        var g = ConvGeometry.Create("conv2d backward weight", x, gw, gy, WeightNames, p);
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
            ForEachImage(g, (image, gemmParallel) => ForwardImage(xBase, wBase, biasValues, yBase, g, image, gemmParallel));
        }
    }

    /// <summary>y[n] = W·im2col(x[n]) (+ bias), group by group.</summary>
    private static void ForwardImage<T>(T* x, T* w, T[]? bias, T* y, in ConvGeometry g, long image, bool gemmParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, plane = g.OutputPlane, og = g.GroupOutputs;
        using var scratch = new PinnedScratch<T>(g.IsPointwise ? 0 : (long)rows * plane);
        for (int group = 0; group < g.P.Groups; group++)
        {
            T* input = x + (image * g.Channels + (long)group * g.GroupChannels) * g.InputPlane;
            T* output = y + (image * g.Outputs + (long)group * og) * plane;
            T* col = input;
            if (!g.IsPointwise)
            {
                col = scratch.Pointer;
                Im2Col.Unfold(input, col, g);
            }
            T beta = T.Zero;
            if (bias is not null)
            {
                // Start from the bias and accumulate the product onto it.
                for (int o = 0; o < og; o++) new Span<T>(output + (long)o * plane, plane).Fill(bias[group * og + o]);
                beta = T.One;
            }
            GemmDriver.Gemm(og, plane, rows, T.One,
                w + (long)group * og * rows, rows, 1,
                col, plane, 1,
                beta, output, plane, 1, gemmParallel);
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
            ForEachImage(g, (image, gemmParallel) => BackwardDataImage(gyBase, wBase, gxBase, g, image, gemmParallel));
        }
    }

    /// <summary>gx[n] = col2im(Wᵀ·gy[n]), group by group.</summary>
    private static void BackwardDataImage<T>(T* gy, T* w, T* gx, in ConvGeometry g, long image, bool gemmParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, plane = g.OutputPlane, og = g.GroupOutputs;
        T* gxImage = gx + image * g.Channels * g.InputPlane;
        using var scratch = new PinnedScratch<T>(g.IsPointwise ? 0 : (long)rows * plane);
        if (!g.IsPointwise) new Span<T>(gxImage, g.Channels * g.InputPlane).Clear();
        for (int group = 0; group < g.P.Groups; group++)
        {
            T* gradIn = gxImage + (long)group * g.GroupChannels * g.InputPlane;
            T* gradOut = gy + (image * g.Outputs + (long)group * og) * plane;
            T* wGroup = w + (long)group * og * rows;
            // Wᵀ is the group's [og, rows] weight read with swapped strides.
            T* colGrad = g.IsPointwise ? gradIn : scratch.Pointer;
            GemmDriver.Gemm(rows, plane, og, T.One,
                wGroup, 1, rows,
                gradOut, plane, 1,
                T.Zero, colGrad, plane, 1, gemmParallel);
            if (!g.IsPointwise) Im2Col.Fold(colGrad, gradIn, g);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(image, gemmParallel) for every image: spread over threads when the
    /// batch can keep them busy, else one image at a time with threads inside the GEMM.
    /// </summary>
    private static void ForEachImage(ConvGeometry g, Action<long, bool> body)
    {
        int threads = CpuParallel.ThreadCount;
        if (g.Batch >= threads && threads > 1)
        {
            CpuParallel.For(g.Batch, 1, (start, end) =>
            {
                for (long image = start; image < end; image++) body(image, false);
            });
            return;
        }
        for (long image = 0; image < g.Batch; image++) body(image, true);
    }
}
