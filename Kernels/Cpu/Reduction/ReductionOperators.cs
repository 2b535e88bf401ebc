using System.Numerics;
using System.Runtime.Intrinsics;
using static Scratch.Kernels.Cpu.VectorMath;

namespace Scratch.Kernels.Cpu;

/// <summary>An associative combination of elements (sum, max, min) with its identity, scalar and SIMD.</summary>
internal interface IReduction<T> where T : unmanaged
{
    T Identity { get; }

    T Combine(T a, T b);

    Vector256<T> Combine(Vector256<T> a, Vector256<T> b);

    Vector512<T> Combine(Vector512<T> a, Vector512<T> b);
}

/// <summary>What is reduced for an element x: x itself, or e^(x − shift) for LogSumExp.</summary>
internal interface IElementMap<T> where T : unmanaged
{
    T Map(T x, T shift);

    Vector256<T> Map(Vector256<T> x, Vector256<T> shift);

    Vector512<T> Map(Vector512<T> x, Vector512<T> shift);
}

internal readonly struct SumReduction<T> : IReduction<T> where T : unmanaged, INumber<T>
{
    public T Identity => T.Zero;
    public T Combine(T a, T b) => a + b;
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => a + b;
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => a + b;
}

/// <summary>Maximum; NaN wins (IEEE 754-2019 maximum).</summary>
internal readonly struct MaxReduction<T> : IReduction<T> where T : unmanaged, INumber<T>
{
    public T Identity => T.CreateSaturating(double.NegativeInfinity);
    public T Combine(T a, T b) => ScalarMath.Maximum(a, b);
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Max(a, b);
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);
}

/// <summary>Minimum; NaN wins.</summary>
internal readonly struct MinReduction<T> : IReduction<T> where T : unmanaged, INumber<T>
{
    public T Identity => T.CreateSaturating(double.PositiveInfinity);
    public T Combine(T a, T b) => ScalarMath.Minimum(a, b);
    public Vector256<T> Combine(Vector256<T> a, Vector256<T> b) => Vector256.Min(a, b);
    public Vector512<T> Combine(Vector512<T> a, Vector512<T> b) => Vector512.Min(a, b);
}

internal readonly struct IdentityMap<T> : IElementMap<T> where T : unmanaged
{
    public T Map(T x, T shift) => x;
    public Vector256<T> Map(Vector256<T> x, Vector256<T> shift) => x;
    public Vector512<T> Map(Vector512<T> x, Vector512<T> shift) => x;
}

/// <summary>e^(x − shift), the terms of a stable LogSumExp (shift = the maximum).</summary>
internal readonly struct ExpShiftMap<T> : IElementMap<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Map(T x, T shift) => T.Exp(x - shift);
    public Vector256<T> Map(Vector256<T> x, Vector256<T> shift) => Exp(x - shift);
    public Vector512<T> Map(Vector512<T> x, Vector512<T> shift) => Exp(x - shift);
}
