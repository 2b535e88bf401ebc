namespace Scratch;

/// <summary>The activation of a plain (Elman) recurrent layer or cell.</summary>
public enum RnnNonlinearity
{
    /// <summary>h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (PyTorch's default).</summary>
    Tanh,
    /// <summary>h' = relu(W_ih x + b_ih + W_hh h + b_hh).</summary>
    Relu,
}
