using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// SIMD loops over one contiguous [S] segment of a batch-norm channel. Statistics are accumulated
/// in float64 (float32 input is widened on load), so per-channel means and variances stay accurate
/// for float32 and for large batches; the elementwise outputs are computed in the element type.
/// </summary>
internal static class BatchNormSimd
{
    /// <summary>Σ x.</summary>
    public static double Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated) sum += Sum<T, Vector512x<double>>(ref xr, ref i, n);
        else if (Vector256.IsHardwareAccelerated) sum += Sum<T, Vector256x<double>>(ref xr, ref i, n);
        for (; i < n; i++) sum += double.CreateTruncating(x[i]);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Sum<T, TD>(ref T xr, ref int i, int n) where T : unmanaged where TD : struct, ISimdVector<TD, double>
    {
        var acc = TD.Create(0);
        for (; i + TD.Count <= n; i += TD.Count) acc += TD.LoadWidened(ref xr, i);
        return TD.Sum(acc);
    }

    /// <summary>Σ (x − mean)².</summary>
    public static double SumSquaredDeviations<T>(ReadOnlySpan<T> x, double mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated) sum += SumSquaredDeviations<T, Vector512x<double>>(ref xr, mean, ref i, n);
        else if (Vector256.IsHardwareAccelerated) sum += SumSquaredDeviations<T, Vector256x<double>>(ref xr, mean, ref i, n);
        for (; i < n; i++)
        {
            double d = double.CreateTruncating(x[i]) - mean;
            sum += d * d;
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumSquaredDeviations<T, TD>(ref T xr, double mean, ref int i, int n)
        where T : unmanaged where TD : struct, ISimdVector<TD, double>
    {
        var acc = TD.Create(0);
        var m = TD.Create(mean);
        for (; i + TD.Count <= n; i += TD.Count)
        {
            var d = TD.LoadWidened(ref xr, i) - m;
            acc += d * d;
        }
        return TD.Sum(acc);
    }

    /// <summary>(Σ gy, Σ gy·(x − mean)).</summary>
    public static (double SumGy, double SumGyXmu) GradientSums<T>(ReadOnlySpan<T> gy, ReadOnlySpan<T> x, double mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double sumGy = 0, sumGyXmu = 0;
        if (Vector512.IsHardwareAccelerated) GradientSums<T, Vector512x<double>>(ref gr, ref xr, mean, ref i, n, ref sumGy, ref sumGyXmu);
        else if (Vector256.IsHardwareAccelerated) GradientSums<T, Vector256x<double>>(ref gr, ref xr, mean, ref i, n, ref sumGy, ref sumGyXmu);
        for (; i < n; i++)
        {
            double g = double.CreateTruncating(gy[i]);
            sumGy += g;
            sumGyXmu += g * (double.CreateTruncating(x[i]) - mean);
        }
        return (sumGy, sumGyXmu);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientSums<T, TD>(ref T gr, ref T xr, double mean, ref int i, int n, ref double sumGy, ref double sumGyXmu)
        where T : unmanaged where TD : struct, ISimdVector<TD, double>
    {
        var accG = TD.Create(0);
        var accD = TD.Create(0);
        var m = TD.Create(mean);
        for (; i + TD.Count <= n; i += TD.Count)
        {
            var g = TD.LoadWidened(ref gr, i);
            accG += g;
            accD += g * (TD.LoadWidened(ref xr, i) - m);
        }
        sumGy += TD.Sum(accG);
        sumGyXmu += TD.Sum(accD);
    }

    /// <summary>y = x·scale + shift.</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, T scale, T shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T yr = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = Affine<T, Vector512x<T>>(ref xr, scale, shift, ref yr, i, n);
        if (Vector256.IsHardwareAccelerated) i = Affine<T, Vector256x<T>>(ref xr, scale, shift, ref yr, i, n);
        Affine<T, Scalar<T>>(ref xr, scale, shift, ref yr, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Affine<T, TV>(ref T xr, T scale, T shift, ref T yr, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        TV a = TV.Create(scale), b = TV.Create(shift);
        for (; i + TV.Count <= n; i += TV.Count)
            (TV.Load(ref xr, i) * a + b).Store(ref yr, i);
        return i;
    }

    /// <summary>gx = (gy − meanGy − (x − mean)·c)·k: the batch-norm input gradient with per-channel constants.</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> gy, ReadOnlySpan<T> x, T meanGy, T mean, T c, T k, Span<T> gx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T or = ref MemoryMarshal.GetReference(gx);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated) i = InputGradient<T, Vector512x<T>>(ref gr, ref xr, meanGy, mean, c, k, ref or, i, n);
        if (Vector256.IsHardwareAccelerated) i = InputGradient<T, Vector256x<T>>(ref gr, ref xr, meanGy, mean, c, k, ref or, i, n);
        InputGradient<T, Scalar<T>>(ref gr, ref xr, meanGy, mean, c, k, ref or, i, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int InputGradient<T, TV>(ref T gr, ref T xr, T meanGy, T mean, T c, T k, ref T or, int i, int n)
        where T : unmanaged, IFloatingPointIeee754<T> where TV : struct, ISimdVector<TV, T>
    {
        TV vg = TV.Create(meanGy), vm = TV.Create(mean), vc = TV.Create(c), vk = TV.Create(k);
        for (; i + TV.Count <= n; i += TV.Count)
        {
            var xmu = TV.Load(ref xr, i) - vm;
            ((TV.Load(ref gr, i) - vg - xmu * vc) * vk).Store(ref or, i);
        }
        return i;
    }
}
