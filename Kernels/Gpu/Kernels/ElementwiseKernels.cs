using ILGPU;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu.Runtime;
using static Scratch.Kernels.Gpu.Kernels.CopyKernels;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// Unary, binary and select kernels, contiguous and strided, one thread per element in a grid-stride loop.
/// The functions are the CPU's operator structs themselves (<see cref="IUnaryOperator{T}"/>,
/// <see cref="IBinaryOperator{T}"/>): the kernels call their scalar <c>Invoke</c>.
/// </summary>
internal static class ElementwiseKernels
{
    public static void MapContiguous<T, TOp>(ArrayView<T> x, ArrayView<T> y, long n, TOp op)
        where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        for (long i = Start; i < n; i += Step) y[i] = op.Invoke(x[i]);
    }

    public static void MapStrided<T, TOp>(ArrayView<T> x, KernelStrides xs, ArrayView<T> y, KernelStrides ys, KernelShape shape, long n, TOp op)
        where T : unmanaged where TOp : struct, IUnaryOperator<T>
    {
        for (long i = Start; i < n; i += Step) y[ys.OffsetOf(i, shape)] = op.Invoke(x[xs.OffsetOf(i, shape)]);
    }

    public static void ZipContiguous<T, TOp>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> y, long n, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        for (long i = Start; i < n; i += Step) y[i] = op.Invoke(a[i], b[i]);
    }

    public static void ZipStrided<T, TOp>(ArrayView<T> a, KernelStrides aStrides, ArrayView<T> b, KernelStrides bStrides,
        ArrayView<T> y, KernelStrides yStrides, KernelShape shape, long n, TOp op)
        where T : unmanaged where TOp : struct, IBinaryOperator<T>
    {
        for (long i = Start; i < n; i += Step)
            y[yStrides.OffsetOf(i, shape)] = op.Invoke(a[aStrides.OffsetOf(i, shape)], b[bStrides.OffsetOf(i, shape)]);
    }

    /// <summary>Int32 a / b (truncating, as C#); a zero divisor writes 0 and is reported through the device error word.</summary>
    public static void DivideInt32(ArrayView<int> a, KernelStrides aStrides, ArrayView<int> b, KernelStrides bStrides,
        ArrayView<int> y, KernelStrides yStrides, KernelShape shape, long n, ArrayView<int> errors)
    {
        for (long i = Start; i < n; i += Step)
        {
            int divisor = b[bStrides.OffsetOf(i, shape)];
            int dividend = a[aStrides.OffsetOf(i, shape)];
            y[yStrides.OffsetOf(i, shape)] = Divide(dividend, divisor, errors);
        }
    }

    /// <summary>Int32 s / a for a scalar dividend s; a zero element of a is reported as in <see cref="DivideInt32"/>.</summary>
    public static void DivideScalarByInt32(ArrayView<int> a, KernelStrides aStrides, ArrayView<int> y, KernelStrides yStrides,
        KernelShape shape, long n, int dividend, ArrayView<int> errors)
    {
        for (long i = Start; i < n; i += Step)
            y[yStrides.OffsetOf(i, shape)] = Divide(dividend, a[aStrides.OffsetOf(i, shape)], errors);
    }

    private static int Divide(int dividend, int divisor, ArrayView<int> errors)
    {
        if (divisor == 0)
        {
            DeviceErrors.Report(errors, DeviceErrorCode.DivideByZero, (int)DeviceOperation.BinaryDiv, dividend, 0);
            return 0;
        }
        return default(DivOp<int>).Invoke(dividend, divisor);
    }

    /// <summary>y = condition ≠ 0 ? a : b (NaN counts as true).</summary>
    public static void Select<TC, T>(ArrayView<TC> c, KernelStrides cs, ArrayView<T> a, KernelStrides aStrides, ArrayView<T> b, KernelStrides bStrides,
        ArrayView<T> y, KernelStrides ys, KernelShape shape, long n)
        where TC : unmanaged, System.Numerics.INumber<TC> where T : unmanaged
    {
        for (long i = Start; i < n; i += Step)
            y[ys.OffsetOf(i, shape)] = c[cs.OffsetOf(i, shape)] != TC.Zero ? a[aStrides.OffsetOf(i, shape)] : b[bStrides.OffsetOf(i, shape)];
    }
}
