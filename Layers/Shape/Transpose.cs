namespace Scratch;

/// <summary>Swaps two dims (a view), e.g. [N, T, F] sequences into [N, F, T] for <see cref="Conv1d"/>.</summary>
public sealed class Transpose(int dim0, int dim1) : Module
{
    /// <summary>First dim swapped.</summary>
    public int Dim0 { get; } = dim0;

    /// <summary>Second dim swapped.</summary>
    public int Dim1 { get; } = dim1;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Transpose(Dim0, Dim1);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"dim0={Dim0}, dim1={Dim1}";
}
