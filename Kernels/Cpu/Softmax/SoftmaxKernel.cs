namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class SoftmaxKernel
{
    public static void Forward(BufferView x, BufferView y, bool log) => throw new NotImplementedException("SoftmaxKernel");
    public static void Backward(BufferView y, BufferView gy, BufferView gx, bool log) => throw new NotImplementedException("SoftmaxKernel");
}
