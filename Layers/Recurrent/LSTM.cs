namespace Scratch;

/// <summary>
/// A multi-layer long short-term memory network, like PyTorch's <c>nn.LSTM</c>. Per step, with the gates
/// stacked in the order i, f, g, o: i, f, o = σ(·), g = tanh(·) of W_ih x_t + b_ih + W_hh h_(t−1) + b_hh;
/// c_t = f⊙c_(t−1) + i⊙g; h_t = o⊙tanh(c_t). The state carries both h and c. See <see cref="RNNBase"/> for
/// shapes, names and variable lengths.
/// </summary>
public sealed class LSTM : RNNBase
{
    /// <summary>A stack of <paramref name="numLayers"/> layers of <paramref name="hiddenSize"/> units.</summary>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null)
        : base(RecurrentKind.Lstm, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }
}
