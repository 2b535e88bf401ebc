namespace Scratch;

/// <summary>One GRU step, like PyTorch's <c>nn.GRUCell</c> (gates r, z, n).</summary>
public sealed class GRUCell : RNNCellBase
{
    /// <summary>A cell of <paramref name="hiddenSize"/> units.</summary>
    public GRUCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base(RecurrentKind.Gru, inputSize, hiddenSize, bias, generator)
    {
    }
}
