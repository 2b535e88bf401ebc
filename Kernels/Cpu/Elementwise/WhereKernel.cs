namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class WhereKernel
{
    public static void Run(BufferView condition, BufferView a, BufferView b, BufferView y) => throw new NotImplementedException("WhereKernel");
}
