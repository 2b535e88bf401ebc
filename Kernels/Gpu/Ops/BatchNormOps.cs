namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the batch norm primitives.</summary>
internal static class BatchNormOps
{
    public static void ForwardTraining(GpuBackend backend, BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps) => throw ElementwiseOps.NotYet("batch norm");

    public static void ForwardInference(GpuBackend backend, BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
        => throw ElementwiseOps.NotYet("batch norm inference");

    public static void Backward(GpuBackend backend, BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias) => throw ElementwiseOps.NotYet("batch norm backward");
}
