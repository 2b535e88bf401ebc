using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Transcendental functions on Vector512 and Vector256 of float or double (the two halves of this
/// file are the same code at the two widths). Exp, Log, Sin and Cos are .NET's own vector functions;
/// the others are built on them, keeping full precision near 0 and without overflow in the tails.
/// </summary>
internal static class VectorMath
{
    // Cephes' tanh fits for |x| < 0.625 (S. L. Moshier): float32 polynomial in z = x², and the
    // float64 rational function x + x·z·P(z)/Q(z).
    private const double TanhSmall = 0.625;
    private const double TanhF0 = -5.70498872745e-3, TanhF1 = 2.06390887954e-2, TanhF2 = -5.37397155531e-2,
        TanhF3 = 1.33314422036e-1, TanhF4 = -3.33332819422e-1;
    private const double TanhP0 = -9.64399179425052238628e-1, TanhP1 = -9.92877231001918586564e1,
        TanhP2 = -1.61468768441708447952e3;
    private const double TanhQ0 = 1.12811678491632931402e2, TanhQ1 = 2.23548839060100448583e3,
        TanhQ2 = 4.84406305325125486048e3;

    // 1/k! for k = 1..N: Taylor terms of e^x − 1 (divided by x). N = 8 (float) and 14 (double)
    // leave a truncation error below half an ulp for |x| < 0.5.
    private static readonly double[] Expm1TaylorFloat = Factorials(8);
    private static readonly double[] Expm1TaylorDouble = Factorials(14);

    // Numerical Recipes' erfc fit: coefficients of P(t) after the leading 0.17087277, highest degree first.
    private static readonly float[] ErfcPolynomial =
        [-0.82215223f, 1.48851587f, -1.13520398f, 0.27886807f, -0.18628806f, 0.09678418f, 0.37409196f, 1.00002368f, -1.26551223f];

    private static double[] Factorials(int n)
    {
        var c = new double[n];
        double f = 1;
        for (int k = 1; k <= n; k++) { f *= k; c[k - 1] = 1 / f; }
        return c;
    }

    // ---- Vector512 ----------------------------------------------------------------------

    /// <summary>Broadcast of the constant <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> C512<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> => Vector512.Create(T.CreateTruncating(value));

    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector512.Exp(x.AsSingle()).As<float, T>() : Vector512.Exp(x.AsDouble()).As<double, T>();

    /// <summary>Natural log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector512.Log(x.AsSingle()).As<float, T>() : Vector512.Log(x.AsDouble()).As<double, T>();

    /// <summary>sin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sin<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector512.Sin(x.AsSingle()).As<float, T>() : Vector512.Sin(x.AsDouble()).As<double, T>();

    /// <summary>cos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Cos<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector512.Cos(x.AsSingle()).As<float, T>() : Vector512.Cos(x.AsDouble()).As<double, T>();

    /// <summary>tanh x: a rational (float64) or polynomial (float32) fit below 0.625, 1 − 2/(e^(2|x|) + 1) above.</summary>
    public static Vector512<T> Tanh<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = Vector512<T>.One;
        var ax = Vector512.Abs(x);
        var large = Vector512.CopySign(one - C512<T>(2) / (Exp(ax + ax) + one), x);
        var z = x * x;
        Vector512<T> small;
        if (typeof(T) == typeof(float))
        {
            var p = C512<T>(TanhF0) * z + C512<T>(TanhF1);
            p = p * z + C512<T>(TanhF2);
            p = p * z + C512<T>(TanhF3);
            p = p * z + C512<T>(TanhF4);
            small = p * z * x + x;
        }
        else
        {
            var p = (C512<T>(TanhP0) * z + C512<T>(TanhP1)) * z + C512<T>(TanhP2);
            var q = ((z + C512<T>(TanhQ0)) * z + C512<T>(TanhQ1)) * z + C512<T>(TanhQ2);
            small = x + x * z * p / q;
        }
        return Vector512.ConditionalSelect(Vector512.LessThan(ax, C512<T>(TanhSmall)), small, large);
    }

    /// <summary>1/(1 + e^−x) from e^−|x|, so neither tail overflows or loses its digits.</summary>
    public static Vector512<T> Sigmoid<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = Exp(-Vector512.Abs(x));
        var s = Vector512<T>.One / (Vector512<T>.One + e);
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<T>.Zero), s, e * s);
    }

    /// <summary>e^x − 1, by its Taylor series below 0.5 in magnitude where e^x − 1 would cancel.</summary>
    public static Vector512<T> Expm1<T>(Vector512<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var coefficients = typeof(T) == typeof(float) ? Expm1TaylorFloat : Expm1TaylorDouble;
        var p = C512<T>(coefficients[^1]);
        for (int k = coefficients.Length - 2; k >= 0; k--) p = p * x + C512<T>(coefficients[k]);
        var small = p * x;
        var large = Exp(x) - Vector512<T>.One;
        return Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), C512<T>(0.5)), small, large);
    }

    /// <summary>log(1 + u) for u in [0, 1], without losing small u (log(w)·u/(w − 1) with w = 1 + u rounded).</summary>
    public static Vector512<T> Log1pUnit<T>(Vector512<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector512<T>.One + u;
        var d = w - Vector512<T>.One;
        var corrected = Log(w) * (u / d);
        return Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<T>.Zero), u, corrected);
    }

    /// <summary>
    /// Φ(x) = erfc(−x/√2)/2 for float32 lanes, from the Chebyshev-fitted erfc of Numerical Recipes
    /// (relative error below 1.2e-7 on the whole line): erfc z = t·e^(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0.
    /// z² is split exactly (with an FMA) so its rounding does not grow the error in the far tail; where z² overflows
    /// Φ is exactly 0 or 1.
    /// </summary>
    public static Vector512<float> NormalCdf(Vector512<float> x)
    {
        var u = -x * Vector512.Create(0.70710678118654752f);
        var z = Vector512.Abs(u);
        var t = Vector512<float>.One / (Vector512<float>.One + Vector512.Create(0.5f) * z);
        var p = Vector512.Create(0.17087277f);
        foreach (float c in ErfcPolynomial) p = p * t + Vector512.Create(c);
        var z2 = z * z;
        // Where z² overflows (|x| above about 2.6e19, and ±∞) the split is NaN; erfc is 0 there and needs no correction.
        var z2Low = Vector512.ConditionalSelect(Vector512.IsFinite(z2), Vector512.FusedMultiplyAdd(z, z, -z2), Vector512<float>.Zero);
        var erfc = t * Exp(p - z2) * (Vector512<float>.One - z2Low);
        var tail = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(u, Vector512<float>.Zero), erfc, Vector512.Create(2f) - erfc);
        return Vector512.Create(0.5f) * tail;
    }

    // ---- Vector256 ----------------------------------------------------------------------

    /// <summary>Broadcast of the constant <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> C256<T>(double value) where T : unmanaged, IFloatingPointIeee754<T> => Vector256.Create(T.CreateTruncating(value));

    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector256.Exp(x.AsSingle()).As<float, T>() : Vector256.Exp(x.AsDouble()).As<double, T>();

    /// <summary>Natural log.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector256.Log(x.AsSingle()).As<float, T>() : Vector256.Log(x.AsDouble()).As<double, T>();

    /// <summary>sin x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sin<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector256.Sin(x.AsSingle()).As<float, T>() : Vector256.Sin(x.AsDouble()).As<double, T>();

    /// <summary>cos x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Cos<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float) ? Vector256.Cos(x.AsSingle()).As<float, T>() : Vector256.Cos(x.AsDouble()).As<double, T>();

    /// <summary>tanh x: a rational (float64) or polynomial (float32) fit below 0.625, 1 − 2/(e^(2|x|) + 1) above.</summary>
    public static Vector256<T> Tanh<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = Vector256<T>.One;
        var ax = Vector256.Abs(x);
        var large = Vector256.CopySign(one - C256<T>(2) / (Exp(ax + ax) + one), x);
        var z = x * x;
        Vector256<T> small;
        if (typeof(T) == typeof(float))
        {
            var p = C256<T>(TanhF0) * z + C256<T>(TanhF1);
            p = p * z + C256<T>(TanhF2);
            p = p * z + C256<T>(TanhF3);
            p = p * z + C256<T>(TanhF4);
            small = p * z * x + x;
        }
        else
        {
            var p = (C256<T>(TanhP0) * z + C256<T>(TanhP1)) * z + C256<T>(TanhP2);
            var q = ((z + C256<T>(TanhQ0)) * z + C256<T>(TanhQ1)) * z + C256<T>(TanhQ2);
            small = x + x * z * p / q;
        }
        return Vector256.ConditionalSelect(Vector256.LessThan(ax, C256<T>(TanhSmall)), small, large);
    }

    /// <summary>1/(1 + e^−x) from e^−|x|, so neither tail overflows or loses its digits.</summary>
    public static Vector256<T> Sigmoid<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var e = Exp(-Vector256.Abs(x));
        var s = Vector256<T>.One / (Vector256<T>.One + e);
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<T>.Zero), s, e * s);
    }

    /// <summary>e^x − 1, by its Taylor series below 0.5 in magnitude where e^x − 1 would cancel.</summary>
    public static Vector256<T> Expm1<T>(Vector256<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var coefficients = typeof(T) == typeof(float) ? Expm1TaylorFloat : Expm1TaylorDouble;
        var p = C256<T>(coefficients[^1]);
        for (int k = coefficients.Length - 2; k >= 0; k--) p = p * x + C256<T>(coefficients[k]);
        var small = p * x;
        var large = Exp(x) - Vector256<T>.One;
        return Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), C256<T>(0.5)), small, large);
    }

    /// <summary>log(1 + u) for u in [0, 1], without losing small u (log(w)·u/(w − 1) with w = 1 + u rounded).</summary>
    public static Vector256<T> Log1pUnit<T>(Vector256<T> u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector256<T>.One + u;
        var d = w - Vector256<T>.One;
        var corrected = Log(w) * (u / d);
        return Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<T>.Zero), u, corrected);
    }

    /// <summary>
    /// Φ(x) = erfc(−x/√2)/2 for float32 lanes, from the Chebyshev-fitted erfc of Numerical Recipes
    /// (relative error below 1.2e-7 on the whole line): erfc z = t·e^(−z² + P(t)), t = 1/(1 + z/2), z ≥ 0.
    /// z² is split exactly (with an FMA) so its rounding does not grow the error in the far tail; where z² overflows
    /// Φ is exactly 0 or 1.
    /// </summary>
    public static Vector256<float> NormalCdf(Vector256<float> x)
    {
        var u = -x * Vector256.Create(0.70710678118654752f);
        var z = Vector256.Abs(u);
        var t = Vector256<float>.One / (Vector256<float>.One + Vector256.Create(0.5f) * z);
        var p = Vector256.Create(0.17087277f);
        foreach (float c in ErfcPolynomial) p = p * t + Vector256.Create(c);
        var z2 = z * z;
        // Where z² overflows (|x| above about 2.6e19, and ±∞) the split is NaN; erfc is 0 there and needs no correction.
        var z2Low = Vector256.ConditionalSelect(Vector256.IsFinite(z2), Vector256.FusedMultiplyAdd(z, z, -z2), Vector256<float>.Zero);
        var erfc = t * Exp(p - z2) * (Vector256<float>.One - z2Low);
        var tail = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(u, Vector256<float>.Zero), erfc, Vector256.Create(2f) - erfc);
        return Vector256.Create(0.5f) * tail;
    }
}
