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
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<double>.Zero;
            for (; i + 8 <= n; i += 8) acc += Load8(ref xr, i);
            sum += Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            for (; i + 4 <= n; i += 4) acc += Load4(ref xr, i);
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += double.CreateTruncating(x[i]);
        return sum;
    }

    /// <summary>Σ (x − mean)².</summary>
    public static double SumSquaredDeviations<T>(ReadOnlySpan<T> x, double mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<double>.Zero;
            var m = Vector512.Create(mean);
            for (; i + 8 <= n; i += 8)
            {
                var d = Load8(ref xr, i) - m;
                acc += d * d;
            }
            sum += Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            var m = Vector256.Create(mean);
            for (; i + 4 <= n; i += 4)
            {
                var d = Load4(ref xr, i) - m;
                acc += d * d;
            }
            sum += Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            double d = double.CreateTruncating(x[i]) - mean;
            sum += d * d;
        }
        return sum;
    }

    /// <summary>(Σ gy, Σ gy·(x − mean)).</summary>
    public static (double SumGy, double SumGyXmu) GradientSums<T>(ReadOnlySpan<T> gy, ReadOnlySpan<T> x, double mean)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(x);
        int n = x.Length, i = 0;
        double sumGy = 0, sumGyXmu = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var accG = Vector512<double>.Zero;
            var accD = Vector512<double>.Zero;
            var m = Vector512.Create(mean);
            for (; i + 8 <= n; i += 8)
            {
                var g = Load8(ref gr, i);
                accG += g;
                accD += g * (Load8(ref xr, i) - m);
            }
            sumGy += Vector512.Sum(accG);
            sumGyXmu += Vector512.Sum(accD);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var accG = Vector256<double>.Zero;
            var accD = Vector256<double>.Zero;
            var m = Vector256.Create(mean);
            for (; i + 4 <= n; i += 4)
            {
                var g = Load4(ref gr, i);
                accG += g;
                accD += g * (Load4(ref xr, i) - m);
            }
            sumGy += Vector256.Sum(accG);
            sumGyXmu += Vector256.Sum(accD);
        }
        for (; i < n; i++)
        {
            double g = double.CreateTruncating(gy[i]);
            sumGy += g;
            sumGyXmu += g * (double.CreateTruncating(x[i]) - mean);
        }
        return (sumGy, sumGyXmu);
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

    /// <summary>Eight elements from <paramref name="r"/> + <paramref name="i"/> as doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<double> Load8<T>(ref T r, int i) where T : unmanaged
        => typeof(T) == typeof(float)
            ? Vector512.WidenLower(Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref r), (nuint)i).ToVector512Unsafe())
            : Vector512.LoadUnsafe(ref Unsafe.As<T, double>(ref r), (nuint)i);

    /// <summary>Four elements from <paramref name="r"/> + <paramref name="i"/> as doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<double> Load4<T>(ref T r, int i) where T : unmanaged
        => typeof(T) == typeof(float)
            ? Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref r), (nuint)i).ToVector256Unsafe())
            : Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref r), (nuint)i);
}
