namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class UnaryKernel
{
    public static void Run(UnaryOp op, BufferView x, BufferView y, double alpha, double beta) => throw new NotImplementedException("UnaryKernel");
}
