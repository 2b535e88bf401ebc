namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class Conv2dKernel
{
    public static void Forward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p) => throw new NotImplementedException("Conv2dKernel");
    public static void BackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p) => throw new NotImplementedException("Conv2dKernel");
    public static void BackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p) => throw new NotImplementedException("Conv2dKernel");
}
