using System.Numerics;
using ILGPU;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the batch norm primitives (<see cref="BatchNormKernels"/>).</summary>
internal static class BatchNormOps
{
    public static void ForwardTraining(GpuBackend backend, BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps)
    {
        BackendContract.BatchNormForwardTraining(x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, eps);
        if (x.DType == DType.Float32) ForwardTraining<float, WidenFloat32>(backend, x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, momentum, eps);
        else ForwardTraining<double, WidenFloat64>(backend, x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, momentum, eps);
    }

    private static void ForwardTraining<T, TW>(GpuBackend backend, BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        int batch = x.Shape[0], channels = x.Shape[1], size = x.Shape[2];
        if (channels == 0) return;
        var slots = new BatchNormSlots(weight is not null, bias is not null, runningMean is not null, runningVar is not null);
        backend.Kernels.Launch(BatchNormKernels.ForwardTraining<T, TW>, ChannelConfig(backend, channels, (long)batch * size),
            backend.From<T>(x), Optional<T>(backend, weight), Optional<T>(backend, bias), backend.From<T>(y), backend.From<T>(saveMean), backend.From<T>(saveInvStd),
            Optional<T>(backend, runningMean), Optional<T>(backend, runningVar), batch, channels, size, slots, new BatchNormScalars(momentum, eps), default(TW));
    }

    public static void ForwardInference(GpuBackend backend, BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
    {
        BackendContract.BatchNormForwardInference(x, weight, bias, mean, variance, y, eps);
        if (x.DType == DType.Float32) ForwardInference<float, WidenFloat32>(backend, x, weight, bias, mean, variance, y, eps);
        else ForwardInference<double, WidenFloat64>(backend, x, weight, bias, mean, variance, y, eps);
    }

    private static void ForwardInference<T, TW>(GpuBackend backend, BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        long total = x.Count;
        if (total == 0) return;
        var slots = new BatchNormSlots(weight is not null, bias is not null);
        backend.Kernels.Launch(BatchNormKernels.ForwardInference<T, TW>, Launch.Linear(backend, total),
            backend.From<T>(x), Optional<T>(backend, weight), Optional<T>(backend, bias), backend.From<T>(mean), backend.From<T>(variance), backend.From<T>(y),
            x.Shape[1], x.Shape[2], total, slots, eps, default(TW));
    }

    public static void Backward(GpuBackend backend, BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
    {
        BackendContract.BatchNormBackward(x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);
        if (x.DType == DType.Float32) Backward<float, WidenFloat32>(backend, x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);
        else Backward<double, WidenFloat64>(backend, x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);
    }

    private static void Backward<T, TW>(GpuBackend backend, BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        int batch = x.Shape[0], channels = x.Shape[1], size = x.Shape[2];
        if (channels == 0) return;
        var slots = new BatchNormSlots(weight is not null, false, gradWeight: gWeight is not null, gradBias: gBias is not null);
        backend.Kernels.Launch(BatchNormKernels.Backward<T, TW>, ChannelConfig(backend, channels, (long)batch * size),
            backend.From<T>(x), backend.From<T>(gy), Optional<T>(backend, weight), backend.From<T>(saveMean), backend.From<T>(saveInvStd),
            backend.From<T>(gx), Optional<T>(backend, gWeight), Optional<T>(backend, gBias), batch, channels, size, slots, default(TW));
    }

    /// <summary>The view, or an empty one that the kernel never touches (its flag in <see cref="BatchNormSlots"/> is 0).</summary>
    private static ArrayView<T> Optional<T>(GpuBackend backend, BufferView? view) where T : unmanaged
        => view is { } v ? backend.From<T>(v) : ArrayView<T>.Empty;

    /// <summary>
    /// One group per channel, at most 32 per multiprocessor (groups then stride over the channels), of 32 to 256
    /// threads as the channel's <paramref name="count"/> values need (a function of the sizes only).
    /// </summary>
    private static KernelConfig ChannelConfig(GpuBackend backend, int channels, long count)
    {
        int cap = Math.Max(1, backend.MultiprocessorCount) * 32;
        return new KernelConfig(Math.Min(channels, cap), SoftmaxKernels.RowGroup((int)Math.Min(count, BatchNormKernels.ChannelGroup)));
    }
}
