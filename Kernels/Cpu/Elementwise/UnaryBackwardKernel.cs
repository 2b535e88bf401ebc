namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class UnaryBackwardKernel
{
    public static void Run(UnaryOp op, BufferView x, BufferView gy, BufferView gx, double alpha, double beta) => throw new NotImplementedException("UnaryBackwardKernel");
}
