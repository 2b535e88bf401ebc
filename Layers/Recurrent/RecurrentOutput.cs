namespace Scratch;

/// <summary>What a recurrent layer returns: every time step's top-layer hidden state, and the final state of every layer.</summary>
/// <param name="Output">[T, N, directions·H] ([N, T, directions·H] with <c>batchFirst</c>); zeros past each sequence's length.</param>
/// <param name="State">h_n (and c_n for LSTMs), [layers·directions, N, H]: for each sequence the state at its last real step.</param>
public sealed record RecurrentOutput(Tensor Output, RecurrentState State);
