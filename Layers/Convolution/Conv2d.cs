using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// 2-D convolution (cross-correlation) of x [N, C_in, H, W] into [N, C_out, OH, OW], with stride,
/// zero padding, dilation and channel groups. Weight [C_out, C_in/groups, KH, KW] and bias [C_out]
/// start as PyTorch's: U(−1/√fan_in, 1/√fan_in) with fan_in = C_in/groups·KH·KW.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>A square-kernel convolution with the same stride, padding and dilation in both directions.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, generator)
    {
    }

    /// <summary>A convolution with separate (height, width) geometry.</summary>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding,
        (int H, int W) dilation, int groups = 1, bool bias = true, Generator? generator = null)
    {
        if (inChannels < 1 || outChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"conv2d: channel counts must be positive, got in {inChannels}, out {outChannels}");
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"conv2d: groups {groups} must divide in_channels {inChannels} and out_channels {outChannels}", nameof(groups));
        if (kernelSize.H < 1 || kernelSize.W < 1 || stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0 || dilation.H < 1 || dilation.W < 1)
            throw new ArgumentException($"conv2d: invalid geometry kernel {kernelSize}, stride {stride}, padding {padding}, dilation {dilation}");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Geometry = new Conv2dParams(stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups);
        Weight = new Parameter(NDArray.Zeros([outChannels, inChannels / groups, kernelSize.H, kernelSize.W]));
        Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (bias)
        {
            Bias = new Parameter(NDArray.Zeros([outChannels]));
            double bound = 1 / Math.Sqrt(Init.Fans(Weight.Shape).FanIn);
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>(KH, KW)</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>Stride, padding, dilation and groups.</summary>
    public Conv2dParams Geometry { get; }

    /// <summary>[C_out, C_in/groups, KH, KW]</summary>
    public Parameter Weight { get; }

    /// <summary>[C_out], or null without bias.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank != 4 || input.Shape[1] != InChannels)
            throw new ArgumentException($"conv2d: weight {Weight.Value.ShapeString} expects input [N, {InChannels}, H, W], got {input.ShapeString}");
        return Tensor.Conv2d(input, Weight, Bias?.Value, Geometry);
    }

    /// <inheritdoc />
    protected override string ExtraRepr()
    {
        var g = Geometry;
        var text = $"{InChannels}, {OutChannels}, kernel_size={Repr.Pair(KernelSize.H, KernelSize.W)}, stride={Repr.Pair(g.StrideH, g.StrideW)}";
        if (g.PadH != 0 || g.PadW != 0) text += $", padding={Repr.Pair(g.PadH, g.PadW)}";
        if (g.DilationH != 1 || g.DilationW != 1) text += $", dilation={Repr.Pair(g.DilationH, g.DilationW)}";
        if (g.Groups != 1) text += $", groups={g.Groups}";
        if (Bias is null) text += ", bias=False";
        return text;
    }
}
