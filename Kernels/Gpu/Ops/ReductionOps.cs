namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the reduction primitives.</summary>
internal static class ReductionOps
{
    public static void Reduce(GpuBackend backend, ReduceOp op, BufferView x, int reducedDims, BufferView y) => throw ElementwiseOps.NotYet("reduce");
}
