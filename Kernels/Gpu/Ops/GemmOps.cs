namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the matrix product primitives.</summary>
internal static class GemmOps
{
    public static void MatMul(GpuBackend backend, BufferView a, BufferView b, BufferView c, double alpha, double beta) => throw ElementwiseOps.NotYet("matmul");
}
