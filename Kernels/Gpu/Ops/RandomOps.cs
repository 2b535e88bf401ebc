using System.Numerics;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>Launchers of the random-number primitives (<see cref="RandomKernels"/>).</summary>
internal static class RandomOps
{
    public static void Fill(GpuBackend backend, RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b)
    {
        if (!BackendContract.Random(distribution, y, a, b)) return;
        if (y.DType == DType.Float32) Fill<float, WidenFloat32>(backend, distribution, y, seed, offset, a, b);
        else Fill<double, WidenFloat64>(backend, distribution, y, seed, offset, a, b);
    }

    private static void Fill<T, TW>(GpuBackend backend, RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        long n = y.Count;
        var layout = CoalescedLayout.Create(y.Shape, y.Strides);
        backend.Kernels.Launch(RandomKernels.Fill<T, TW>, Launch.Linear(backend, n), backend.From<T>(y), layout.KernelStrides(0), layout.KernelShape, n,
            seed, offset, (int)distribution, a, b, default(TW));
    }
}
