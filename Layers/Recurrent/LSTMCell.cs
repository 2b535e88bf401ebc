namespace Scratch;

/// <summary>One LSTM step, like PyTorch's <c>nn.LSTMCell</c> (gates i, f, g, o); the state carries h and c.</summary>
public sealed class LSTMCell : RNNCellBase
{
    /// <summary>A cell of <paramref name="hiddenSize"/> units.</summary>
    public LSTMCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
        : base(RecurrentKind.Lstm, inputSize, hiddenSize, bias, generator)
    {
    }
}
