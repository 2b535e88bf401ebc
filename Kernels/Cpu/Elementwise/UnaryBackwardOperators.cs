using System.Numerics;
using System.Runtime.Intrinsics;
using static Scratch.Kernels.Cpu.VectorMath;

namespace Scratch.Kernels.Cpu;

// Derivatives of the UnaryOp functions fused with the chain rule: Invoke(x, gy) = gy·f′(x).
// Sign has derivative 0 and PowScalar's general case is scalar; UnaryBackwardKernel handles those.

internal readonly struct NegBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => -gy;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => -gy;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => -gy;
}

/// <summary>gy·sign(x), 0 at x = 0 (PyTorch's choice of subgradient).</summary>
internal readonly struct AbsBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy * default(SignOp<T>).Invoke(x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => gy * default(SignOp<T>).Invoke(x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => gy * default(SignOp<T>).Invoke(x);
}

internal readonly struct ExpBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy * T.Exp(x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => gy * Exp(x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => gy * Exp(x);
}

internal readonly struct LogBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy / x;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => gy / x;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => gy / x;
}

internal readonly struct SqrtBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy / (T.Sqrt(x) + T.Sqrt(x));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) { var s = Vector256.Sqrt(x); return gy / (s + s); }
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) { var s = Vector512.Sqrt(x); return gy / (s + s); }
}

internal readonly struct SinBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy * T.Cos(x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => gy * Cos(x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => gy * Cos(x);
}

internal readonly struct CosBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => -gy * T.Sin(x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => -gy * Sin(x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => -gy * Sin(x);
}

/// <summary>gy·(1 − tanh²x).</summary>
internal readonly struct TanhBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) { T t = T.Tanh(x); return gy * (T.One - t * t); }
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) { var t = Tanh(x); return gy * (Vector256<T>.One - t * t); }
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) { var t = Tanh(x); return gy * (Vector512<T>.One - t * t); }
}

/// <summary>gy·s·(1 − s) with s = sigmoid x.</summary>
internal readonly struct SigmoidBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) { T s = SigmoidOp<T>.Scalar(x); return gy * s * (T.One - s); }
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) { var s = Sigmoid(x); return gy * s * (Vector256<T>.One - s); }
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) { var s = Sigmoid(x); return gy * s * (Vector512<T>.One - s); }
}

/// <summary>gy where x &gt; 0, else 0 (0 at x = 0, and NaN passes gy through, as PyTorch's threshold_backward).</summary>
internal readonly struct ReluBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => x <= T.Zero ? T.Zero : gy;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => Vector256.AndNot(gy, Vector256.LessThanOrEqual(x, Vector256<T>.Zero));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => Vector512.AndNot(gy, Vector512.LessThanOrEqual(x, Vector512<T>.Zero));
}

internal readonly struct LeakyReluBackward<T>(T slope) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => x > T.Zero ? gy : gy * slope;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), gy, gy * Vector256.Create(slope));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), gy, gy * Vector512.Create(slope));
}

/// <summary>Elu and Selu: scale·gy for x &gt; 0, else scale·gy·α·e^x.</summary>
internal readonly struct EluBackward<T>(T alpha, T scale) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => scale * (x > T.Zero ? gy : gy * alpha * T.Exp(x));
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy)
        => Vector256.Create(scale) * Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), gy, gy * Vector256.Create(alpha) * Exp(x));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy)
        => Vector512.Create(scale) * Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), gy, gy * Vector512.Create(alpha) * Exp(x));
}

/// <summary>gy·s·(1 + x·(1 − s)) with s = sigmoid x.</summary>
internal readonly struct SiluBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) { T s = SigmoidOp<T>.Scalar(x); return gy * s * (T.One + x * (T.One - s)); }
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy)
    {
        var s = Sigmoid(x);
        return gy * s * (Vector256<T>.One + x * (Vector256<T>.One - s));
    }
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy)
    {
        var s = Sigmoid(x);
        return gy * s * (Vector512<T>.One + x * (Vector512<T>.One - s));
    }
}

/// <summary>gy·(Φ(x) + x·φ(x)): SIMD for float32, full-precision scalar for float64 (as <see cref="GeluOp{T}"/>).</summary>
internal readonly struct GeluBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private const double InvSqrt2Pi = 0.39894228040143267794;

    public static bool IsVectorizable => typeof(T) == typeof(float);
    public T Invoke(T x, T gy)
    {
        if (typeof(T) == typeof(float)) return Invoke(Vector256.Create(x), Vector256.Create(gy)).ToScalar();
        return gy * T.CreateTruncating(Derivative(double.CreateTruncating(x)));
    }

    /// <summary>Φ(x) + x·φ(x) in float64 (the CPU's float64 form; GPU kernels use it for both dtypes).</summary>
    public static double Derivative(double x)
    {
        double cdf = 0.5 * ErrorFunction.Erfc(-x * GeluOp<T>.InvSqrt2);
        double pdf = InvSqrt2Pi * Math.Exp(-0.5 * x * x);
        return cdf + x * pdf;
    }

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy)
    {
        if (typeof(T) != typeof(float)) return LaneByLane.Map<T, GeluBackward<T>>(this, x, gy);
        var pdf = Vector256.Create(T.CreateTruncating(InvSqrt2Pi)) * Exp(Vector256.Create(T.CreateTruncating(-0.5)) * x * x);
        return gy * (NormalCdf(x.AsSingle()).As<float, T>() + x * pdf);
    }
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy)
    {
        if (typeof(T) != typeof(float)) return LaneByLane.Map<T, GeluBackward<T>>(this, x, gy);
        var pdf = Vector512.Create(T.CreateTruncating(InvSqrt2Pi)) * Exp(Vector512.Create(T.CreateTruncating(-0.5)) * x * x);
        return gy * (NormalCdf(x.AsSingle()).As<float, T>() + x * pdf);
    }
}

/// <summary>gy·sigmoid(βx), or gy where βx &gt; threshold (the linear part).</summary>
internal readonly struct SoftplusBackward<T>(T beta, T threshold) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) { T z = beta * x; return z > threshold ? gy : gy * SigmoidOp<T>.Scalar(z); }
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy)
    {
        var z = Vector256.Create(beta) * x;
        return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256.Create(threshold)), gy, gy * Sigmoid(z));
    }
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy)
    {
        var z = Vector512.Create(beta) * x;
        return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512.Create(threshold)), gy, gy * Sigmoid(z));
    }
}

/// <summary>gy·p·x^(p−1) for a general exponent p (scalar Pow).</summary>
internal readonly struct PowScalarBackward<T>(T exponent) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => false;
    public T Invoke(T x, T gy) => gy * exponent * T.Pow(x, exponent - T.One);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => LaneByLane.Map<T, PowScalarBackward<T>>(this, x, gy);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => LaneByLane.Map<T, PowScalarBackward<T>>(this, x, gy);
}

/// <summary>gy where low ≤ x ≤ high (bounds included), else 0; NaN gives 0.</summary>
internal readonly struct ClampBackward<T>(T low, T high) : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => x >= low && x <= high ? gy : T.Zero;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy)
        => gy & Vector256.GreaterThanOrEqual(x, Vector256.Create(low)) & Vector256.LessThanOrEqual(x, Vector256.Create(high));
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy)
        => gy & Vector512.GreaterThanOrEqual(x, Vector512.Create(low)) & Vector512.LessThanOrEqual(x, Vector512.Create(high));
}

/// <summary>−gy/x².</summary>
internal readonly struct ReciprocalBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => -gy / (x * x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => -gy / (x * x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => -gy / (x * x);
}

/// <summary>gy·2x; also PowScalar's backward for p = 2.</summary>
internal readonly struct SquareBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy * (x + x);
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => gy * (x + x);
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => gy * (x + x);
}

/// <summary>gy (the derivative of x itself); PowScalar's backward for p = 1.</summary>
internal readonly struct PassBackward<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x, T gy) => gy;
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> gy) => gy;
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> gy) => gy;
}
