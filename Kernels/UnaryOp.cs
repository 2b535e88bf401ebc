namespace Scratch.Kernels;

/// <summary>
/// Elementwise functions y = f(x). Some take scalar parameters, passed to
/// <see cref="IBackend.Unary"/> as <c>alpha</c> and <c>beta</c>; the others ignore them.
/// Semantics follow PyTorch's functions of the same name.
/// </summary>
public enum UnaryOp
{
    /// <summary>-x</summary>
    Neg,
    /// <summary>|x|</summary>
    Abs,
    /// <summary>-1, 0 or 1 (0 at 0); derivative 0.</summary>
    Sign,
    /// <summary>e^x</summary>
    Exp,
    /// <summary>natural log</summary>
    Log,
    /// <summary>√x</summary>
    Sqrt,
    /// <summary>sin x</summary>
    Sin,
    /// <summary>cos x</summary>
    Cos,
    /// <summary>tanh x</summary>
    Tanh,
    /// <summary>1 / (1 + e^-x), computed without overflow for large |x|.</summary>
    Sigmoid,
    /// <summary>max(x, 0); derivative 0 at x = 0 (as PyTorch).</summary>
    Relu,
    /// <summary>x for x &gt; 0, alpha·x otherwise (alpha = negative slope).</summary>
    LeakyRelu,
    /// <summary>x for x &gt; 0, alpha·(e^x − 1) otherwise.</summary>
    Elu,
    /// <summary>scale·(x for x &gt; 0, α(e^x − 1) otherwise) with PyTorch's fixed α = 1.6732632423543772, scale = 1.0507009873554805.</summary>
    Selu,
    /// <summary>x·sigmoid(x) (Swish).</summary>
    Silu,
    /// <summary>x·Φ(x), the exact (erf) form.</summary>
    Gelu,
    /// <summary>(1/alpha)·log(1 + e^(alpha·x)); x itself where alpha·x &gt; beta (alpha = PyTorch's beta, beta = its threshold).</summary>
    Softplus,
    /// <summary>x^alpha for a scalar exponent alpha.</summary>
    PowScalar,
    /// <summary>min(max(x, alpha), beta); the derivative is 1 inside [alpha, beta] and 0 outside.</summary>
    Clamp,
    /// <summary>1 / x</summary>
    Reciprocal,
    /// <summary>x²</summary>
    Square,
}
