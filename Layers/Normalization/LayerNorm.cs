namespace Scratch;

/// <summary>
/// Layer normalisation over the trailing dims <see cref="NormalizedShape"/>: y = (x − mean)/√(var + eps)·γ + β
/// with the mean and biased variance of each sample's trailing elements, composed from tensor ops.
/// γ starts at 1 and β at 0.
/// </summary>
public sealed class LayerNorm : Module
{
    /// <summary>Normalisation over the last dim of size <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
        : this([normalizedShape], eps, elementwiseAffine, bias)
    {
    }

    /// <summary>Normalisation over trailing dims of shape <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(int[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, bool bias = true)
    {
        if (normalizedShape.Length == 0 || normalizedShape.Any(d => d < 1))
            throw new ArgumentException($"layer_norm: normalized shape {Shapes.Format(normalizedShape)} must be non-empty with positive dims", nameof(normalizedShape));
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "layer_norm: eps must be positive");
        NormalizedShape = (int[])normalizedShape.Clone();
        Eps = eps;
        if (elementwiseAffine)
        {
            Weight = new Parameter(NDArray.Ones(normalizedShape));
            if (bias) Bias = new Parameter(NDArray.Zeros(normalizedShape));
        }
    }

    /// <summary>The trailing dims normalised over.</summary>
    public IReadOnlyList<int> NormalizedShape { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; }

    /// <summary>γ (null without elementwise affine).</summary>
    public Parameter? Weight { get; }

    /// <summary>β (null without elementwise affine or bias).</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        int k = NormalizedShape.Count;
        if (input.Rank < k || !input.Shape.Skip(input.Rank - k).SequenceEqual(NormalizedShape))
            throw new ArgumentException($"layer_norm: input {input.ShapeString} does not end in the normalized shape {Shapes.Format(NormalizedShape)}");
        var axes = Enumerable.Range(input.Rank - k, k).ToArray();
        var centred = input - input.Mean(axes, keepDim: true);
        var variance = centred.Square().Mean(axes, keepDim: true);
        var y = centred / (variance + Eps).Sqrt();
        if (Weight is not null) y *= Weight.Value;
        if (Bias is not null) y += Bias.Value;
        return y;
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"{Repr.Tuple(NormalizedShape)}, eps={Repr.Float(Eps)}, elementwise_affine={Repr.Bool(Weight is not null)}";
}
