namespace Scratch;

/// <summary>
/// y = x·Wᵀ + b over the last dim of x [*, in] → [*, out]. Weight [out, in] and bias [out] start as
/// PyTorch's: U(−1/√in, 1/√in) (kaiming_uniform with a = √5 for the weight).
/// </summary>
public sealed class Linear : Module
{
    /// <summary>A layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>, drawing its initial values from <paramref name="generator"/>.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, Generator? generator = null)
    {
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentOutOfRangeException(nameof(inFeatures), $"linear: feature counts must be >= 0, got in {inFeatures}, out {outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        Weight = new Parameter(NDArray.Zeros([outFeatures, inFeatures]));
        if (inFeatures > 0) Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (bias)
        {
            Bias = new Parameter(NDArray.Zeros([outFeatures]));
            double bound = inFeatures > 0 ? 1 / Math.Sqrt(inFeatures) : 0;
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    /// <summary>Input size.</summary>
    public int InFeatures { get; }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>[out, in]</summary>
    public Parameter Weight { get; }

    /// <summary>[out], or null without bias.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        if (input.Rank == 0 || input.Shape[^1] != InFeatures)
            throw new ArgumentException($"linear: expects input [*, {InFeatures}], got {input.ShapeString}");
        var y = Tensor.MatMul(input, Weight.Value.T);
        return Bias is null ? y : y + Bias.Value;
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"in_features={InFeatures}, out_features={OutFeatures}, bias={Repr.Bool(Bias is not null)}";
}
