namespace Scratch;

/// <summary>One step of an Elman network, like PyTorch's <c>nn.RNNCell</c>: h' = act(W_ih x + b_ih + W_hh h + b_hh).</summary>
public sealed class RNNCell : RNNCellBase
{
    /// <summary>A cell of <paramref name="hiddenSize"/> units.</summary>
    public RNNCell(int inputSize, int hiddenSize, bool bias = true, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, Generator? generator = null)
        : base(nonlinearity == RnnNonlinearity.Relu ? RecurrentKind.RnnRelu : RecurrentKind.RnnTanh, inputSize, hiddenSize, bias, generator)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>tanh or ReLU.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <inheritdoc />
    protected override string ExtraRepr() => Nonlinearity == RnnNonlinearity.Relu ? base.ExtraRepr() + ", nonlinearity=relu" : base.ExtraRepr();
}
