namespace Scratch;

/// <summary>
/// Maxout (Goodfellow et al., 2013): a <see cref="Linear"/> layer to out·k features, then the maximum over
/// each unit's k pieces: y[…, j] = max_p (x·W_{j,p} + b_{j,p}). Pieces of one unit are adjacent rows of the
/// linear weight (row j·k + p).
/// </summary>
public sealed class Maxout : Module
{
    /// <summary>A maxout layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/> with <paramref name="pieces"/> linear pieces per unit.</summary>
    public Maxout(int inFeatures, int outFeatures, int pieces, bool bias = true, Generator? generator = null)
    {
        if (pieces < 1) throw new ArgumentOutOfRangeException(nameof(pieces), pieces, "maxout: needs at least one piece");
        OutFeatures = outFeatures;
        Pieces = pieces;
        Linear = new Linear(inFeatures, outFeatures * pieces, bias, generator);
    }

    /// <summary>Output size.</summary>
    public int OutFeatures { get; }

    /// <summary>Linear pieces per unit (k).</summary>
    public int Pieces { get; }

    /// <summary>The underlying linear map to out·k features.</summary>
    public Linear Linear { get; }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var z = Linear.Forward(input);
        var shape = z.Shape.Take(z.Rank - 1).Concat([OutFeatures, Pieces]).ToArray();
        return z.Reshape(shape).Max(-1);
    }

    /// <inheritdoc />
    protected override string ExtraRepr() => $"out_features={OutFeatures}, pieces={Pieces}";
}
