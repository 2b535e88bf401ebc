using System.Numerics;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the indexing primitives (<see cref="IndexingKernels"/>).</summary>
internal static class IndexingOps
{
    public static void Gather(GpuBackend backend, BufferView x, BufferView index, BufferView y)
    {
        BackendContract.Gather(x, index, y);
        switch (x.DType)
        {
            case DType.Float32: Gather<float>(backend, x, index, y); break;
            case DType.Float64: Gather<double>(backend, x, index, y); break;
            default: Gather<int>(backend, x, index, y); break;
        }
    }

    private static void Gather<T>(GpuBackend backend, BufferView x, BufferView index, BufferView y) where T : unmanaged
    {
        long total = y.Count;
        if (total == 0) return;
        backend.Kernels.Launch(IndexingKernels.Gather<T>, Launch.Linear(backend, total), backend.From<T>(x), backend.From<int>(index), backend.From<T>(y),
            y.Shape[1], x.Shape[1], y.Shape[2], total, backend.Errors.View);
    }

    public static void ScatterAdd(GpuBackend backend, BufferView src, BufferView index, BufferView y)
    {
        BackendContract.ScatterAdd(src, index, y);
        switch (y.DType)
        {
            case DType.Float32: ScatterAdd<float>(backend, src, index, y); break;
            case DType.Float64: ScatterAdd<double>(backend, src, index, y); break;
            default: ScatterAdd<int>(backend, src, index, y); break;
        }
    }

    private static void ScatterAdd<T>(GpuBackend backend, BufferView src, BufferView index, BufferView y) where T : unmanaged, INumber<T>
    {
        long columns = (long)src.Shape[0] * src.Shape[2];
        if (columns == 0 || src.Shape[1] == 0) return;
        backend.Kernels.Launch(IndexingKernels.ScatterAdd<T>, Launch.Linear(backend, columns), backend.From<T>(src), backend.From<int>(index), backend.From<T>(y),
            src.Shape[1], y.Shape[1], src.Shape[2], columns, backend.Errors.View);
    }

    public static void IndexSelect(GpuBackend backend, BufferView x, BufferView index, BufferView y)
    {
        BackendContract.IndexSelect(x, index, y);
        switch (x.DType)
        {
            case DType.Float32: IndexSelect<float>(backend, x, index, y); break;
            case DType.Float64: IndexSelect<double>(backend, x, index, y); break;
            default: IndexSelect<int>(backend, x, index, y); break;
        }
    }

    private static void IndexSelect<T>(GpuBackend backend, BufferView x, BufferView index, BufferView y) where T : unmanaged
    {
        long total = y.Count;
        if (total == 0)
        {
            // The CPU checks the index even when nothing is copied.
            CheckIndexOnly(backend, index, x.Shape[1], DeviceOperation.IndexSelect);
            return;
        }
        backend.Kernels.Launch(IndexingKernels.IndexSelect<T>, Launch.Linear(backend, total), backend.From<T>(x), backend.From<int>(index), backend.From<T>(y),
            y.Shape[1], x.Shape[1], y.Shape[2], total, backend.Errors.View);
    }

    public static void IndexAdd(GpuBackend backend, BufferView src, BufferView index, BufferView y)
    {
        BackendContract.IndexAdd(src, index, y);
        switch (y.DType)
        {
            case DType.Float32: IndexAdd<float>(backend, src, index, y); break;
            case DType.Float64: IndexAdd<double>(backend, src, index, y); break;
            default: IndexAdd<int>(backend, src, index, y); break;
        }
    }

    private static void IndexAdd<T>(GpuBackend backend, BufferView src, BufferView index, BufferView y) where T : unmanaged, INumber<T>
    {
        long columns = (long)src.Shape[0] * src.Shape[2];
        if (columns == 0 || src.Shape[1] == 0)
        {
            CheckIndexOnly(backend, index, y.Shape[1], DeviceOperation.IndexAdd);
            return;
        }
        backend.Kernels.Launch(IndexingKernels.IndexAdd<T>, Launch.Linear(backend, columns), backend.From<T>(src), backend.From<int>(index), backend.From<T>(y),
            src.Shape[1], y.Shape[1], src.Shape[2], columns, backend.Errors.View);
    }

    public static void OneHot(GpuBackend backend, BufferView index, BufferView y)
    {
        BackendContract.OneHot(index, y);
        switch (y.DType)
        {
            case DType.Float32: OneHot(backend, index, y, 1f); break;
            case DType.Float64: OneHot(backend, index, y, 1d); break;
            default: OneHot(backend, index, y, 1); break;
        }
    }

    private static void OneHot<T>(GpuBackend backend, BufferView index, BufferView y, T one) where T : unmanaged
    {
        long total = y.Count;
        if (total == 0)
        {
            CheckIndexOnly(backend, index, y.Shape[1], DeviceOperation.OneHot);
            return;
        }
        backend.Kernels.Launch(IndexingKernels.OneHot<T>, Launch.Linear(backend, total), backend.From<int>(index), backend.From<T>(y),
            y.Shape[1], total, one, backend.Errors.View);
    }

    /// <summary>Reports an index outside [0, bound) when the op itself has nothing to compute (as the CPU checks every index first).</summary>
    private static void CheckIndexOnly(GpuBackend backend, BufferView index, int bound, DeviceOperation operation)
    {
        long n = index.Count;
        if (n == 0) return;
        backend.Kernels.Launch(IndexingKernels.CheckBounds, Launch.Linear(backend, n), backend.From<int>(index), n, bound, (int)operation, backend.Errors.View);
    }
}
