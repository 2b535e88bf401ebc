using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD loops over one contiguous softmax row (the inner == 1 case): a scalar operand is broadcast.
/// Each loop runs Vector512 where accelerated, then Vector256, then a scalar tail. Sums are
/// accumulated in float64 (float32 lanes widened), so float32 rows of any length stay accurate.
/// </summary>
internal static class SoftmaxRowSimd
{
    /// <summary>e^v for either float type, vectorised.</summary>
    public static Vector512<T> Exp<T>(Vector512<T> v) where T : unmanaged
        => typeof(T) == typeof(float)
            ? Vector512.Exp(v.AsSingle()).As<float, T>()
            : Vector512.Exp(v.AsDouble()).As<double, T>();

    /// <summary>e^v for either float type, vectorised.</summary>
    public static Vector256<T> Exp<T>(Vector256<T> v) where T : unmanaged
        => typeof(T) == typeof(float)
            ? Vector256.Exp(v.AsSingle()).As<float, T>()
            : Vector256.Exp(v.AsDouble()).As<double, T>();

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
                var e = Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - s);
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
                var e = Exp(Vector256.LoadUnsafe(ref xr, (nuint)i) - s);
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
        if (Vector512.IsHardwareAccelerated)
            for (var v = Vector512.Create(s); i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref yr, (nuint)i) * v).StoreUnsafe(ref yr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (var v = Vector256.Create(s); i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref yr, (nuint)i) * v).StoreUnsafe(ref yr, (nuint)i);
        for (; i < n; i++) y[i] *= s;
    }

    /// <summary>y = (x − a) − b: log-softmax with a = max and b = log Σ e^(x − max).</summary>
    public static void SubtractTwice<T>(ReadOnlySpan<T> x, T a, T b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            var vb = Vector512.Create(b);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xr, (nuint)i) - va - vb).StoreUnsafe(ref yr, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var va = Vector256.Create(a);
            var vb = Vector256.Create(b);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xr, (nuint)i) - va - vb).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) y[i] = x[i] - a - b;
    }

    /// <summary>Softmax backward: gx = y · (gy − dot).</summary>
    public static void SoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, T dot, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (var d = Vector512.Create(dot); i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref yr, (nuint)i) * (Vector512.LoadUnsafe(ref gr, (nuint)i) - d)).StoreUnsafe(ref xr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (var d = Vector256.Create(dot); i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref yr, (nuint)i) * (Vector256.LoadUnsafe(ref gr, (nuint)i) - d)).StoreUnsafe(ref xr, (nuint)i);
        for (; i < n; i++) gx[i] = y[i] * (gy[i] - dot);
    }

    /// <summary>Log-softmax backward: gx = gy − e^y · sum.</summary>
    public static void LogSoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, T sum, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (var s = Vector512.Create(sum); i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref gr, (nuint)i) - Exp(Vector512.LoadUnsafe(ref yr, (nuint)i)) * s).StoreUnsafe(ref xr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (var s = Vector256.Create(sum); i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref gr, (nuint)i) - Exp(Vector256.LoadUnsafe(ref yr, (nuint)i)) * s).StoreUnsafe(ref xr, (nuint)i);
        for (; i < n; i++) gx[i] = gy[i] - T.Exp(y[i]) * sum;
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
