namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class MaxPool2dKernel
{
    public static void Forward(BufferView x, BufferView y, BufferView indices, Pool2dParams p) => throw new NotImplementedException("MaxPool2dKernel");
    public static void Backward(BufferView gy, BufferView indices, BufferView gx, Pool2dParams p) => throw new NotImplementedException("MaxPool2dKernel");
}
