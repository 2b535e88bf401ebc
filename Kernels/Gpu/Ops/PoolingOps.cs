namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the pooling primitives.</summary>
internal static class PoolingOps
{
    public static void MaxForward(GpuBackend backend, BufferView x, BufferView y, BufferView indices, Pool2dParams p) => throw ElementwiseOps.NotYet("max pool");

    public static void MaxBackward(GpuBackend backend, BufferView gy, BufferView indices, BufferView gx, Pool2dParams p) => throw ElementwiseOps.NotYet("max pool backward");

    public static void AvgForward(GpuBackend backend, BufferView x, BufferView y, Pool2dParams p) => throw ElementwiseOps.NotYet("avg pool");

    public static void AvgBackward(GpuBackend backend, BufferView gy, BufferView gx, Pool2dParams p) => throw ElementwiseOps.NotYet("avg pool backward");
}
