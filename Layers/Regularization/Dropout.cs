namespace Scratch;

/// <summary>
/// Inverted dropout: in training mode each element is zeroed with probability <see cref="P"/> and the rest
/// are scaled by 1/(1 − p); in evaluation mode the input passes unchanged. Masks come from the module's
/// <see cref="Generator"/> (default <see cref="Generator.Default"/>).
/// </summary>
public sealed class Dropout : Module
{
    /// <summary>Dropout with probability <paramref name="p"/>.</summary>
    public Dropout(double p = 0.5, Generator? generator = null)
    {
        if (p is < 0 or >= 1 || double.IsNaN(p))
            throw new ArgumentOutOfRangeException(nameof(p), p, "dropout: p must be in [0, 1)");
        P = p;
        Generator = generator;
    }

    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>Source of the masks; null uses <see cref="Generator.Default"/> at each call.</summary>
    public Generator? Generator { get; set; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Dropout(P, IsTraining, Generator);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"p={Repr.Float(P)}, inplace=False";
}
