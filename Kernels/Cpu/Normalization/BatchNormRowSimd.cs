using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD loops over one row x[n, c0..c1) of a batch norm with S == 1 (x is [N, C]): a block of
/// adjacent channels with one accumulator each. Statistics accumulate in float64 (float32 widened on
/// load); outputs are computed in the element type.
/// </summary>
internal static class BatchNormRowSimd
{
    /// <summary>sum += row.</summary>
    public static void Accumulate<T>(Span<double> sum, ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref double sr = ref MemoryMarshal.GetReference(sum);
        ref T rr = ref MemoryMarshal.GetReference(row);
        int n = row.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = Accumulate<T, Vector512x<double>>(ref sr, ref rr, i, n);
        else if (Vector256.IsHardwareAccelerated) i = Accumulate<T, Vector256x<double>>(ref sr, ref rr, i, n);
        Accumulate<T, Scalar<double>>(ref sr, ref rr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Accumulate<T, TD>(ref double sr, ref T rr, int i, int n) where T : unmanaged where TD : struct, ISimdVector<TD, double>
    {
        for (; i + TD.Count <= n; i += TD.Count)
            (TD.Load(ref sr, i) + TD.LoadWidened(ref rr, i)).Store(ref sr, i);
        return i;
    }

    /// <summary>sum += (row − mean)².</summary>
    public static void AccumulateSquaredDeviations<T>(Span<double> sum, ReadOnlySpan<T> row, ReadOnlySpan<double> mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref double sr = ref MemoryMarshal.GetReference(sum);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref T rr = ref MemoryMarshal.GetReference(row);
        int n = row.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = AccumulateSquaredDeviations<T, Vector512x<double>>(ref sr, ref rr, ref mr, i, n);
        else if (Vector256.IsHardwareAccelerated) i = AccumulateSquaredDeviations<T, Vector256x<double>>(ref sr, ref rr, ref mr, i, n);
        AccumulateSquaredDeviations<T, Scalar<double>>(ref sr, ref rr, ref mr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AccumulateSquaredDeviations<T, TD>(ref double sr, ref T rr, ref double mr, int i, int n)
        where T : unmanaged where TD : struct, ISimdVector<TD, double>
    {
        for (; i + TD.Count <= n; i += TD.Count)
        {
            var d = TD.LoadWidened(ref rr, i) - TD.Load(ref mr, i);
            (TD.Load(ref sr, i) + d * d).Store(ref sr, i);
        }
        return i;
    }

    /// <summary>sumGy += gy; sumGyXmu += gy·(x − mean).</summary>
    public static void AccumulateGradient<T>(Span<double> sumGy, Span<double> sumGyXmu, ReadOnlySpan<T> gy, ReadOnlySpan<T> x, ReadOnlySpan<double> mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref double ar = ref MemoryMarshal.GetReference(sumGy);
        ref double br = ref MemoryMarshal.GetReference(sumGyXmu);
        ref double mr = ref MemoryMarshal.GetReference(mean);
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = AccumulateGradient<T, Vector512x<double>>(ref ar, ref br, ref gr, ref xr, ref mr, i, n);
        else if (Vector256.IsHardwareAccelerated) i = AccumulateGradient<T, Vector256x<double>>(ref ar, ref br, ref gr, ref xr, ref mr, i, n);
        AccumulateGradient<T, Scalar<double>>(ref ar, ref br, ref gr, ref xr, ref mr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int AccumulateGradient<T, TD>(ref double ar, ref double br, ref T gr, ref T xr, ref double mr, int i, int n)
        where T : unmanaged where TD : struct, ISimdVector<TD, double>
    {
        for (; i + TD.Count <= n; i += TD.Count)
        {
            var g = TD.LoadWidened(ref gr, i);
            (TD.Load(ref ar, i) + g).Store(ref ar, i);
            (TD.Load(ref br, i) + g * (TD.LoadWidened(ref xr, i) - TD.Load(ref mr, i))).Store(ref br, i);
        }
        return i;
    }

    /// <summary>y = x·scale + shift, per channel.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> scale, ReadOnlySpan<T> shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T ar = ref MemoryMarshal.GetReference(scale);
        ref T br = ref MemoryMarshal.GetReference(shift);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = Affine<T, Vector512x<T>>(ref xr, ref ar, ref br, ref yr, i, n);
        if (Vector256.IsHardwareAccelerated) i = Affine<T, Vector256x<T>>(ref xr, ref ar, ref br, ref yr, i, n);
        Affine<T, Scalar<T>>(ref xr, ref ar, ref br, ref yr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Affine<T, TV>(ref T xr, ref T ar, ref T br, ref T yr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref xr, i) * TV.Load(ref ar, i) + TV.Load(ref br, i)).Store(ref yr, i);
        return i;
    }

    /// <summary>gx = (gy − meanGy − (x − mean)·c)·k, per channel.</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> gy, ReadOnlySpan<T> x, ReadOnlySpan<T> meanGy, ReadOnlySpan<T> mean,
        ReadOnlySpan<T> c, ReadOnlySpan<T> k, Span<T> gx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T ar = ref MemoryMarshal.GetReference(meanGy);
        ref T mr = ref MemoryMarshal.GetReference(mean);
        ref T cr = ref MemoryMarshal.GetReference(c);
        ref T kr = ref MemoryMarshal.GetReference(k);
        ref T or = ref MemoryMarshal.GetReference(gx);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = InputGradient<T, Vector512x<T>>(ref gr, ref xr, ref ar, ref mr, ref cr, ref kr, ref or, i, n);
        if (Vector256.IsHardwareAccelerated) i = InputGradient<T, Vector256x<T>>(ref gr, ref xr, ref ar, ref mr, ref cr, ref kr, ref or, i, n);
        InputGradient<T, Scalar<T>>(ref gr, ref xr, ref ar, ref mr, ref cr, ref kr, ref or, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InputGradient<T, TV>(ref T gr, ref T xr, ref T ar, ref T mr, ref T cr, ref T kr, ref T or, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        for (; i + TV.Count <= n; i += TV.Count)
        {
            var xmu = TV.Load(ref xr, i) - TV.Load(ref mr, i);
            var centred = TV.Load(ref gr, i) - TV.Load(ref ar, i) - xmu * TV.Load(ref cr, i);
            (centred * TV.Load(ref kr, i)).Store(ref or, i);
        }
        return i;
    }
}
