namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class OneHotKernel
{
    public static void Run(BufferView index, BufferView y) => throw new NotImplementedException("OneHotKernel");
}
