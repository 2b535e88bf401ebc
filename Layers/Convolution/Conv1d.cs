namespace Scratch;

/// <summary>
/// 1-D convolution (cross-correlation) of x [N, C_in, L] into [N, C_out, OL], with stride, zero padding,
/// dilation and channel groups, like PyTorch's <c>nn.Conv1d</c>. Weight [C_out, C_in/groups, K] and bias
/// [C_out] start as PyTorch's: U(−1/√fan_in, 1/√fan_in) with fan_in = C_in/groups·K.
/// </summary>
public sealed class Conv1d : Module
{
    /// <summary>A convolution with a kernel of <paramref name="kernelSize"/> taps.</summary>
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1,
        bool bias = true, Generator? generator = null)
    {
        if (inChannels < 1 || outChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(inChannels), $"conv1d: channel counts must be positive, got in {inChannels}, out {outChannels}");
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"conv1d: groups {groups} must divide in_channels {inChannels} and out_channels {outChannels}", nameof(groups));
        if (kernelSize < 1 || stride < 1 || padding < 0 || dilation < 1)
            throw new ArgumentException($"conv1d: invalid geometry kernel {kernelSize}, stride {stride}, padding {padding}, dilation {dilation}");
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        Weight = new Parameter(NDArray.Zeros([outChannels, inChannels / groups, kernelSize]));
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

    /// <summary>Kernel taps.</summary>
    public int KernelSize { get; }

    /// <summary>Step between output positions.</summary>
    public int Stride { get; }

    /// <summary>Zeros added at each end.</summary>
    public int Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public int Dilation { get; }

    /// <summary>Channel groups.</summary>
    public int Groups { get; }

    /// <summary>[C_out, C_in/groups, K]</summary>
    public Parameter Weight { get; }

    /// <summary>[C_out], or null without bias.</summary>
    public Parameter? Bias { get; }

    /// <summary>Output length for an input of length <paramref name="length"/>.</summary>
    public int OutputLength(int length) => (length + 2 * Padding - Dilation * (KernelSize - 1) - 1) / Stride + 1;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank != 3 || input.Shape[1] != InChannels)
            throw new ArgumentException($"conv1d: weight {Weight.Value.ShapeString} expects input [N, {InChannels}, L], got {input.ShapeString}");
        return Tensor.Conv1d(input, Weight, Bias?.Value, Stride, Padding, Dilation, Groups);
    }

    /// <inheritdoc />
    protected override string ExtraRepr()
    {
        var text = $"{InChannels}, {OutChannels}, kernel_size=({KernelSize},), stride=({Stride},)";
        if (Padding != 0) text += $", padding=({Padding},)";
        if (Dilation != 1) text += $", dilation=({Dilation},)";
        if (Groups != 1) text += $", groups={Groups}";
        if (Bias is null) text += ", bias=False";
        return text;
    }
}
