namespace Scratch;

/// <summary>
/// The state a recurrent layer or cell carries between time steps: the hidden state h, and for LSTMs the
/// cell state c. For a layer both are [layers·directions, N, H] (PyTorch's <c>h_0</c>/<c>c_0</c> and
/// <c>h_n</c>/<c>c_n</c>); for a cell, [N, H].
/// </summary>
/// <param name="Hidden">h</param>
/// <param name="Cell">c (LSTM only; null otherwise).</param>
public sealed record RecurrentState(Tensor Hidden, Tensor? Cell = null);
