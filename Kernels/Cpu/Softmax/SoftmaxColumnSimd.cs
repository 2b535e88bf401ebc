using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD loops for softmax along a strided dim (inner &gt; 1): a block of adjacent columns is
/// processed row by row, each row a contiguous run, with one float64 accumulator per column.
/// Each loop body is written once over <see cref="ISimdVector{TSelf, T}"/> and run as Vector512
/// where accelerated, then Vector256, then scalar for the tail.
/// </summary>
internal static class SoftmaxColumnSimd
{
    /// <summary>acc = max(acc, row), elementwise.</summary>
    public static void MaxInto<T>(Span<T> acc, ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T ar = ref MemoryMarshal.GetReference(acc);
        ref T rr = ref MemoryMarshal.GetReference(row);
        int n = acc.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = MaxInto<T, Vector512x<T>>(ref ar, ref rr, i, n);
        if (Vector256.IsHardwareAccelerated) i = MaxInto<T, Vector256x<T>>(ref ar, ref rr, i, n);
        MaxInto<T, Scalar<T>>(ref ar, ref rr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MaxInto<T, TV>(ref T ar, ref T rr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
            TV.Max(TV.Load(ref ar, i), TV.Load(ref rr, i)).Store(ref ar, i);
        return i;
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
        if (Vector512.IsHardwareAccelerated) i = ExpShiftAccumulate<T, Vector512x<T>>(ref xr, ref hr, ref yr, ref sr, store, i, n);
        if (Vector256.IsHardwareAccelerated) i = ExpShiftAccumulate<T, Vector256x<T>>(ref xr, ref hr, ref yr, ref sr, store, i, n);
        ExpShiftAccumulate<T, Scalar<T>>(ref xr, ref hr, ref yr, ref sr, store, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ExpShiftAccumulate<T, TV>(ref T xr, ref T hr, ref T yr, ref double sr, bool store, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
        {
            var e = TV.Exp(TV.Load(ref xr, i) - TV.Load(ref hr, i));
            if (store) e.Store(ref yr, i);
            e.AddWidenedTo(ref sr, i);
        }
        return i;
    }

    /// <summary>acc += a · b elementwise (in float64), or acc += a when <paramref name="b"/> is empty.</summary>
    public static void Accumulate<T>(Span<double> acc, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref double cr = ref MemoryMarshal.GetReference(acc);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        bool product = !b.IsEmpty;
        int n = acc.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = Accumulate<T, Vector512x<T>>(ref cr, ref ar, ref br, product, i, n);
        if (Vector256.IsHardwareAccelerated) i = Accumulate<T, Vector256x<T>>(ref cr, ref ar, ref br, product, i, n);
        Accumulate<T, Scalar<T>>(ref cr, ref ar, ref br, product, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Accumulate<T, TV>(ref double cr, ref T ar, ref T br, bool product, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
        {
            var term = TV.Load(ref ar, i);
            if (product) term *= TV.Load(ref br, i);
            term.AddWidenedTo(ref cr, i);
        }
        return i;
    }

    /// <summary>y = y · s elementwise.</summary>
    public static void MultiplyBy<T>(Span<T> y, ReadOnlySpan<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T sr = ref MemoryMarshal.GetReference(s);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = MultiplyBy<T, Vector512x<T>>(ref yr, ref sr, i, n);
        if (Vector256.IsHardwareAccelerated) i = MultiplyBy<T, Vector256x<T>>(ref yr, ref sr, i, n);
        MultiplyBy<T, Scalar<T>>(ref yr, ref sr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MultiplyBy<T, TV>(ref T yr, ref T sr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref yr, i) * TV.Load(ref sr, i)).Store(ref yr, i);
        return i;
    }

    /// <summary>y = (x − a) − b elementwise.</summary>
    public static void SubtractTwice<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T ar = ref MemoryMarshal.GetReference(a);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = SubtractTwice<T, Vector512x<T>>(ref xr, ref ar, ref br, ref yr, i, n);
        if (Vector256.IsHardwareAccelerated) i = SubtractTwice<T, Vector256x<T>>(ref xr, ref ar, ref br, ref yr, i, n);
        SubtractTwice<T, Scalar<T>>(ref xr, ref ar, ref br, ref yr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SubtractTwice<T, TV>(ref T xr, ref T ar, ref T br, ref T yr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref xr, i) - TV.Load(ref ar, i) - TV.Load(ref br, i)).Store(ref yr, i);
        return i;
    }

    /// <summary>Softmax backward: gx = y · (gy − dot) elementwise.</summary>
    public static void SoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, ReadOnlySpan<T> dot, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T dr = ref MemoryMarshal.GetReference(dot);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = SoftmaxGrad<T, Vector512x<T>>(ref yr, ref gr, ref dr, ref xr, i, n);
        if (Vector256.IsHardwareAccelerated) i = SoftmaxGrad<T, Vector256x<T>>(ref yr, ref gr, ref dr, ref xr, i, n);
        SoftmaxGrad<T, Scalar<T>>(ref yr, ref gr, ref dr, ref xr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SoftmaxGrad<T, TV>(ref T yr, ref T gr, ref T dr, ref T xr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref yr, i) * (TV.Load(ref gr, i) - TV.Load(ref dr, i))).Store(ref xr, i);
        return i;
    }

    /// <summary>Log-softmax backward: gx = gy − e^y · sum elementwise.</summary>
    public static void LogSoftmaxGrad<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, ReadOnlySpan<T> sum, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T yr = ref MemoryMarshal.GetReference(y);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T sr = ref MemoryMarshal.GetReference(sum);
        ref T xr = ref MemoryMarshal.GetReference(gx);
        int n = y.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = LogSoftmaxGrad<T, Vector512x<T>>(ref yr, ref gr, ref sr, ref xr, i, n);
        if (Vector256.IsHardwareAccelerated) i = LogSoftmaxGrad<T, Vector256x<T>>(ref yr, ref gr, ref sr, ref xr, i, n);
        LogSoftmaxGrad<T, Scalar<T>>(ref yr, ref gr, ref sr, ref xr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LogSoftmaxGrad<T, TV>(ref T yr, ref T gr, ref T sr, ref T xr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref gr, i) - TV.Exp(TV.Load(ref yr, i)) * TV.Load(ref sr, i)).Store(ref xr, i);
        return i;
    }
}
