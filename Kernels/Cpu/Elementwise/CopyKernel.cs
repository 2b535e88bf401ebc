namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class CopyKernel
{
    public static void Run(BufferView x, BufferView y) => throw new NotImplementedException("CopyKernel");
}
