namespace Scratch;

/// <summary>Merges dims <see cref="StartDim"/> … <see cref="EndDim"/> (by default all but the batch dim).</summary>
public sealed class Flatten(int startDim = 1, int endDim = -1) : Module
{
    /// <summary>First dim merged.</summary>
    public int StartDim { get; } = startDim;

    /// <summary>Last dim merged (negative counts from the end).</summary>
    public int EndDim { get; } = endDim;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Flatten(StartDim, EndDim);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"start_dim={StartDim}, end_dim={EndDim}";
}
