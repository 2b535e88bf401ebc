namespace Scratch;

/// <summary>
/// One time step of each recurrence, in PyTorch's gate order (LSTM i, f, g, o; GRU r, z, n), shared by
/// the layers and the cells. The input projection <c>xp</c> = x·W_ihᵀ + b_ih (for RNN and LSTM also + b_hh)
/// is computed by the caller; here only the recurrent product
/// h·W_hhᵀ and the gate arithmetic remain. The arithmetic is composed from Tensor ops (a fused step kernel
/// would need a backend primitive; see docs/ops.md).
/// </summary>
internal static class RecurrentSteps
{
    /// <summary>Gates stacked in the weights of <paramref name="kind"/>.</summary>
    public static int Gates(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => 4,
        RecurrentKind.Gru => 3,
        _ => 1,
    };

    /// <summary>Whether b_hh is folded into the input projection (everything but the GRU, whose b_hn sits inside r ⊙ (·)).</summary>
    public static bool FoldsRecurrentBias(RecurrentKind kind) => kind != RecurrentKind.Gru;

    /// <summary>
    /// The next state from the input projection <paramref name="xp"/> [N, gates·H] and the state (h, c):
    /// RNN h' = act(xp + h·W_hhᵀ); LSTM c' = f⊙c + i⊙g, h' = o⊙tanh(c'); GRU h' = n + z⊙(h − n) with
    /// n = tanh(xp_n + r⊙(h·W_hnᵀ + b_hn)). <paramref name="bHh"/> is used only by the GRU.
    /// </summary>
    public static (Tensor H, Tensor? C) Step(RecurrentKind kind, Tensor xp, Tensor h, Tensor? c, Tensor wHh, Tensor? bHh)
    {
        int hidden = h.Shape[^1];
        var hp = h.MatMul(wHh.T);
        switch (kind)
        {
            case RecurrentKind.RnnTanh:
                return ((xp + hp).Tanh(), null);
            case RecurrentKind.RnnRelu:
                return ((xp + hp).Relu(), null);
            case RecurrentKind.Lstm:
            {
                var gates = xp + hp;
                var sig = gates.Sigmoid();
                var i = sig.Narrow(1, 0, hidden);
                var f = sig.Narrow(1, hidden, hidden);
                var g = gates.Narrow(1, 2 * hidden, hidden).Tanh();
                var o = sig.Narrow(1, 3 * hidden, hidden);
                var next = f * c! + i * g;
                return (o * next.Tanh(), next);
            }
            case RecurrentKind.Gru:
            {
                if (bHh is not null) hp += bHh;
                var rz = (xp.Narrow(1, 0, 2 * hidden) + hp.Narrow(1, 0, 2 * hidden)).Sigmoid();
                var r = rz.Narrow(1, 0, hidden);
                var z = rz.Narrow(1, hidden, hidden);
                var n = (xp.Narrow(1, 2 * hidden, hidden) + r * hp.Narrow(1, 2 * hidden, hidden)).Tanh();
                return (n + z * (h - n), null);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>PyTorch's name of the layer type, for messages.</summary>
    public static string Name(RecurrentKind kind) => kind switch
    {
        RecurrentKind.Lstm => "lstm",
        RecurrentKind.Gru => "gru",
        _ => "rnn",
    };
}
