namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the softmax primitives.</summary>
internal static class SoftmaxOps
{
    public static void Forward(GpuBackend backend, BufferView x, BufferView y, bool log) => throw ElementwiseOps.NotYet("softmax");

    public static void Backward(GpuBackend backend, BufferView y, BufferView gy, BufferView gx, bool log) => throw ElementwiseOps.NotYet("softmax backward");
}
