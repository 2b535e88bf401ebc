using System.Numerics;
using ILGPU;
using Scratch.Kernels.Cpu;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>SGD's per-step scalars, taken from the CPU's <see cref="OptimizerUpdateKernel.SgdConstants{T}"/> (flags as ints for the kernel).</summary>
internal readonly struct SgdArgs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly T Lr, WeightDecay, Momentum, OneMinusDampening;
    public readonly int Decay, UseMomentum, First, Nesterov;

    public SgdArgs(SgdUpdateParams p, bool momentum)
    {
        var k = new OptimizerUpdateKernel.SgdConstants<T>(p, momentum);
        Lr = k.Lr; WeightDecay = k.WeightDecay; Momentum = k.Momentum; OneMinusDampening = k.OneMinusDampening;
        Decay = k.Decay ? 1 : 0; UseMomentum = k.UseMomentum ? 1 : 0; First = k.First ? 1 : 0; Nesterov = k.Nesterov ? 1 : 0;
    }
}

/// <summary>Adam's per-step scalars, taken from the CPU's <see cref="OptimizerUpdateKernel.AdamConstants{T}"/>.</summary>
internal readonly struct AdamArgs<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public readonly T Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, Eps, WeightDecay, DecayFactor, StepSize, Correction2Sqrt;
    public readonly int L2, Decoupled, Amsgrad;

    public AdamArgs(AdamUpdateParams p)
    {
        var k = new OptimizerUpdateKernel.AdamConstants<T>(p);
        Beta1 = k.Beta1; OneMinusBeta1 = k.OneMinusBeta1; Beta2 = k.Beta2; OneMinusBeta2 = k.OneMinusBeta2; Eps = k.Eps;
        WeightDecay = k.WeightDecay; DecayFactor = k.DecayFactor; StepSize = k.StepSize; Correction2Sqrt = k.Correction2Sqrt;
        L2 = k.L2 ? 1 : 0; Decoupled = k.Decoupled ? 1 : 0; Amsgrad = k.Amsgrad ? 1 : 0;
    }
}

/// <summary>
/// The fused SGD and Adam/AdamW steps, one thread per element, with the CPU's constants (rounded to T on the
/// host by the CPU's own constant structs) and the CPU's per-element expressions in the same order
/// (<see cref="OptimizerUpdateKernel"/>'s SgdSteps/AdamSteps), so float32 and float64 results are the CPU's bit for
/// bit where the device rounds each operation (the simulator; a GPU compiler may fuse a multiply-add).
/// </summary>
internal static class OptimizerKernels
{
    public static void Sgd<T>(ArrayView<T> param, ArrayView<T> grad, ArrayView<T> buffer, long n, SgdArgs<T> k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long gridStep = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += gridStep)
        {
            T pv = param[i], g = grad[i];
            if (k.Decay != 0) g += k.WeightDecay * pv;
            if (k.UseMomentum != 0)
            {
                T buf = k.First != 0 ? g : k.Momentum * buffer[i] + k.OneMinusDampening * g;
                buffer[i] = buf;
                g = k.Nesterov != 0 ? g + k.Momentum * buf : buf;
            }
            param[i] = pv - k.Lr * g;
        }
    }

    public static void Adam<T>(ArrayView<T> param, ArrayView<T> grad, ArrayView<T> m, ArrayView<T> v, ArrayView<T> max, long n, AdamArgs<T> k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long gridStep = (long)Grid.DimX * Group.DimX;
        for (long i = Grid.GlobalIndex.X; i < n; i += gridStep)
        {
            T pv = param[i], g = grad[i];
            if (k.Decoupled != 0) pv *= k.DecayFactor;
            else if (k.L2 != 0) g += k.WeightDecay * pv;
            T mv = k.Beta1 * m[i] + k.OneMinusBeta1 * g;
            T vv = k.Beta2 * v[i] + k.OneMinusBeta2 * (g * g);
            m[i] = mv;
            v[i] = vv;
            if (k.Amsgrad != 0)
            {
                vv = SoftmaxKernels.Max(max[i], vv);
                max[i] = vv;
            }
            param[i] = pv - k.StepSize * (mv / (T.Sqrt(vv) / k.Correction2Sqrt + k.Eps));
        }
    }
}
