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
