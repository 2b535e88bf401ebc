using System.Numerics;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// A function of one element, in scalar and SIMD form. Implemented by small structs so that the
/// JIT specialises and inlines the loops for each function (parameters live in the struct's fields).
/// </summary>
internal interface IUnaryOperator<T> where T : unmanaged
{
    /// <summary>False when the vector forms only apply the scalar form lane by lane; loops then stay scalar.</summary>
    static abstract bool IsVectorizable { get; }

    T Invoke(T x);

    Vector256<T> Invoke(Vector256<T> x);

    Vector512<T> Invoke(Vector512<T> x);
}

/// <summary>A function of two elements, in scalar and SIMD form (see <see cref="IUnaryOperator{T}"/>).</summary>
internal interface IBinaryOperator<T> where T : unmanaged
{
    /// <summary>False when the vector forms only apply the scalar form lane by lane; loops then stay scalar.</summary>
    static abstract bool IsVectorizable { get; }

    T Invoke(T a, T b);

    Vector256<T> Invoke(Vector256<T> a, Vector256<T> b);

    Vector512<T> Invoke(Vector512<T> a, Vector512<T> b);
}

/// <summary>Vector forms for operators that have no SIMD algorithm: the scalar form on each lane.</summary>
internal static class LaneByLane
{
    public static Vector256<T> Map<T, TOp>(in TOp op, Vector256<T> x) where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        Vector256<T> result = default;
        for (int i = 0; i < Vector256<T>.Count; i++) result = result.WithElement(i, op.Invoke(x.GetElement(i)));
        return result;
    }

    public static Vector512<T> Map<T, TOp>(in TOp op, Vector512<T> x) where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        Vector512<T> result = default;
        for (int i = 0; i < Vector512<T>.Count; i++) result = result.WithElement(i, op.Invoke(x.GetElement(i)));
        return result;
    }

    public static Vector256<T> Map<T, TOp>(in TOp op, Vector256<T> a, Vector256<T> b) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        Vector256<T> result = default;
        for (int i = 0; i < Vector256<T>.Count; i++) result = result.WithElement(i, op.Invoke(a.GetElement(i), b.GetElement(i)));
        return result;
    }

    public static Vector512<T> Map<T, TOp>(in TOp op, Vector512<T> a, Vector512<T> b) where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        Vector512<T> result = default;
        for (int i = 0; i < Vector512<T>.Count; i++) result = result.WithElement(i, op.Invoke(a.GetElement(i), b.GetElement(i)));
        return result;
    }
}

/// <summary>
/// Scalar forms shared by the CPU operator structs and the GPU kernels, written with comparisons and
/// arithmetic only, so that ILGPU compiles them and a GPU gives the same answer as the CPU (the hardware
/// max/min instructions that ILGPU maps <c>Math.Max</c> to drop NaN; these keep it).
/// </summary>
internal static class ScalarMath
{
    /// <summary>IEEE 754-2019 maximum, as .NET's <c>Math.Max</c> (same algorithm, same bits): NaN wins, +0 &gt; −0.</summary>
    public static T Maximum<T>(T a, T b) where T : unmanaged, INumber<T>
    {
        if (a != b) return T.IsNaN(a) ? a : b < a ? a : b;
        return T.IsNegative(b) ? a : b;
    }

    /// <summary>IEEE 754-2019 minimum, as .NET's <c>Math.Min</c>: NaN wins, −0 &lt; +0.</summary>
    public static T Minimum<T>(T a, T b) where T : unmanaged, INumber<T>
    {
        if (a != b) return T.IsNaN(a) ? a : a < b ? a : b;
        return T.IsNegative(a) ? a : b;
    }

    /// <summary>|x| with −x for every negative sign bit (−0 and −NaN included, as <c>Math.Abs</c>); int.MinValue stays itself.</summary>
    public static T Abs<T>(T x) where T : unmanaged, INumber<T> => T.IsNegative(x) ? -x : x;

    /// <summary>
    /// e^x − 1 in scalar arithmetic, accurate near 0 (Taylor series below 0.5 in magnitude, 15 terms:
    /// below half an ulp of float64 there). The CPU's SIMD <see cref="VectorMath.Expm1{T}(System.Runtime.Intrinsics.Vector256{T})"/>
    /// is the same method with fewer terms for float32.
    /// </summary>
    public static T Expm1<T>(T x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(T.Abs(x) < T.One / (T.One + T.One))) return T.Exp(x) - T.One;
        T term = x, sum = x, k = T.One;
        for (int i = 2; i <= 15; i++)
        {
            k += T.One;
            term = term * x / k;
            sum += term;
        }
        return sum;
    }

    /// <summary>log(1 + u) for u in [0, 1], without losing small u (as <see cref="VectorMath.Log1pUnit{T}(System.Runtime.Intrinsics.Vector256{T})"/>).</summary>
    public static T Log1pUnit<T>(T u) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T w = T.One + u;
        T d = w - T.One;
        return d == T.Zero ? u : T.Log(w) * (u / d);
    }
}
