namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the fused optimizer update primitives.</summary>
internal static class OptimizerOps
{
    public static void Sgd(GpuBackend backend, BufferView param, BufferView grad, BufferView? momentumBuffer, SgdUpdateParams p) => throw ElementwiseOps.NotYet("sgd update");

    public static void Adam(GpuBackend backend, BufferView param, BufferView grad, BufferView m, BufferView v, BufferView? maxV, AdamUpdateParams p) => throw ElementwiseOps.NotYet("adam update");
}
