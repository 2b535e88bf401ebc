namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class GatherKernel
{
    public static void Gather(BufferView x, BufferView index, BufferView y) => throw new NotImplementedException("GatherKernel");
    public static void ScatterAdd(BufferView src, BufferView index, BufferView y) => throw new NotImplementedException("GatherKernel");
}
