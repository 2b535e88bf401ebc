using Scratch.Kernels;

namespace Scratch;

/// <summary>Max pooling over windows of x [N, C, H, W] (stride defaults to the window; padding counts as −∞).</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Square windows of <paramref name="kernelSize"/>.</summary>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding))
    {
    }

    /// <summary>Windows of (height, width).</summary>
    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding)
    {
        var s = stride ?? kernelSize;
        Geometry = new Pool2dParams(kernelSize.H, kernelSize.W, s.H, s.W, padding.H, padding.W);
        PoolingChecks.Check("max_pool2d", Geometry);
    }

    /// <summary>Window, stride and padding.</summary>
    public Pool2dParams Geometry { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.MaxPool2d(Geometry);

    /// <inheritdoc />
    protected override string ExtraRepr()
    {
        var g = Geometry;
        return $"kernel_size={Repr.PairOrInt(g.KernelH, g.KernelW)}, stride={Repr.PairOrInt(g.StrideH, g.StrideW)}, padding={Repr.PairOrInt(g.PadH, g.PadW)}, dilation=1, ceil_mode=False";
    }
}

/// <summary>Constructor-time checks shared by the pooling layers.</summary>
internal static class PoolingChecks
{
    public static void Check(string op, Pool2dParams p)
    {
        if (p.KernelH < 1 || p.KernelW < 1 || p.StrideH < 1 || p.StrideW < 1 || p.PadH < 0 || p.PadW < 0)
            throw new ArgumentException($"{op}: invalid geometry {p}");
        if (p.PadH * 2 > p.KernelH || p.PadW * 2 > p.KernelW)
            throw new ArgumentException($"{op}: padding ({p.PadH}, {p.PadW}) must be at most half the kernel ({p.KernelH}, {p.KernelW})");
    }
}
