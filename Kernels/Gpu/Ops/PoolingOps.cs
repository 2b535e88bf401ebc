using System.Numerics;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the pooling primitives (<see cref="PoolingKernels"/>).</summary>
internal static class PoolingOps
{
    public static void MaxForward(GpuBackend backend, BufferView x, BufferView y, BufferView indices, Pool2dParams p)
    {
        var g = BackendContract.MaxPool2dForward(x, y, indices, p);
        if (x.DType == DType.Float32) MaxForward<float>(backend, x, y, indices, g);
        else MaxForward<double>(backend, x, y, indices, g);
    }

    private static void MaxForward<T>(GpuBackend backend, BufferView x, BufferView y, BufferView indices, PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long total = (long)g.Planes * g.OutputPlane;
        if (total == 0) return;
        backend.Kernels.Launch(PoolingKernels.MaxForward<T>, Launch.Linear(backend, total),
            backend.From<T>(x), backend.From<T>(y), backend.From<int>(indices), new PoolShape(g), total);
    }

    /// <remarks>
    /// A gather: gx[e] sums gy over the windows covering e whose index is e. It agrees with the CPU's scatter for
    /// indices that lie in their own window, which is what <see cref="MaxForward"/> writes. An index outside its
    /// plane is reported (ArgumentOutOfRangeException, as on the CPU) at the next synchronisation.
    /// </remarks>
    public static void MaxBackward(GpuBackend backend, BufferView gy, BufferView indices, BufferView gx, Pool2dParams p)
    {
        var g = BackendContract.MaxPool2dBackward(gy, indices, gx, p);
        if (gx.DType == DType.Float32) MaxBackward<float>(backend, gy, indices, gx, g);
        else MaxBackward<double>(backend, gy, indices, gx, g);
    }

    private static void MaxBackward<T>(GpuBackend backend, BufferView gy, BufferView indices, BufferView gx, PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long total = (long)g.Planes * g.InputPlane;
        if (total == 0) return;
        backend.Kernels.Launch(PoolingKernels.MaxBackward<T>, Launch.Linear(backend, total),
            backend.From<T>(gy), backend.From<int>(indices), backend.From<T>(gx), new PoolShape(g), total, backend.Errors.View);
    }

    public static void AvgForward(GpuBackend backend, BufferView x, BufferView y, Pool2dParams p)
    {
        var g = BackendContract.AvgPool2dForward(x, y, p);
        long total = (long)g.Planes * g.OutputPlane;
        if (total == 0) return;
        var config = Launch.Linear(backend, total);
        if (x.DType == DType.Float32)
            backend.Kernels.Launch(PoolingKernels.AvgForward<float>, config, backend.From<float>(x), backend.From<float>(y), new PoolShape(g), total, 1f);
        else
            backend.Kernels.Launch(PoolingKernels.AvgForward<double>, config, backend.From<double>(x), backend.From<double>(y), new PoolShape(g), total, 1d);
    }

    public static void AvgBackward(GpuBackend backend, BufferView gy, BufferView gx, Pool2dParams p)
    {
        var g = BackendContract.AvgPool2dBackward(gy, gx, p);
        long total = (long)g.Planes * g.InputPlane;
        if (total == 0) return;
        var config = Launch.Linear(backend, total);
        if (gx.DType == DType.Float32)
            backend.Kernels.Launch(PoolingKernels.AvgBackward<float>, config, backend.From<float>(gy), backend.From<float>(gx), new PoolShape(g), total, 1f);
        else
            backend.Kernels.Launch(PoolingKernels.AvgBackward<double>, config, backend.From<double>(gy), backend.From<double>(gx), new PoolShape(g), total, 1d);
    }
}
