namespace Scratch.Kernels.Cpu;

/// <summary>Placeholder until implemented.</summary>
internal static class RandomKernel
{
    public static void Run(RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b) => throw new NotImplementedException("RandomKernel");
}
