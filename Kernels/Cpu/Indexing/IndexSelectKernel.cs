namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class IndexSelectKernel
{
    public static void IndexSelect(BufferView x, BufferView index, BufferView y) => throw new NotImplementedException("IndexSelectKernel");
    public static void IndexAdd(BufferView src, BufferView index, BufferView y) => throw new NotImplementedException("IndexSelectKernel");
}
