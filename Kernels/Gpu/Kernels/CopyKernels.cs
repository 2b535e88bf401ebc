using ILGPU;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>Fill and copy/convert, contiguous and strided, one thread per element in a grid-stride loop.</summary>
internal static class CopyKernels
{
    /// <summary>The first element this thread handles and the grid's stride.</summary>
    public static long Start => Grid.GlobalIndex.X;

    /// <summary>Threads in the grid: the step of a grid-stride loop.</summary>
    public static long Step => (long)Grid.DimX * Group.DimX;

    public static void FillContiguous<T>(ArrayView<T> y, long n, T value) where T : unmanaged
    {
        for (long i = Start; i < n; i += Step) y[i] = value;
    }

    public static void FillStrided<T>(ArrayView<T> y, KernelStrides ys, KernelShape shape, long n, T value) where T : unmanaged
    {
        for (long i = Start; i < n; i += Step) y[ys.OffsetOf(i, shape)] = value;
    }

    public static void CopyStrided<T>(ArrayView<T> x, KernelStrides xs, ArrayView<T> y, KernelStrides ys, KernelShape shape, long n)
        where T : unmanaged
    {
        for (long i = Start; i < n; i += Step) y[ys.OffsetOf(i, shape)] = x[xs.OffsetOf(i, shape)];
    }

    public static void ConvertContiguous<TFrom, TTo, TConvert>(ArrayView<TFrom> x, ArrayView<TTo> y, long n, TConvert convert)
        where TFrom : unmanaged where TTo : unmanaged where TConvert : struct, IConversion<TFrom, TTo>
    {
        for (long i = Start; i < n; i += Step) y[i] = convert.Invoke(x[i]);
    }

    public static void ConvertStrided<TFrom, TTo, TConvert>(ArrayView<TFrom> x, KernelStrides xs, ArrayView<TTo> y, KernelStrides ys,
        KernelShape shape, long n, TConvert convert)
        where TFrom : unmanaged where TTo : unmanaged where TConvert : struct, IConversion<TFrom, TTo>
    {
        for (long i = Start; i < n; i += Step) y[ys.OffsetOf(i, shape)] = convert.Invoke(x[xs.OffsetOf(i, shape)]);
    }
}
