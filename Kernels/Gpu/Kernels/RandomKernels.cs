using System.Numerics;
using ILGPU;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// The Philox stream of <see cref="RandomDistribution"/>, one thread per element: element i computes its own
/// block with the CPU's <see cref="Philox.Block(ulong, ulong)"/> and maps its word(s) with the CPU's
/// <see cref="RandomKernel.Unit"/> and <see cref="RandomKernel.BoxMuller"/>, so the 32-bit draws are the CPU's bit
/// for bit whatever the launch shape. The view is walked in row-major order through its strides.
/// </summary>
internal static class RandomKernels
{
    public static void Fill<T, TW>(ArrayView<T> y, KernelStrides ys, KernelShape shape, long n, ulong seed, ulong offset,
        int distribution, double a, double b, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        long gridStep = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += gridStep)
        {
            T value;
            if (distribution == (int)RandomDistribution.Normal)
            {
                var (r0, r1, r2, r3) = Philox.Block(seed, offset + (ulong)(i / 2));
                bool second = (i & 1) != 0;
                double z = RandomKernel.BoxMuller(RandomKernel.Unit(second ? r2 : r0), RandomKernel.Unit(second ? r3 : r1));
                value = w.Narrow(a + b * z);
            }
            else
            {
                var (r0, r1, r2, r3) = Philox.Block(seed, offset + (ulong)(i / 4));
                int word = (int)(i & 3);
                uint r = word == 0 ? r0 : word == 1 ? r1 : word == 2 ? r2 : r3;
                double u = RandomKernel.Unit(r);
                if (distribution == (int)RandomDistribution.Bernoulli) value = u < a ? T.One : T.Zero;
                else value = w.Narrow(a + (b - a) * u);
            }
            y[ys.OffsetOf(i, shape)] = value;
        }
    }
}
