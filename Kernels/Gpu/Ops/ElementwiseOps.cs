using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>
/// Launchers of the elementwise primitives. Views are first coalesced (<see cref="CoalescedLayout"/>); when
/// every operand is then contiguous a flat kernel runs, otherwise the strided kernel.
/// </summary>
internal static class ElementwiseOps
{
    public static void Fill(GpuBackend backend, BufferView y, double value)
    {
        BackendContract.Fill(y);
        switch (y.DType)
        {
            case DType.Float32: Fill<float>(backend, y, FillKernel.Convert<float>(value)); break;
            case DType.Float64: Fill<double>(backend, y, FillKernel.Convert<double>(value)); break; // explicit: the non-generic overload would win and recurse
            default: Fill<int>(backend, y, FillKernel.Convert<int>(value)); break;
        }
    }

    private static void Fill<T>(GpuBackend backend, BufferView y, T value) where T : unmanaged
    {
        long n = y.Count;
        if (n == 0) return;
        var layout = CoalescedLayout.Create(y.Shape, y.Strides);
        var config = Launch.Linear(backend, n);
        if (layout.AllUnitStride)
            backend.Kernels.Launch(CopyKernels.FillContiguous, config, backend.From<T>(y), n, value);
        else
            backend.Kernels.Launch(CopyKernels.FillStrided, config, backend.From<T>(y), layout.KernelStrides(0), layout.KernelShape, n, value);
    }

    public static void Copy(GpuBackend backend, BufferView x, BufferView y)
    {
        BackendContract.Copy(x, y);
        long n = y.Count;
        if (n == 0) return;
        bool sameView = ReferenceEquals(x.Buffer, y.Buffer) && x.Offset == y.Offset && x.Strides.AsSpan().SequenceEqual(y.Strides);
        if (sameView && x.DType == y.DType) return;
        switch (x.DType, y.DType)
        {
            case (DType.Float32, DType.Float32): Same<float>(backend, x, y); break;
            case (DType.Float64, DType.Float64): Same<double>(backend, x, y); break;
            case (DType.Int32, DType.Int32): Same<int>(backend, x, y); break;
            case (DType.Float32, DType.Float64): Convert<float, double, FloatToDouble>(backend, x, y); break;
            case (DType.Float32, DType.Int32): Convert<float, int, FloatToInt>(backend, x, y); break;
            case (DType.Float64, DType.Float32): Convert<double, float, DoubleToFloat>(backend, x, y); break;
            case (DType.Float64, DType.Int32): Convert<double, int, DoubleToInt>(backend, x, y); break;
            case (DType.Int32, DType.Float32): Convert<int, float, IntToFloat>(backend, x, y); break;
            default: Convert<int, double, IntToDouble>(backend, x, y); break;
        }
    }

    private static void Same<T>(GpuBackend backend, BufferView x, BufferView y) where T : unmanaged
    {
        long n = y.Count;
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        if (layout.AllUnitStride)
        {
            backend.From<T>(x).SubView(0, n).CopyTo(backend.Stream, backend.From<T>(y).SubView(0, n));
            return;
        }
        backend.Kernels.Launch(CopyKernels.CopyStrided, Launch.Linear(backend, n),
            backend.From<T>(x), layout.KernelStrides(0), backend.From<T>(y), layout.KernelStrides(1), layout.KernelShape, n);
    }

    private static void Convert<TFrom, TTo, TConvert>(GpuBackend backend, BufferView x, BufferView y)
        where TFrom : unmanaged where TTo : unmanaged where TConvert : struct, IConversion<TFrom, TTo>
    {
        long n = y.Count;
        var layout = CoalescedLayout.Create(y.Shape, x.Strides, y.Strides);
        var config = Launch.Linear(backend, n);
        if (layout.AllUnitStride)
            backend.Kernels.Launch(CopyKernels.ConvertContiguous<TFrom, TTo, TConvert>, config, backend.From<TFrom>(x), backend.From<TTo>(y), n, default(TConvert));
        else
            backend.Kernels.Launch(CopyKernels.ConvertStrided<TFrom, TTo, TConvert>, config, backend.From<TFrom>(x), layout.KernelStrides(0),
                backend.From<TTo>(y), layout.KernelStrides(1), layout.KernelShape, n, default(TConvert));
    }

    public static void Unary(GpuBackend backend, UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
        => throw NotYet("unary");

    public static void UnaryBackward(GpuBackend backend, UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta)
        => throw NotYet("unary backward");

    public static void Binary(GpuBackend backend, BinaryOp op, BufferView a, BufferView b, BufferView y) => throw NotYet("binary");

    public static void BinaryScalar(GpuBackend backend, BinaryOp op, BufferView a, double scalar, bool scalarFirst, BufferView y)
        => throw NotYet("binary scalar");

    public static void Where(GpuBackend backend, BufferView condition, BufferView a, BufferView b, BufferView y) => throw NotYet("where");

    internal static NotSupportedException NotYet(string op) => new($"gpu: {op} has no ILGPU kernel yet");
}
