namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class ReduceKernel
{
    public static void Run(ReduceOp op, BufferView x, int reducedDims, BufferView y) => throw new NotImplementedException("ReduceKernel");
}
