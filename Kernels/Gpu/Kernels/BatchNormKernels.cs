using System.Numerics;
using ILGPU;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>The optional [C] views of a batch-norm call: a flag per view (absent views are never read or written).</summary>
internal readonly struct BatchNormSlots
{
    public readonly int HasWeight, HasBias, HasRunningMean, HasRunningVar, HasGradWeight, HasGradBias;

    public BatchNormSlots(bool weight, bool bias, bool runningMean = false, bool runningVar = false, bool gradWeight = false, bool gradBias = false)
    {
        HasWeight = weight ? 1 : 0; HasBias = bias ? 1 : 0; HasRunningMean = runningMean ? 1 : 0; HasRunningVar = runningVar ? 1 : 0;
        HasGradWeight = gradWeight ? 1 : 0; HasGradBias = gradBias ? 1 : 0;
    }
}

/// <summary>Momentum and eps of a training step (one argument, to stay within the launcher's arity).</summary>
internal readonly struct BatchNormScalars(double momentum, double eps)
{
    public readonly double Momentum = momentum, Eps = eps;
}

/// <summary>
/// Batch norm over contiguous x [N, C, S] with the CPU's arithmetic (<see cref="Cpu.BatchNormKernel"/> and
/// <see cref="Cpu.BatchNormChannels{T}"/>): statistics and per-channel constants in float64, the elementwise
/// passes in T with constants rounded to T. Training and backward run one group per channel (groups stride over
/// channels); each thread sums a fixed subset of the channel's N·S elements and the group combines the partial
/// sums by a fixed tree (<see cref="SoftmaxKernels.GroupSum"/>), so results depend only on the sizes. The float64
/// sums are the CPU's up to the order of additions.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>Threads per channel group.</summary>
    public const int ChannelGroup = 256;

    public static void ForwardTraining<T, TW>(ArrayView<T> x, ArrayView<T> weight, ArrayView<T> bias, ArrayView<T> y,
        ArrayView<T> saveMean, ArrayView<T> saveInvStd, ArrayView<T> runningMean, ArrayView<T> runningVar,
        int batch, int channels, int size, BatchNormSlots slots, BatchNormScalars scalars, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        double momentum = scalars.Momentum, eps = scalars.Eps;
        var shared = SharedMemory.Allocate<double>(ChannelGroup);
        var constants = SharedMemory.Allocate<T>(2);
        int t = Group.IdxX, step = Group.DimX;
        long count = (long)batch * size;
        for (int c = Grid.IdxX; c < channels; c += Grid.DimX)
        {
            double sum = 0;
            for (long e = t; e < count; e += step) sum += w.Widen(x[At(e, c, channels, size)]);
            double mean = SoftmaxKernels.GroupSum(shared, sum) / count;
            double squares = 0;
            for (long e = t; e < count; e += step)
            {
                double d = w.Widen(x[At(e, c, channels, size)]) - mean;
                squares += d * d;
            }
            double variance = SoftmaxKernels.GroupSum(shared, squares) / count;
            if (t == 0)
            {
                // BatchNormChannels.FinishTraining.
                double invStd = 1.0 / Math.Sqrt(variance + eps);
                saveMean[c] = w.Narrow(mean);
                saveInvStd[c] = w.Narrow(invStd);
                if (slots.HasRunningMean != 0) runningMean[c] = w.Narrow((1 - momentum) * w.Widen(runningMean[c]) + momentum * mean);
                if (slots.HasRunningVar != 0) runningVar[c] = w.Narrow((1 - momentum) * w.Widen(runningVar[c]) + momentum * variance * count / (count - 1));
                double scale = (slots.HasWeight != 0 ? w.Widen(weight[c]) : 1) * invStd;
                constants[0] = w.Narrow(scale);
                constants[1] = w.Narrow((slots.HasBias != 0 ? w.Widen(bias[c]) : 0) - mean * scale);
            }
            Group.Barrier();
            T a = constants[0], b = constants[1];
            for (long e = t; e < count; e += step)
            {
                long at = At(e, c, channels, size);
                y[at] = x[at] * a + b;
            }
            Group.Barrier();
        }
    }

    /// <summary>One thread per element; each recomputes its channel's constants as the CPU's inference does (in float64, then rounded).</summary>
    public static void ForwardInference<T, TW>(ArrayView<T> x, ArrayView<T> weight, ArrayView<T> bias, ArrayView<T> mean, ArrayView<T> variance,
        ArrayView<T> y, int channels, int size, long total, BatchNormSlots slots, double eps, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        long gridStep = (long)Grid.DimX * Group.DimX;
        for (long e = Grid.GlobalIndex.X; e < total; e += gridStep)
        {
            int c = (int)(e / size % channels);
            double m = w.Widen(mean[c]);
            double invStd = 1.0 / Math.Sqrt(w.Widen(variance[c]) + eps);
            double scale = (slots.HasWeight != 0 ? w.Widen(weight[c]) : 1) * invStd;
            T a = w.Narrow(scale), b = w.Narrow((slots.HasBias != 0 ? w.Widen(bias[c]) : 0) - m * scale);
            y[e] = x[e] * a + b;
        }
    }

    public static void Backward<T, TW>(ArrayView<T> x, ArrayView<T> gy, ArrayView<T> weight, ArrayView<T> saveMean, ArrayView<T> saveInvStd,
        ArrayView<T> gx, ArrayView<T> gWeight, ArrayView<T> gBias, int batch, int channels, int size, BatchNormSlots slots, TW w)
        where T : unmanaged, IFloatingPointIeee754<T> where TW : struct, IWiden<T>
    {
        var shared = SharedMemory.Allocate<double>(ChannelGroup);
        var constants = SharedMemory.Allocate<T>(4);
        int t = Group.IdxX, step = Group.DimX;
        long count = (long)batch * size;
        for (int c = Grid.IdxX; c < channels; c += Grid.DimX)
        {
            double mean = w.Widen(saveMean[c]), invStd = w.Widen(saveInvStd[c]);
            double sumGy = 0, sumGyXmu = 0;
            for (long e = t; e < count; e += step)
            {
                long at = At(e, c, channels, size);
                double g = w.Widen(gy[at]);
                sumGy += g;
                sumGyXmu += g * (w.Widen(x[at]) - mean);
            }
            sumGy = SoftmaxKernels.GroupSum(shared, sumGy);
            sumGyXmu = SoftmaxKernels.GroupSum(shared, sumGyXmu);
            if (t == 0)
            {
                // BatchNormChannels.FinishBackward.
                if (slots.HasGradWeight != 0) gWeight[c] = w.Narrow(sumGyXmu * invStd);
                if (slots.HasGradBias != 0) gBias[c] = w.Narrow(sumGy);
                constants[0] = w.Narrow(sumGy / count);
                constants[1] = w.Narrow(mean);
                constants[2] = w.Narrow(invStd * invStd * sumGyXmu / count);
                constants[3] = w.Narrow((slots.HasWeight != 0 ? w.Widen(weight[c]) : 1) * invStd);
            }
            Group.Barrier();
            T meanGy = constants[0], mu = constants[1], c2 = constants[2], k = constants[3];
            for (long e = t; e < count; e += step)
            {
                long at = At(e, c, channels, size);
                T xmu = x[at] - mu;
                gx[at] = (gy[at] - meanGy - xmu * c2) * k;
            }
            Group.Barrier();
        }
    }

    /// <summary>Element e (in n-major order) of channel c: x[n, c, s] with n = e / S, s = e % S.</summary>
    private static long At(long e, int c, int channels, int size)
    {
        long n = e / size;
        return (n * channels + c) * size + (e - n * size);
    }
}
