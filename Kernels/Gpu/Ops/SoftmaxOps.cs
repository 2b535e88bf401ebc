using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the softmax primitives (<see cref="SoftmaxKernels"/>).</summary>
internal static class SoftmaxOps
{
    public static void Forward(GpuBackend backend, BufferView x, BufferView y, bool log)
    {
        BackendContract.Softmax(x, y, log);
        if (x.Count == 0) return;
        if (x.DType == DType.Float32) Forward<float, WidenFloat32>(backend, x, y, log);
        else Forward<double, WidenFloat64>(backend, x, y, log);
    }

    public static void Backward(GpuBackend backend, BufferView y, BufferView gy, BufferView gx, bool log)
    {
        BackendContract.SoftmaxBackward(y, gy, gx, log);
        if (y.Count == 0) return;
        if (y.DType == DType.Float32) Backward<float, WidenFloat32>(backend, y, gy, gx, log);
        else Backward<double, WidenFloat64>(backend, y, gy, gx, log);
    }

    private static void Forward<T, TW>(GpuBackend backend, BufferView x, BufferView y, bool log)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        int outer = x.Shape[0], n = x.Shape[1], inner = x.Shape[2];
        if (inner == 1)
            backend.Kernels.Launch(SoftmaxKernels.RowForward<T, TW>, RowConfig(backend, outer, n),
                backend.From<T>(x), backend.From<T>(y), outer, n, log ? 1 : 0, default(TW));
        else
            backend.Kernels.Launch(SoftmaxKernels.ColumnForward<T, TW>, Launch.Linear(backend, (long)outer * inner),
                backend.From<T>(x), backend.From<T>(y), outer, n, inner, log ? 1 : 0, default(TW));
    }

    private static void Backward<T, TW>(GpuBackend backend, BufferView y, BufferView gy, BufferView gx, bool log)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        int outer = y.Shape[0], n = y.Shape[1], inner = y.Shape[2];
        if (inner == 1)
            backend.Kernels.Launch(SoftmaxKernels.RowBackward<T, TW>, RowConfig(backend, outer, n),
                backend.From<T>(y), backend.From<T>(gy), backend.From<T>(gx), outer, n, log ? 1 : 0, default(TW));
        else
            backend.Kernels.Launch(SoftmaxKernels.ColumnBackward<T, TW>, Launch.Linear(backend, (long)outer * inner),
                backend.From<T>(y), backend.From<T>(gy), backend.From<T>(gx), outer, n, inner, log ? 1 : 0, default(TW));
    }

    /// <summary>One group per row, at most 32 groups per multiprocessor (groups then stride over the rows).</summary>
    private static ILGPU.KernelConfig RowConfig(GpuBackend backend, int outer, int n)
    {
        int cap = Math.Max(1, backend.MultiprocessorCount) * 32;
        return new ILGPU.KernelConfig(Math.Max(1, Math.Min(outer, cap)), SoftmaxKernels.RowGroup(n));
    }
}
