using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD loops over one contiguous softmax row (the inner == 1 case): a scalar operand is broadcast.
/// Each loop runs Vector512 where accelerated, then Vector256, then a scalar tail; the elementwise
/// loops are written once over <see cref="ISimdVector{TSelf, T}"/>. Sums are
/// accumulated in float64 (float32 lanes widened), so float32 rows of any length stay accurate.
/// </summary>
internal static class SoftmaxRowSimd
{
    /// <summary>The maximum of a non-empty row; NaN if any element is NaN.</summary>
    public static T Max<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        T max = x[0];
        if (Vector512.IsHardwareAccelerated && n >= Vector512<T>.Count)
        {
            var acc = Vector512.LoadUnsafe(ref xr);
            for (i = Vector512<T>.Count; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                acc = Vector512.Max(acc, Vector512.LoadUnsafe(ref xr, (nuint)i));
            max = Reduce(acc);
        }
        if (Vector256.IsHardwareAccelerated && n - i >= Vector256<T>.Count)
        {
            var acc = Vector256.Create(max);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                acc = Vector256.Max(acc, Vector256.LoadUnsafe(ref xr, (nuint)i));
            max = Reduce(acc);
        }
        for (; i < n; i++) max = T.Max(max, x[i]);
        return max;
    }

    /// <summary>Σ e^(x − shift) in float64, also storing each term into <paramref name="y"/> when <paramref name="store"/>.</summary>
    public static double ExpShiftSum<T>(ReadOnlySpan<T> x, T shift, Span<T> y, bool store) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(shift);
            Vector512<double> acc0 = default, acc1 = default;
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var e = Vector512x<T>.Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - s);
                if (store) e.StoreUnsafe(ref yr, (nuint)i);
                AddWidened(ref acc0, ref acc1, e);
            }
            sum += Vector512.Sum(acc0 + acc1);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(shift);
            Vector256<double> acc0 = default, acc1 = default;
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var e = Vector256x<T>.Exp(Vector256.LoadUnsafe(ref xr, (nuint)i) - s);
                if (store) e.StoreUnsafe(ref yr, (nuint)i);
                AddWidened(ref acc0, ref acc1, e);
            }
            sum += Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            T e = T.Exp(x[i] - shift);
            if (store) y[i] = e;
            sum += double.CreateTruncating(e);
        }
        return sum;
    }

    /// <summary>Σ a·b in float64, or Σ a when <paramref name="b"/> is empty.</summary>
    public static double Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        bool product = !b.IsEmpty;
        int n = a.Length, i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<double> acc0 = default, acc1 = default;
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var term = Vector512.LoadUnsafe(ref ar, (nuint)i);
                if (product) term *= Vector512.LoadUnsafe(ref br, (nuint)i);
                AddWidened(ref acc0, ref acc1, term);
            }
            sum += Vector512.Sum(acc0 + acc1);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<double> acc0 = default, acc1 = default;
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var term = Vector256.LoadUnsafe(ref ar, (nuint)i);
                if (product) term *= Vector256.LoadUnsafe(ref br, (nuint)i);
                AddWidened(ref acc0, ref acc1, term);
            }
            sum += Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++) sum += double.CreateTruncating(product ? a[i] * b[i] : a[i]);
        return sum;
    }

    /// <summary>Adds v to two float64 accumulators: float32 lanes are widened (lower half, upper half).</summary>
    private static void AddWidened<T>(ref Vector512<double> acc0, ref Vector512<double> acc1, Vector512<T> v) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (lower, upper) = Vector512.Widen(v.AsSingle());
            acc0 += lower;
            acc1 += upper;
        }
        else
        {
            acc0 += v.AsDouble();
        }
    }

    /// <summary>Adds v to two float64 accumulators: float32 lanes are widened (lower half, upper half).</summary>
    private static void AddWidened<T>(ref Vector256<double> acc0, ref Vector256<double> acc1, Vector256<T> v) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (lower, upper) = Vector256.Widen(v.AsSingle());
            acc0 += lower;
            acc1 += upper;
        }
        else
        {
            acc0 += v.AsDouble();
        }
    }

    /// <summary>y = y · s.</summary>
    public static void Scale<T>(Span<T> y, T s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = Scale<T, Vector512x<T>>(ref yr, s, i, n);
        if (Vector256.IsHardwareAccelerated) i = Scale<T, Vector256x<T>>(ref yr, s, i, n);
        Scale<T, Scalar<T>>(ref yr, s, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Scale<T, TV>(ref T yr, T s, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (var v = TV.Create(s); i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref yr, i) * v).Store(ref yr, i);
        return i;
    }

    /// <summary>y = (x − a) − b: log-softmax with a = max and b = log Σ e^(x − max).</summary>
    public static void SubtractTwice<T>(ReadOnlySpan<T> x, T a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = SubtractTwice<T, Vector512x<T>>(ref xr, a, b, ref yr, i, n);
        if (Vector256.IsHardwareAccelerated) i = SubtractTwice<T, Vector256x<T>>(ref xr, a, b, ref yr, i, n);
        SubtractTwice<T, Scalar<T>>(ref xr, a, b, ref yr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SubtractTwice<T, TV>(ref T xr, T a, T b, ref T yr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        TV va = TV.Create(a), vb = TV.Create(b);
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref xr, i) - va - vb).Store(ref yr, i);
        return i;
    }

    /// <summary>Softmax backward: gx = y · (gy − dot).</summary>
    public static void SoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, T dot, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = SoftmaxGrad<T, Vector512x<T>>(ref yr, ref gr, dot, ref xr, i, n);
        if (Vector256.IsHardwareAccelerated) i = SoftmaxGrad<T, Vector256x<T>>(ref yr, ref gr, dot, ref xr, i, n);
        SoftmaxGrad<T, Scalar<T>>(ref yr, ref gr, dot, ref xr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SoftmaxGrad<T, TV>(ref T yr, ref T gr, T dot, ref T xr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (var d = TV.Create(dot); i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref yr, i) * (TV.Load(ref gr, i) - d)).Store(ref xr, i);
        return i;
    }

    /// <summary>Log-softmax backward: gx = gy − e^y · sum.</summary>
    public static void LogSoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, T sum, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = LogSoftmaxGrad<T, Vector512x<T>>(ref yr, ref gr, sum, ref xr, i, n);
        if (Vector256.IsHardwareAccelerated) i = LogSoftmaxGrad<T, Vector256x<T>>(ref yr, ref gr, sum, ref xr, i, n);
        LogSoftmaxGrad<T, Scalar<T>>(ref yr, ref gr, sum, ref xr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LogSoftmaxGrad<T, TV>(ref T yr, ref T gr, T sum, ref T xr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (var s = TV.Create(sum); i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref gr, i) - TV.Exp(TV.Load(ref yr, i)) * s).Store(ref xr, i);
        return i;
    }

    private static T Reduce<T>(Vector512<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = v[0];
        for (int k = 1; k < Vector512<T>.Count; k++) max = T.Max(max, v[k]);
        return max;
    }

    private static T Reduce<T>(Vector256<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = v[0];
        for (int k = 1; k < Vector256<T>.Count; k++) max = T.Max(max, v[k]);
        return max;
    }
}
