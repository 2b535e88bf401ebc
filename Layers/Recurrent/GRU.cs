namespace Scratch;

/// <summary>
/// A multi-layer gated recurrent unit network, like PyTorch's <c>nn.GRU</c>. Per step, with the gates stacked
/// in the order r, z, n: r, z = σ(W_i· x_t + b_i· + W_h· h_(t−1) + b_h·); n = tanh(W_in x_t + b_in + r⊙(W_hn h_(t−1) + b_hn));
/// h_t = (1 − z)⊙n + z⊙h_(t−1). See <see cref="RNNBase"/> for shapes, names and variable lengths.
/// </summary>
public sealed class GRU : RNNBase
{
    /// <summary>A stack of <paramref name="numLayers"/> layers of <paramref name="hiddenSize"/> units.</summary>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
        bool bidirectional = false, Generator? generator = null)
        : base(RecurrentKind.Gru, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
    {
    }
}
