namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class AvgPool2dKernel
{
    public static void Forward(BufferView x, BufferView y, Pool2dParams p) => throw new NotImplementedException("AvgPool2dKernel");
    public static void Backward(BufferView gy, BufferView gx, Pool2dParams p) => throw new NotImplementedException("AvgPool2dKernel");
}
