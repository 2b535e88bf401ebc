namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class BinaryKernel
{
    public static void Run(BinaryOp op, BufferView a, BufferView b, BufferView y) => throw new NotImplementedException("BinaryKernel");
}
