namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class FillKernel
{
    public static void Run(BufferView y, double value) => throw new NotImplementedException("FillKernel");
}
