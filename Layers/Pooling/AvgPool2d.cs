using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// Average pooling over windows of x [N, C, H, W] (stride defaults to the window; zero padding is counted
/// in the average unless <c>countIncludePad</c> is false).
/// </summary>
public sealed class AvgPool2d : Module
{
    /// <summary>Square windows of <paramref name="kernelSize"/>.</summary>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), countIncludePad)
    {
    }

    /// <summary>Windows of (height, width).</summary>
    public AvgPool2d((int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, bool countIncludePad = true)
    {
        var s = stride ?? kernelSize;
        Geometry = new Pool2dParams(kernelSize.H, kernelSize.W, s.H, s.W, padding.H, padding.W, countIncludePad);
        PoolingChecks.Check("avg_pool2d", Geometry);
    }

    /// <summary>Window, stride, padding and padding rule.</summary>
    public Pool2dParams Geometry { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.AvgPool2d(Geometry);

    /// <inheritdoc />
    protected override string ExtraRepr()
    {
        var g = Geometry;
        var text = $"kernel_size={Repr.PairOrInt(g.KernelH, g.KernelW)}, stride={Repr.PairOrInt(g.StrideH, g.StrideW)}, padding={Repr.PairOrInt(g.PadH, g.PadW)}";
        return g.CountIncludePad ? text : text + ", count_include_pad=False";
    }
}
