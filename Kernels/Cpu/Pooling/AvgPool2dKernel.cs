using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Average pooling over NCHW planes, in parallel over the N·C planes. Padding counts as zeros; the
/// divisor is the window clipped to the padded input (<see cref="Pool2dParams.CountIncludePad"/>) or to
/// the real input, as in PyTorch.
/// </summary>
internal static unsafe class AvgPool2dKernel
{
    /// <summary>y = mean over each window, as <see cref="IBackend.AvgPool2dForward"/> documents.</summary>
    public static void Forward(BufferView x, BufferView y, Pool2dParams p)
    {
        var g = BackendContract.AvgPool2dForward(x, y, p);
        if (x.DType == DType.Float32) Forward<float>(x, y, g);
        else Forward<double>(x, y, g);
    }

    /// <summary>gx = ∂L/∂x given gy, as <see cref="IBackend.AvgPool2dBackward"/> documents.</summary>
    public static void Backward(BufferView gy, BufferView gx, Pool2dParams p)
    {
        var g = BackendContract.AvgPool2dBackward(gy, gx, p);
        if (gx.DType == DType.Float32) Backward<float>(gy, gx, g);
        else Backward<double>(gy, gx, g);
    }

    /// <summary>The real rows/columns of window (oh, ow) and its divisor.</summary>
    private readonly record struct Window(int HStart, int HEnd, int WStart, int WEnd, int Divisor);

    private static Window WindowAt(in PoolGeometry g, int oh, int ow)
    {
        var p = g.P;
        int h0 = oh * p.StrideH - p.PadH, w0 = ow * p.StrideW - p.PadW;
        int h1 = Math.Min(h0 + p.KernelH, g.Height + p.PadH), w1 = Math.Min(w0 + p.KernelW, g.Width + p.PadW);
        int padded = (h1 - h0) * (w1 - w0);
        int hStart = Math.Max(h0, 0), wStart = Math.Max(w0, 0);
        int hEnd = Math.Min(h1, g.Height), wEnd = Math.Min(w1, g.Width);
        int divisor = p.CountIncludePad ? padded : (hEnd - hStart) * (wEnd - wStart);
        return new Window(hStart, hEnd, wStart, wEnd, divisor);
    }

    private static void Forward<T>(BufferView x, BufferView y, PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = &CpuBuffer.Of(x).Ref<T>())
        fixed (T* py = &CpuBuffer.Of(y).Ref<T>())
        {
            T* xBase = px + x.Offset, yBase = py + y.Offset;
            CpuParallel.For(g.Planes, g.Grain, (start, end) =>
            {
                for (long plane = start; plane < end; plane++)
                {
                    T* input = xBase + plane * g.InputPlane;
                    T* output = yBase + plane * g.OutputPlane;
                    for (int oh = 0; oh < g.OutHeight; oh++)
                    {
                        for (int ow = 0; ow < g.OutWidth; ow++)
                        {
                            var window = WindowAt(g, oh, ow);
                            T sum = T.Zero;
                            for (int h = window.HStart; h < window.HEnd; h++)
                                for (int w = window.WStart; w < window.WEnd; w++) sum += input[(long)h * g.Width + w];
                            output[oh * g.OutWidth + ow] = sum / T.CreateTruncating(window.Divisor);
                        }
                    }
                }
            });
        }
    }

    private static void Backward<T>(BufferView gy, BufferView gx, PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pgy = &CpuBuffer.Of(gy).Ref<T>())
        fixed (T* pgx = &CpuBuffer.Of(gx).Ref<T>())
        {
            T* gyBase = pgy + gy.Offset, gxBase = pgx + gx.Offset;
            CpuParallel.For(g.Planes, g.Grain, (start, end) =>
            {
                for (long plane = start; plane < end; plane++)
                {
                    T* gradIn = gxBase + plane * g.InputPlane;
                    T* gradOut = gyBase + plane * g.OutputPlane;
                    new Span<T>(gradIn, g.InputPlane).Clear();
                    for (int oh = 0; oh < g.OutHeight; oh++)
                    {
                        for (int ow = 0; ow < g.OutWidth; ow++)
                        {
                            var window = WindowAt(g, oh, ow);
                            T share = gradOut[oh * g.OutWidth + ow] / T.CreateTruncating(window.Divisor);
                            for (int h = window.HStart; h < window.HEnd; h++)
                                for (int w = window.WStart; w < window.WEnd; w++) gradIn[(long)h * g.Width + w] += share;
                        }
                    }
                }
            });
        }
    }
}
