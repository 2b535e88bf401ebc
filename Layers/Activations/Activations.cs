namespace Scratch;

/// <summary>max(x, 0)</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Relu();
}

/// <summary>x for x &gt; 0, else negative_slope·x.</summary>
public sealed class LeakyReLU(double negativeSlope = 0.01) : Module
{
    /// <summary>Slope below zero.</summary>
    public double NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.LeakyRelu(NegativeSlope);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"negative_slope={Repr.Float(NegativeSlope)}";
}

/// <summary>x for x &gt; 0, else α·(eˣ − 1).</summary>
public sealed class ELU(double alpha = 1.0) : Module
{
    /// <summary>α</summary>
    public double Alpha { get; } = alpha;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Elu(Alpha);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"alpha={Repr.Float(Alpha)}";
}

/// <summary>Scaled ELU with PyTorch's fixed constants (pair with <see cref="Init.LeCunNormal"/>).</summary>
public sealed class SELU : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Selu();
}

/// <summary>1 / (1 + e⁻ˣ)</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Sigmoid();
}

/// <summary>tanh x</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Tanh();
}

/// <summary>x·sigmoid(x), also known as Swish (see <see cref="Swish"/>).</summary>
public class SiLU : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Silu();
}

/// <summary>Swish, x·sigmoid(x): the same function as <see cref="SiLU"/>.</summary>
public sealed class Swish : SiLU;

/// <summary>x·Φ(x) with the exact Gaussian CDF (PyTorch's <c>approximate='none'</c>).</summary>
public sealed class GELU : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Gelu();

    /// <inheritdoc />
    protected override string ExtraRepr() => "approximate='none'";
}

/// <summary>(1/β)·log(1 + e^(β·x)), and x itself where β·x &gt; threshold.</summary>
public sealed class Softplus(double beta = 1, double threshold = 20) : Module
{
    /// <summary>β</summary>
    public double Beta { get; } = beta;

    /// <summary>Above β·x = threshold the function is linear.</summary>
    public double Threshold { get; } = threshold;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Softplus(Beta, Threshold);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"beta={Repr.Float(Beta)}, threshold={Repr.Float(Threshold)}";
}

/// <summary>Softmax along <see cref="Dim"/> (default the last).</summary>
public sealed class Softmax(int dim = -1) : Module
{
    /// <summary>The dim that sums to 1.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.Softmax(Dim);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"dim={Dim}";
}

/// <summary>Log-softmax along <see cref="Dim"/> (default the last).</summary>
public sealed class LogSoftmax(int dim = -1) : Module
{
    /// <summary>The dim normalised over.</summary>
    public int Dim { get; } = dim;

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input.LogSoftmax(Dim);

    /// <inheritdoc />
    protected override string ExtraRepr() => $"dim={Dim}";
}
