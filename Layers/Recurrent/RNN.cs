namespace Scratch;

/// <summary>
/// A multi-layer Elman recurrent network, like PyTorch's <c>nn.RNN</c>: h_t = act(W_ih x_t + b_ih + W_hh h_(t−1) + b_hh)
/// with act tanh (default) or ReLU. See <see cref="RNNBase"/> for shapes, names and variable lengths.
/// </summary>
public sealed class RNN : RNNBase
{
    /// <summary>A stack of <paramref name="numLayers"/> layers of <paramref name="hiddenSize"/> units.</summary>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh, bool bias = true,
        bool batchFirst = false, double dropout = 0, bool bidirectional = false, Generator? generator = null)
        : base(nonlinearity == RnnNonlinearity.Relu ? RecurrentKind.RnnRelu : RecurrentKind.RnnTanh, inputSize, hiddenSize, numLayers, bias,
            batchFirst, dropout, bidirectional, generator)
    {
        Nonlinearity = nonlinearity;
    }

    /// <summary>tanh or ReLU.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    /// <inheritdoc />
    protected override string ExtraRepr() => Nonlinearity == RnnNonlinearity.Relu ? base.ExtraRepr() + ", nonlinearity=relu" : base.ExtraRepr();
}
