namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the random-number primitives.</summary>
internal static class RandomOps
{
    public static void Fill(GpuBackend backend, RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b) => throw ElementwiseOps.NotYet("random");
}
