using System.Numerics;
using ILGPU;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the fused optimizer update primitives (<see cref="OptimizerKernels"/>).</summary>
internal static class OptimizerOps
{
    public static void Sgd(GpuBackend backend, BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p)
    {
        bool momentum = BackendContract.SgdUpdate(param, grad, momentumBuffer, p);
        if (param.DType == DType.Float32) Sgd<float>(backend, param, grad, momentum ? momentumBuffer : null, p);
        else Sgd<double>(backend, param, grad, momentum ? momentumBuffer : null, p);
    }

    private static void Sgd<T>(GpuBackend backend, BufferView param, BufferView grad, BufferView? buffer, SgdUpdateParams p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = param.Count;
        if (n == 0) return;
        backend.Kernels.Launch(OptimizerKernels.Sgd<T>, Launch.Linear(backend, n), backend.From<T>(param), backend.From<T>(grad),
            buffer is { } b ? backend.From<T>(b) : ArrayView<T>.Empty, n, new SgdArgs<T>(p, buffer is not null));
    }

    public static void Adam(GpuBackend backend, BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
    {
        BackendContract.AdamUpdate(param, grad, m, v, maxV, p);
        if (param.DType == DType.Float32) Adam<float>(backend, param, grad, m, v, p.Amsgrad ? maxV : null, p);
        else Adam<double>(backend, param, grad, m, v, p.Amsgrad ? maxV : null, p);
    }

    private static void Adam<T>(GpuBackend backend, BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long n = param.Count;
        if (n == 0) return;
        backend.Kernels.Launch(OptimizerKernels.Adam<T>, Launch.Linear(backend, n), backend.From<T>(param), backend.From<T>(grad),
            backend.From<T>(m), backend.From<T>(v), maxV is { } x ? backend.From<T>(x) : ArrayView<T>.Empty, n, new AdamArgs<T>(p));
    }
}
