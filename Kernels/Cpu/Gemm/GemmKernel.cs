namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class GemmKernel
{
    public static void MatMul(BufferView a, BufferView b, BufferView c, double alpha, double beta) => throw new NotImplementedException("GemmKernel");
}
