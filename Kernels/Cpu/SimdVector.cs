using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// A run of <see cref="Count"/> lanes of <typeparamref name="T"/> (Vector512, Vector256, or one
/// scalar), so that one generic loop body serves every width: a kernel runs it as
/// <see cref="Vector512x{T}"/> where accelerated, then <see cref="Vector256x{T}"/>, then
/// <see cref="Scalar{T}"/> for the tail. The implementations are single-field structs whose members
/// inline to the plain intrinsics, and the JIT specialises each value-type instantiation, so the
/// generic loop compiles to the same code as a hand-written copy per width. Lane arithmetic is the
/// same as the scalar arithmetic of <typeparamref name="T"/> (no fused multiply-add is introduced).
/// Loop helpers called per short row (a channel block, a softmax row) are AggressiveInlining, so that
/// running them at three widths costs no calls.
/// </summary>
internal interface ISimdVector<TSelf, T>
    where TSelf : struct, ISimdVector<TSelf, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Create(T value);

    /// <summary>The lanes at <paramref name="source"/> + <paramref name="i"/>.</summary>
    static abstract TSelf Load(ref T source, int i);

    /// <summary>Stores the lanes at <paramref name="destination"/> + <paramref name="i"/>.</summary>
    void Store(ref T destination, int i);

    static abstract TSelf operator +(TSelf a, TSelf b);

    static abstract TSelf operator -(TSelf a, TSelf b);

    static abstract TSelf operator *(TSelf a, TSelf b);

    static abstract TSelf operator /(TSelf a, TSelf b);

    /// <summary>Lane-wise maximum with <see cref="INumber{T}.Max"/>'s semantics (NaN wins, +0 &gt; −0).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);

    /// <summary>Lane-wise square root.</summary>
    static abstract TSelf Sqrt(TSelf a);

    /// <summary>Lane-wise e^a.</summary>
    static abstract TSelf Exp(TSelf a);

    /// <summary>accumulator[i + k] += lane k widened to float64, for every lane k.</summary>
    void AddWidenedTo(ref double accumulator, int i);

    /// <summary>
    /// <see cref="Count"/> elements of <typeparamref name="TSource"/> (float32 or float64) at
    /// <paramref name="source"/> + <paramref name="i"/>, widened to float64 lanes. Only for T = double:
    /// float64 accumulators of float32 or float64 data.
    /// </summary>
    static abstract TSelf LoadWidened<TSource>(ref TSource source, int i) where TSource : unmanaged;

    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TSelf a);
}

/// <summary>Sixteen float32 or eight float64 lanes (<see cref="Vector512{T}"/>).</summary>
internal readonly struct Vector512x<T>(Vector512<T> value) : ISimdVector<Vector512x<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector512<T> _value = value;

    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> Create(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> Load(ref T source, int i) => new(Vector512.LoadUnsafe(ref source, (nuint)i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, int i) => _value.StoreUnsafe(ref destination, (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> operator +(Vector512x<T> a, Vector512x<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> operator -(Vector512x<T> a, Vector512x<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> operator *(Vector512x<T> a, Vector512x<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> operator /(Vector512x<T> a, Vector512x<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> Max(Vector512x<T> a, Vector512x<T> b) => new(Vector512.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> Sqrt(Vector512x<T> a) => new(Vector512.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> Exp(Vector512x<T> a) => new(Exp(a._value));

    /// <summary>e^v for either float type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> v)
        => typeof(T) == typeof(float)
            ? Vector512.Exp(v.AsSingle()).As<float, T>()
            : Vector512.Exp(v.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512x<T> LoadWidened<TSource>(ref TSource source, int i) where TSource : unmanaged
        => new((typeof(TSource) == typeof(float)
            ? Vector512.WidenLower(Vector256.LoadUnsafe(ref Unsafe.As<TSource, float>(ref source), (nuint)i).ToVector512Unsafe())
            : Vector512.LoadUnsafe(ref Unsafe.As<TSource, double>(ref source), (nuint)i)).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512x<T> a) => Vector512.Sum(a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddWidenedTo(ref double accumulator, int i)
    {
        if (typeof(T) == typeof(float))
        {
            var (lower, upper) = Vector512.Widen(_value.AsSingle());
            (Vector512.LoadUnsafe(ref accumulator, (nuint)i) + lower).StoreUnsafe(ref accumulator, (nuint)i);
            (Vector512.LoadUnsafe(ref accumulator, (nuint)i + 8) + upper).StoreUnsafe(ref accumulator, (nuint)i + 8);
        }
        else
        {
            (Vector512.LoadUnsafe(ref accumulator, (nuint)i) + _value.AsDouble()).StoreUnsafe(ref accumulator, (nuint)i);
        }
    }
}

/// <summary>Eight float32 or four float64 lanes (<see cref="Vector256{T}"/>).</summary>
internal readonly struct Vector256x<T>(Vector256<T> value) : ISimdVector<Vector256x<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Vector256<T> _value = value;

    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> Create(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> Load(ref T source, int i) => new(Vector256.LoadUnsafe(ref source, (nuint)i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, int i) => _value.StoreUnsafe(ref destination, (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> operator +(Vector256x<T> a, Vector256x<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> operator -(Vector256x<T> a, Vector256x<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> operator *(Vector256x<T> a, Vector256x<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> operator /(Vector256x<T> a, Vector256x<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> Max(Vector256x<T> a, Vector256x<T> b) => new(Vector256.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> Sqrt(Vector256x<T> a) => new(Vector256.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> Exp(Vector256x<T> a) => new(Exp(a._value));

    /// <summary>e^v for either float type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> v)
        => typeof(T) == typeof(float)
            ? Vector256.Exp(v.AsSingle()).As<float, T>()
            : Vector256.Exp(v.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256x<T> LoadWidened<TSource>(ref TSource source, int i) where TSource : unmanaged
        => new((typeof(TSource) == typeof(float)
            ? Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<TSource, float>(ref source), (nuint)i).ToVector256Unsafe())
            : Vector256.LoadUnsafe(ref Unsafe.As<TSource, double>(ref source), (nuint)i)).As<double, T>());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256x<T> a) => Vector256.Sum(a._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddWidenedTo(ref double accumulator, int i)
    {
        if (typeof(T) == typeof(float))
        {
            var (lower, upper) = Vector256.Widen(_value.AsSingle());
            (Vector256.LoadUnsafe(ref accumulator, (nuint)i) + lower).StoreUnsafe(ref accumulator, (nuint)i);
            (Vector256.LoadUnsafe(ref accumulator, (nuint)i + 4) + upper).StoreUnsafe(ref accumulator, (nuint)i + 4);
        }
        else
        {
            (Vector256.LoadUnsafe(ref accumulator, (nuint)i) + _value.AsDouble()).StoreUnsafe(ref accumulator, (nuint)i);
        }
    }
}

/// <summary>One lane: the scalar tail of a loop, with exactly the scalar arithmetic of <typeparamref name="T"/>.</summary>
internal readonly struct Scalar<T>(T value) : ISimdVector<Scalar<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _value = value;

    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Create(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Load(ref T source, int i) => new(Unsafe.Add(ref source, i));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(ref T destination, int i) => Unsafe.Add(ref destination, i) = _value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator +(Scalar<T> a, Scalar<T> b) => new(a._value + b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator -(Scalar<T> a, Scalar<T> b) => new(a._value - b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator *(Scalar<T> a, Scalar<T> b) => new(a._value * b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator /(Scalar<T> a, Scalar<T> b) => new(a._value / b._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Max(Scalar<T> a, Scalar<T> b) => new(T.Max(a._value, b._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Sqrt(Scalar<T> a) => new(T.Sqrt(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Exp(Scalar<T> a) => new(T.Exp(a._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddWidenedTo(ref double accumulator, int i) => Unsafe.Add(ref accumulator, i) += double.CreateTruncating(_value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> LoadWidened<TSource>(ref TSource source, int i) where TSource : unmanaged
        => new(T.CreateTruncating(typeof(TSource) == typeof(float)
            ? Unsafe.As<TSource, float>(ref Unsafe.Add(ref source, i))
            : Unsafe.As<TSource, double>(ref Unsafe.Add(ref source, i))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Scalar<T> a) => a._value;
}
