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
        if (Vector512.IsHardwareAccelerated)
        {
            var a = Vector512.Create(scale);
            var b = Vector512.Create(shift);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (Vector512.LoadUnsafe(ref xr, (nuint)i) * a + b).StoreUnsafe(ref yr, (nuint)i);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.Create(scale);
            var b = Vector256.Create(shift);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref xr, (nuint)i) * a + b).StoreUnsafe(ref yr, (nuint)i);
        }
        for (; i < n; i++) y[i] = x[i] * scale + shift;
    }

    /// <summary>gx = (gy − meanGy − (x − mean)·c)·k: the batch-norm input gradient with per-channel constants.</summary>
    public static void InputGradient<T>(ReadOnlySpan<T> gy, ReadOnlySpan<T> x, T meanGy, T mean, T c, T k, Span<T> gx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T gr = ref MemoryMarshal.GetReference(gy);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T or = ref MemoryMarshal.GetReference(gx);
        int n = x.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vg = Vector512.Create(meanGy);
            var vm = Vector512.Create(mean);
            var vc = Vector512.Create(c);
            var vk = Vector512.Create(k);
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var xmu = Vector512.LoadUnsafe(ref xr, (nuint)i) - vm;
                ((Vector512.LoadUnsafe(ref gr, (nuint)i) - vg - xmu * vc) * vk).StoreUnsafe(ref or, (nuint)i);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vg = Vector256.Create(meanGy);
            var vm = Vector256.Create(mean);
            var vc = Vector256.Create(c);
            var vk = Vector256.Create(k);
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var xmu = Vector256.LoadUnsafe(ref xr, (nuint)i) - vm;
                ((Vector256.LoadUnsafe(ref gr, (nuint)i) - vg - xmu * vc) * vk).StoreUnsafe(ref or, (nuint)i);
            }
        }
        for (; i < n; i++) gx[i] = (gy[i] - meanGy - (x[i] - mean) * c) * k;
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
