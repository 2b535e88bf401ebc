using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD loops for softmax along a strided dim (inner &gt; 1): a block of adjacent columns is
/// processed row by row, each row a contiguous run, with one float64 accumulator per column.
/// Vector512 where accelerated, then Vector256, then a scalar tail.
/// </summary>
internal static class SoftmaxColumnSimd
{
    /// <summary>acc = max(acc, row), elementwise.</summary>
    public static void MaxInto<T>(Span<T> acc, ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(acc);
        ref T rr = ref MemoryMarshal.GetReference(row);
        int n = acc.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                Vector512.Max(Vector512.LoadUnsafe(ref ar, (nuint)i), Vector512.LoadUnsafe(ref rr, (nuint)i)).StoreUnsafe(ref ar, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                Vector256.Max(Vector256.LoadUnsafe(ref ar, (nuint)i), Vector256.LoadUnsafe(ref rr, (nuint)i)).StoreUnsafe(ref ar, (nuint)i);
        for (; i < n; i++) acc[i] = T.Max(acc[i], row[i]);
    }

    /// <summary>e = e^(x − shift); sum += e (in float64); and y = e when <paramref name="store"/>.</summary>
    public static void ExpShiftAccumulate<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> shift, Span<T> y, Span<double> sum, bool store)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T hr = ref MemoryMarshal.GetReference(shift);
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref double sr = ref MemoryMarshal.GetReference(sum);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var e = SoftmaxRowSimd.Exp(Vector512.LoadUnsafe(ref xr, (nuint)i) - Vector512.LoadUnsafe(ref hr, (nuint)i));
                if (store) e.StoreUnsafe(ref yr, (nuint)i);
                AddTo(ref sr, i, e);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var e = SoftmaxRowSimd.Exp(Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref hr, (nuint)i));
                if (store) e.StoreUnsafe(ref yr, (nuint)i);
                AddTo(ref sr, i, e);
            }
        for (; i < n; i++)
        {
            T e = T.Exp(x[i] - shift[i]);
            if (store) y[i] = e;
            sum[i] += double.CreateTruncating(e);
        }
    }

    /// <summary>acc += a · b elementwise (in float64), or acc += a when <paramref name="b"/> is empty.</summary>
    public static void Accumulate<T>(Span<double> acc, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref double cr = ref MemoryMarshal.GetReference(acc);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        bool product = !b.IsEmpty;
        int n = acc.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var term = Vector512.LoadUnsafe(ref ar, (nuint)i);
                if (product) term *= Vector512.LoadUnsafe(ref br, (nuint)i);
                AddTo(ref cr, i, term);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var term = Vector256.LoadUnsafe(ref ar, (nuint)i);
                if (product) term *= Vector256.LoadUnsafe(ref br, (nuint)i);
                AddTo(ref cr, i, term);
            }
        for (; i < n; i++) acc[i] += double.CreateTruncating(product ? a[i] * b[i] : a[i]);
    }

    /// <summary>acc[i..] += v, widening float32 lanes to float64.</summary>
    private static void AddTo<T>(ref double acc, int i, Vector512<T> v) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (lower, upper) = Vector512.Widen(v.AsSingle());
            (Vector512.LoadUnsafe(ref acc, (nuint)i) + lower).StoreUnsafe(ref acc, (nuint)i);
            (Vector512.LoadUnsafe(ref acc, (nuint)i + 8) + upper).StoreUnsafe(ref acc, (nuint)i + 8);
        }
        else
        {
            (Vector512.LoadUnsafe(ref acc, (nuint)i) + v.AsDouble()).StoreUnsafe(ref acc, (nuint)i);
        }
    }

    /// <summary>acc[i..] += v, widening float32 lanes to float64.</summary>
    private static void AddTo<T>(ref double acc, int i, Vector256<T> v) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            var (lower, upper) = Vector256.Widen(v.AsSingle());
            (Vector256.LoadUnsafe(ref acc, (nuint)i) + lower).StoreUnsafe(ref acc, (nuint)i);
            (Vector256.LoadUnsafe(ref acc, (nuint)i + 4) + upper).StoreUnsafe(ref acc, (nuint)i + 4);
        }
        else
        {
            (Vector256.LoadUnsafe(ref acc, (nuint)i) + v.AsDouble()).StoreUnsafe(ref acc, (nuint)i);
        }
    }

    /// <summary>y = y · s elementwise.</summary>
    public static void MultiplyBy<T>(Span<T> y, ReadOnlySpan<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T sr = ref MemoryMarshal.GetReference(s);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref yr, (nuint)i) * Vector512.LoadUnsafe(ref sr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref yr, (nuint)i) * Vector256.LoadUnsafe(ref sr, (nuint)i)).StoreUnsafe(ref yr, (nuint)i);
        for (; i < n; i++) y[i] *= s[i];
    }

    /// <summary>y = (x − a) − b elementwise.</summary>
    public static void SubtractTwice<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xr, (nuint)i) - Vector512.LoadUnsafe(ref ar, (nuint)i) - Vector512.LoadUnsafe(ref br, (nuint)i))
                    .StoreUnsafe(ref yr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xr, (nuint)i) - Vector256.LoadUnsafe(ref ar, (nuint)i) - Vector256.LoadUnsafe(ref br, (nuint)i))
                    .StoreUnsafe(ref yr, (nuint)i);
        for (; i < n; i++) y[i] = x[i] - a[i] - b[i];
    }

    /// <summary>Softmax backward: gx = y · (gy − dot) elementwise.</summary>
    public static void SoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, ReadOnlySpan<T> dot, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T dr = ref MemoryMarshal.GetReference(dot);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref yr, (nuint)i) * (Vector512.LoadUnsafe(ref gr, (nuint)i) - Vector512.LoadUnsafe(ref dr, (nuint)i)))
                    .StoreUnsafe(ref xr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref yr, (nuint)i) * (Vector256.LoadUnsafe(ref gr, (nuint)i) - Vector256.LoadUnsafe(ref dr, (nuint)i)))
                    .StoreUnsafe(ref xr, (nuint)i);
        for (; i < n; i++) gx[i] = y[i] * (gy[i] - dot[i]);
    }

    /// <summary>Log-softmax backward: gx = gy − e^y · sum elementwise.</summary>
    public static void LogSoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, ReadOnlySpan<T> sum, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T sr = ref MemoryMarshal.GetReference(sum);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref gr, (nuint)i) - SoftmaxRowSimd.Exp(Vector512.LoadUnsafe(ref yr, (nuint)i)) * Vector512.LoadUnsafe(ref sr, (nuint)i))
                    .StoreUnsafe(ref xr, (nuint)i);
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref gr, (nuint)i) - SoftmaxRowSimd.Exp(Vector256.LoadUnsafe(ref yr, (nuint)i)) * Vector256.LoadUnsafe(ref sr, (nuint)i))
                    .StoreUnsafe(ref xr, (nuint)i);
        for (; i < n; i++) gx[i] = gy[i] - T.Exp(y[i]) * sum[i];
    }
}
