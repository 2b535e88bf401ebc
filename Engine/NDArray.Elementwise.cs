using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    // ---- unary ------------------------------------------------------------------------------

    /// <summary>y = f(x) for a <see cref="UnaryOp"/> (the primitive behind the named methods below).</summary>
    public NDArray Apply(UnaryOp op, double alpha = 0, double beta = 0)
    {
        if (op is not (UnaryOp.Neg or UnaryOp.Abs or UnaryOp.Sign or UnaryOp.Square or UnaryOp.Clamp))
            CheckFloating(op.ToString().ToLowerInvariant());
        var result = EmptyLike();
        if (Count > 0) Backend.Unary(op, KernelView, result.KernelView, alpha, beta);
        return result;
    }

    /// <summary>gx = gy · f′(x), the derivative of <see cref="Apply(UnaryOp, double, double)"/> at this array (x), fused with the chain rule.</summary>
    public NDArray ApplyBackward(UnaryOp op, NDArray gradOutput, double alpha = 0, double beta = 0)
    {
        string name = op.ToString().ToLowerInvariant() + "_backward";
        CheckFloating(name);
        CheckSameDevice(name, this, gradOutput);
        CheckSameDType(name, this, gradOutput);
        if (!gradOutput._shape.AsSpan().SequenceEqual(_shape))
            throw new ArgumentException($"{name}: gradient {gradOutput.ShapeString} does not match input {ShapeString}");
        var result = EmptyLike();
        if (Count > 0) Backend.UnaryBackward(op, KernelView, gradOutput.KernelView, result.KernelView, alpha, beta);
        return result;
    }

    /// <summary>−x</summary>
    public NDArray Neg() => Apply(UnaryOp.Neg);
    /// <summary>|x|</summary>
    public NDArray Abs() => Apply(UnaryOp.Abs);
    /// <summary>sign(x): −1, 0 or 1.</summary>
    public NDArray Sign() => Apply(UnaryOp.Sign);
    /// <summary>e^x</summary>
    public NDArray Exp() => Apply(UnaryOp.Exp);
    /// <summary>ln x</summary>
    public NDArray Log() => Apply(UnaryOp.Log);
    /// <summary>√x</summary>
    public NDArray Sqrt() => Apply(UnaryOp.Sqrt);
    /// <summary>sin x</summary>
    public NDArray Sin() => Apply(UnaryOp.Sin);
    /// <summary>cos x</summary>
    public NDArray Cos() => Apply(UnaryOp.Cos);
    /// <summary>tanh x</summary>
    public NDArray Tanh() => Apply(UnaryOp.Tanh);
    /// <summary>1 / (1 + e^−x)</summary>
    public NDArray Sigmoid() => Apply(UnaryOp.Sigmoid);
    /// <summary>max(x, 0)</summary>
    public NDArray Relu() => Apply(UnaryOp.Relu);
    /// <summary>x, or slope·x below 0.</summary>
    public NDArray LeakyRelu(double negativeSlope = 0.01) => Apply(UnaryOp.LeakyRelu, negativeSlope);
    /// <summary>x, or alpha·(e^x − 1) below 0.</summary>
    public NDArray Elu(double alpha = 1.0) => Apply(UnaryOp.Elu, alpha);
    /// <summary>Scaled ELU with PyTorch's constants.</summary>
    public NDArray Selu() => Apply(UnaryOp.Selu);
    /// <summary>x·sigmoid(x)</summary>
    public NDArray Silu() => Apply(UnaryOp.Silu);
    /// <summary>x·Φ(x)</summary>
    public NDArray Gelu() => Apply(UnaryOp.Gelu);
    /// <summary>(1/beta)·ln(1 + e^(beta·x)), linear above the threshold.</summary>
    public NDArray Softplus(double beta = 1, double threshold = 20) => Apply(UnaryOp.Softplus, beta, threshold);
    /// <summary>x^exponent</summary>
    public NDArray Pow(double exponent) => Apply(UnaryOp.PowScalar, exponent);
    /// <summary>min(max(x, min), max)</summary>
    public NDArray Clamp(double min = double.NegativeInfinity, double max = double.PositiveInfinity) => Apply(UnaryOp.Clamp, min, max);
    /// <summary>1 / x</summary>
    public NDArray Reciprocal() => Apply(UnaryOp.Reciprocal);
    /// <summary>x²</summary>
    public NDArray Square() => Apply(UnaryOp.Square);

    // ---- binary -----------------------------------------------------------------------------

    /// <summary>y = f(a, b) with NumPy broadcasting (the primitive behind the operators).</summary>
    public static NDArray Apply(BinaryOp op, NDArray a, NDArray b)
    {
        string name = op.ToString().ToLowerInvariant();
        CheckSameDevice(name, a, b);
        CheckSameDType(name, a, b);
        if (op == BinaryOp.Pow) a.CheckFloating(name);
        var shape = Shapes.Broadcast(name, a._shape, b._shape);
        var result = Empty(shape, a.DType, a.Device);
        if (result.Count > 0) a.Backend.Binary(op, a.BroadcastView(shape), b.BroadcastView(shape), result.KernelView);
        return result;
    }

    /// <summary>y = f(a, s) for a scalar s converted to a's dtype (passed to the kernel as a value: no array is made for it).</summary>
    public static NDArray Apply(BinaryOp op, NDArray a, double s) => ApplyScalar(op, a, s, scalarFirst: false);

    /// <summary>y = f(s, b) for a scalar s converted to b's dtype (passed to the kernel as a value: no array is made for it).</summary>
    public static NDArray Apply(BinaryOp op, double s, NDArray b) => ApplyScalar(op, b, s, scalarFirst: true);

    private static NDArray ApplyScalar(BinaryOp op, NDArray a, double s, bool scalarFirst)
    {
        if (op == BinaryOp.Pow) a.CheckFloating(op.ToString().ToLowerInvariant());
        var result = a.EmptyLike();
        if (result.Count > 0) a.Backend.BinaryScalar(op, a.KernelView, s, scalarFirst, result.KernelView);
        return result;
    }

    /// <summary>Elementwise maximum.</summary>
    public static NDArray Maximum(NDArray a, NDArray b) => Apply(BinaryOp.Maximum, a, b);
    /// <summary>Elementwise minimum.</summary>
    public static NDArray Minimum(NDArray a, NDArray b) => Apply(BinaryOp.Minimum, a, b);
    /// <summary>a^b elementwise.</summary>
    public static NDArray Pow(NDArray a, NDArray b) => Apply(BinaryOp.Pow, a, b);
    /// <summary>1 where equal, else 0.</summary>
    public NDArray Eq(NDArray other) => Apply(BinaryOp.Equal, this, other);
    /// <summary>1 where equal to <paramref name="value"/>.</summary>
    public NDArray Eq(double value) => Apply(BinaryOp.Equal, this, value);
    /// <summary>1 where not equal.</summary>
    public NDArray Ne(NDArray other) => Apply(BinaryOp.NotEqual, this, other);
    /// <summary>1 where not equal to <paramref name="value"/>.</summary>
    public NDArray Ne(double value) => Apply(BinaryOp.NotEqual, this, value);
    /// <summary>1 where less.</summary>
    public NDArray Lt(NDArray other) => Apply(BinaryOp.Less, this, other);
    /// <summary>1 where less than <paramref name="value"/>.</summary>
    public NDArray Lt(double value) => Apply(BinaryOp.Less, this, value);
    /// <summary>1 where less or equal.</summary>
    public NDArray Le(NDArray other) => Apply(BinaryOp.LessEqual, this, other);
    /// <summary>1 where less than or equal to <paramref name="value"/>.</summary>
    public NDArray Le(double value) => Apply(BinaryOp.LessEqual, this, value);
    /// <summary>1 where greater.</summary>
    public NDArray Gt(NDArray other) => Apply(BinaryOp.Greater, this, other);
    /// <summary>1 where greater than <paramref name="value"/>.</summary>
    public NDArray Gt(double value) => Apply(BinaryOp.Greater, this, value);
    /// <summary>1 where greater or equal.</summary>
    public NDArray Ge(NDArray other) => Apply(BinaryOp.GreaterEqual, this, other);
    /// <summary>1 where greater than or equal to <paramref name="value"/>.</summary>
    public NDArray Ge(double value) => Apply(BinaryOp.GreaterEqual, this, value);

    /// <summary>condition ≠ 0 ? a : b, broadcasting all three.</summary>
    public static NDArray Where(NDArray condition, NDArray a, NDArray b)
    {
        CheckSameDevice("where", condition, a, b);
        CheckSameDType("where", a, b);
        var shape = Shapes.Broadcast("where", Shapes.Broadcast("where", condition._shape, a._shape), b._shape);
        var result = Empty(shape, a.DType, a.Device);
        if (result.Count > 0)
            a.Backend.Where(condition.BroadcastView(shape), a.BroadcastView(shape), b.BroadcastView(shape), result.KernelView);
        return result;
    }

    // ---- operators --------------------------------------------------------------------------

    /// <summary>a + b</summary>
    public static NDArray operator +(NDArray a, NDArray b) => Apply(BinaryOp.Add, a, b);
    /// <summary>a − b</summary>
    public static NDArray operator -(NDArray a, NDArray b) => Apply(BinaryOp.Sub, a, b);
    /// <summary>a · b</summary>
    public static NDArray operator *(NDArray a, NDArray b) => Apply(BinaryOp.Mul, a, b);
    /// <summary>a / b</summary>
    public static NDArray operator /(NDArray a, NDArray b) => Apply(BinaryOp.Div, a, b);
    /// <summary>a + s</summary>
    public static NDArray operator +(NDArray a, double s) => Apply(BinaryOp.Add, a, s);
    /// <summary>s + a</summary>
    public static NDArray operator +(double s, NDArray a) => Apply(BinaryOp.Add, s, a);
    /// <summary>a − s</summary>
    public static NDArray operator -(NDArray a, double s) => Apply(BinaryOp.Sub, a, s);
    /// <summary>s − a</summary>
    public static NDArray operator -(double s, NDArray a) => Apply(BinaryOp.Sub, s, a);
    /// <summary>a · s</summary>
    public static NDArray operator *(NDArray a, double s) => Apply(BinaryOp.Mul, a, s);
    /// <summary>s · a</summary>
    public static NDArray operator *(double s, NDArray a) => Apply(BinaryOp.Mul, s, a);
    /// <summary>a / s</summary>
    public static NDArray operator /(NDArray a, double s) => Apply(BinaryOp.Div, a, s);
    /// <summary>s / a</summary>
    public static NDArray operator /(double s, NDArray a) => Apply(BinaryOp.Div, s, a);
    /// <summary>−a</summary>
    public static NDArray operator -(NDArray a) => a.Neg();
}
