using System.Numerics;
using System.Runtime.Intrinsics;
using static Scratch.Kernels.Cpu.VectorMath;

namespace Scratch.Kernels.Cpu;

// The forward functions of UnaryOp, one struct each (see IUnaryOperator). Those that also serve
// Int32 are generic over INumber; the rest over IFloatingPointIeee754.

internal readonly struct IdentityOp<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => x;
    public Vector256<T> Invoke(Vector256<T> x) => x;
    public Vector512<T> Invoke(Vector512<T> x) => x;
}

internal readonly struct NegOp<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => -x;
    public Vector256<T> Invoke(Vector256<T> x) => -x;
    public Vector512<T> Invoke(Vector512<T> x) => -x;
}

internal readonly struct AbsOp<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    // int.MinValue stays itself (wraps, as PyTorch) instead of Math.Abs's OverflowException.
    public T Invoke(T x) => ScalarMath.Abs(x);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.Abs(x);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Abs(x);
}

internal readonly struct SignOp<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    // 0 and NaN map to themselves.
    public T Invoke(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : x;
    public Vector256<T> Invoke(Vector256<T> x)
        => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), Vector256<T>.One,
            Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), -Vector256<T>.One, x));
    public Vector512<T> Invoke(Vector512<T> x)
        => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), Vector512<T>.One,
            Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), -Vector512<T>.One, x));
}

internal readonly struct SquareOp<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => x * x;
    public Vector256<T> Invoke(Vector256<T> x) => x * x;
    public Vector512<T> Invoke(Vector512<T> x) => x * x;
}

internal readonly struct CubeOp<T> : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => x * x * x;
    public Vector256<T> Invoke(Vector256<T> x) => x * x * x;
    public Vector512<T> Invoke(Vector512<T> x) => x * x * x;
}

internal readonly struct ClampOp<T>(T low, T high) : IUnaryOperator<T> where T : unmanaged, INumber<T>
{
    public static bool IsVectorizable => true;
    // Max/Min propagate NaN, so a NaN input stays NaN.
    public T Invoke(T x) => ScalarMath.Minimum(ScalarMath.Maximum(x, low), high);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(low)), Vector256.Create(high));
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(low)), Vector512.Create(high));
}

internal readonly struct ExpOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.Exp(x);
    public Vector256<T> Invoke(Vector256<T> x) => Exp(x);
    public Vector512<T> Invoke(Vector512<T> x) => Exp(x);
}

internal readonly struct LogOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.Log(x);
    public Vector256<T> Invoke(Vector256<T> x) => Log(x);
    public Vector512<T> Invoke(Vector512<T> x) => Log(x);
}

internal readonly struct SqrtOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.Sqrt(x);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.Sqrt(x);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Sqrt(x);
}

internal readonly struct SinOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.Sin(x);
    public Vector256<T> Invoke(Vector256<T> x) => Sin(x);
    public Vector512<T> Invoke(Vector512<T> x) => Sin(x);
}

internal readonly struct CosOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.Cos(x);
    public Vector256<T> Invoke(Vector256<T> x) => Cos(x);
    public Vector512<T> Invoke(Vector512<T> x) => Cos(x);
}

internal readonly struct TanhOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.Tanh(x);
    public Vector256<T> Invoke(Vector256<T> x) => Tanh(x);
    public Vector512<T> Invoke(Vector512<T> x) => Tanh(x);
}

internal readonly struct SigmoidOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => Scalar(x);
    public Vector256<T> Invoke(Vector256<T> x) => Sigmoid(x);
    public Vector512<T> Invoke(Vector512<T> x) => Sigmoid(x);

    /// <summary>Scalar sigmoid without overflow: from e^−|x|.</summary>
    public static T Scalar(T x)
    {
        T e = T.Exp(-T.Abs(x));
        T s = T.One / (T.One + e);
        return x >= T.Zero ? s : e * s;
    }
}

internal readonly struct ReluOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => ScalarMath.Maximum(x, T.Zero);
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.Max(x, Vector256<T>.Zero);
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Max(x, Vector512<T>.Zero);
}

internal readonly struct LeakyReluOp<T>(T slope) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => x > T.Zero ? x : slope * x;
    public Vector256<T> Invoke(Vector256<T> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, x * Vector256.Create(slope));
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, x * Vector512.Create(slope));
}

/// <summary>Elu, and Selu as Elu with PyTorch's α, scaled: scale·(x &gt; 0 ? x : α·(e^x − 1)).</summary>
internal readonly struct EluOp<T>(T alpha, T scale) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const double SeluAlpha = 1.6732632423543772848170429916717;
    public const double SeluScale = 1.0507009873554804934193349852946;

    public static bool IsVectorizable => true;
    // The vector form's expm1 is accurate near 0; .NET's scalar T.ExpM1 is e^x − 1. The CPU's scalar form is
    // the vector form's lane, so strided and contiguous runs agree bit for bit; GPU kernels use Scalar.
    public T Invoke(T x) => Invoke(Vector256.Create(x)).ToScalar();

    /// <summary>The same formula in scalar arithmetic (GPU kernels).</summary>
    public static T Scalar(T x, T alpha, T scale) => scale * (x > T.Zero ? x : alpha * ScalarMath.Expm1(x));

    public Vector256<T> Invoke(Vector256<T> x)
        => Vector256.Create(scale) * Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, Vector256.Create(alpha) * Expm1(x));
    public Vector512<T> Invoke(Vector512<T> x)
        => Vector512.Create(scale) * Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, Vector512.Create(alpha) * Expm1(x));
}

internal readonly struct SiluOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => x * SigmoidOp<T>.Scalar(x);
    public Vector256<T> Invoke(Vector256<T> x) => x * Sigmoid(x);
    public Vector512<T> Invoke(Vector512<T> x) => x * Sigmoid(x);
}

/// <summary>
/// x·Φ(x) = x·erfc(−x/√2)/2. Float32 uses a SIMD erfc fit (about 1e-7 relative); float64 the
/// full-precision scalar <see cref="ErrorFunction"/>.
/// </summary>
internal readonly struct GeluOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const double InvSqrt2 = 0.70710678118654752440;

    public static bool IsVectorizable => typeof(T) == typeof(float);
    public T Invoke(T x)
    {
        if (typeof(T) == typeof(float)) return Invoke(Vector256.Create(x)).ToScalar();
        return T.CreateTruncating(Scalar(double.CreateTruncating(x)));
    }

    /// <summary>x·Φ(x) in float64 (the CPU's float64 form; GPU kernels use it for both dtypes).</summary>
    public static double Scalar(double x) => x * 0.5 * ErrorFunction.Erfc(-x * InvSqrt2);

    public Vector256<T> Invoke(Vector256<T> x)
        => typeof(T) == typeof(float) ? x * NormalCdf(x.AsSingle()).As<float, T>() : LaneByLane.Map<T, GeluOp<T>>(this, x);
    public Vector512<T> Invoke(Vector512<T> x)
        => typeof(T) == typeof(float) ? x * NormalCdf(x.AsSingle()).As<float, T>() : LaneByLane.Map<T, GeluOp<T>>(this, x);
}

/// <summary>
/// log(1 + e^(βx))/β, written max(z, 0) + log1p(e^−|z|) with z = βx so that neither tail overflows
/// or rounds to 0; x itself where z &gt; threshold (PyTorch's beta and threshold).
/// </summary>
internal readonly struct SoftplusOp<T>(T beta, T threshold) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    // The vector form's log1p is accurate near 0; .NET's scalar T.LogP1 is log(1 + x). The CPU's scalar form
    // is the vector form's lane; GPU kernels use Scalar.
    public T Invoke(T x) => Invoke(Vector256.Create(x)).ToScalar();

    /// <summary>The same formula in scalar arithmetic (GPU kernels).</summary>
    public static T Scalar(T x, T beta, T threshold)
    {
        T z = beta * x;
        return z > threshold ? x : (ScalarMath.Maximum(z, T.Zero) + ScalarMath.Log1pUnit(T.Exp(-T.Abs(z)))) / beta;
    }

    public Vector256<T> Invoke(Vector256<T> x)
    {
        var z = Vector256.Create(beta) * x;
        var soft = (Vector256.Max(z, Vector256<T>.Zero) + Log1pUnit(Exp(-Vector256.Abs(z)))) / Vector256.Create(beta);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256.Create(threshold)), x, soft);
    }
    public Vector512<T> Invoke(Vector512<T> x)
    {
        var z = Vector512.Create(beta) * x;
        var soft = (Vector512.Max(z, Vector512<T>.Zero) + Log1pUnit(Exp(-Vector512.Abs(z)))) / Vector512.Create(beta);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512.Create(threshold)), x, soft);
    }
}

/// <summary>x^p for a general exponent (Math.Pow semantics: negative bases need integral p).</summary>
internal readonly struct PowScalarOp<T>(T exponent) : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => false;
    public T Invoke(T x) => T.Pow(x, exponent);
    public Vector256<T> Invoke(Vector256<T> x) => LaneByLane.Map<T, PowScalarOp<T>>(this, x);
    public Vector512<T> Invoke(Vector512<T> x) => LaneByLane.Map<T, PowScalarOp<T>>(this, x);
}

internal readonly struct ReciprocalOp<T> : IUnaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsVectorizable => true;
    public T Invoke(T x) => T.One / x;
    public Vector256<T> Invoke(Vector256<T> x) => Vector256<T>.One / x;
    public Vector512<T> Invoke(Vector512<T> x) => Vector512<T>.One / x;
}
