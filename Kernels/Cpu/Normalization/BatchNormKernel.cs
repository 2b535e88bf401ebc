using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Batch normalisation over contiguous x [N, C, S]: channel c is the N segments
/// x[n, c, 0..S). Training and backward run one channel per work unit (statistics in float64),
/// or for S == 1 one block of channels per unit (<see cref="BatchNormRows"/>); inference runs one
/// (n, c) segment, or one row for S == 1, per unit.
/// </summary>
internal static class BatchNormKernel
{
    /// <summary>Elements of work per parallel chunk.</summary>
    private const long Grain = 32 * 1024;

    public static void ForwardTraining(BufferView x, BufferView? weight, BufferView? bias, BufferView y,
        BufferView saveMean, BufferView saveInvStd, BufferView? runningMean, BufferView? runningVar, double momentum, double eps)
    {
        BackendContract.BatchNormForwardTraining(x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, eps);
        if (x.DType == DType.Float32) ForwardTraining<float>(x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, momentum, eps);
        else ForwardTraining<double>(x, weight, bias, y, saveMean, saveInvStd, runningMean, runningVar, momentum, eps);
    }

    public static void ForwardInference(BufferView x, BufferView? weight, BufferView? bias, BufferView mean, BufferView variance, BufferView y, double eps)
    {
        BackendContract.BatchNormForwardInference(x, weight, bias, mean, variance, y, eps);
        if (x.DType == DType.Float32) ForwardInference<float>(x, weight, bias, mean, variance, y, eps);
        else ForwardInference<double>(x, weight, bias, mean, variance, y, eps);
    }

    public static void Backward(BufferView x, BufferView gy, BufferView? weight, BufferView saveMean, BufferView saveInvStd,
        BufferView gx, BufferView? gWeight, BufferView? gBias)
    {
        BackendContract.BatchNormBackward(x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);
        if (x.DType == DType.Float32) Backward<float>(x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);
        else Backward<double>(x, gy, weight, saveMean, saveInvStd, gx, gWeight, gBias);
    }

    private static void ForwardTraining<T>(BufferView xv, BufferView? weightView, BufferView? biasView, BufferView yv,
        BufferView saveMeanView, BufferView saveInvStdView, BufferView? runningMeanView, BufferView? runningVarView, double momentum, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = xv.Shape[0], channels = xv.Shape[1], size = xv.Shape[2];
        long count = (long)batch * size;
        var channel = new BatchNormChannels<T>(weightView, biasView, saveMeanView, saveInvStdView, runningMeanView, runningVarView);
        if (size == 1)
        {
            BatchNormRows.ForwardTraining(xv, yv, channel, momentum, eps);
            return;
        }

        T[] x = CpuViews.Array<T>(xv), y = CpuViews.Array<T>(yv);
        int xo = (int)xv.Offset, yo = (int)yv.Offset;
        CpuParallel.For(channels, Math.Max(1, Grain / Math.Max(1, count)), (start, end) =>
        {
            for (int c = (int)start; c < end; c++)
            {
                // Two passes (mean, then squared deviations) in float64: no cancellation as in E[x²] − E[x]².
                double sum = 0;
                for (int n = 0; n < batch; n++) sum += BatchNormSimd.Sum<T>(x.AsSpan(xo + (n * channels + c) * size, size));
                double mean = sum / count;
                double squares = 0;
                for (int n = 0; n < batch; n++)
                    squares += BatchNormSimd.SumSquaredDeviations<T>(x.AsSpan(xo + (n * channels + c) * size, size), mean);

                var (scale, shift) = channel.FinishTraining(c, mean, squares / count, count, momentum, eps);
                for (int n = 0; n < batch; n++)
                {
                    int at = (n * channels + c) * size;
                    BatchNormSimd.Affine<T>(x.AsSpan(xo + at, size), scale, shift, y.AsSpan(yo + at, size));
                }
            }
        });
    }

    private static void ForwardInference<T>(BufferView xv, BufferView? weightView, BufferView? biasView,
        BufferView meanView, BufferView varianceView, BufferView yv, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = xv.Shape[0], channels = xv.Shape[1], size = xv.Shape[2];
        var channel = new BatchNormChannels<T>(weightView, biasView);
        var mean = CpuViews.Span<T>(meanView);
        var variance = CpuViews.Span<T>(varianceView);

        // Fold everything per channel into y = x·scale + shift, computed once in float64.
        var scale = new T[channels];
        var shift = new T[channels];
        for (int c = 0; c < channels; c++)
        {
            double m = double.CreateTruncating(mean[c]);
            (scale[c], shift[c]) = channel.Affine(c, m, 1.0 / Math.Sqrt(double.CreateTruncating(variance[c]) + eps));
        }

        T[] x = CpuViews.Array<T>(xv), y = CpuViews.Array<T>(yv);
        int xo = (int)xv.Offset, yo = (int)yv.Offset;
        if (size == 1)
        {
            // x is [N, C]: each row takes the per-channel constants as vectors.
            CpuParallel.For(batch, Math.Max(1, Grain / Math.Max(1, channels)), (start, end) =>
            {
                for (long n = start; n < end; n++)
                {
                    int at = (int)n * channels;
                    BatchNormRowSimd.Affine<T>(x.AsSpan(xo + at, channels), scale, shift, y.AsSpan(yo + at, channels));
                }
            });
            return;
        }
        CpuParallel.For((long)batch * channels, Math.Max(1, Grain / size), (start, end) =>
        {
            for (long segment = start; segment < end; segment++)
            {
                int c = (int)(segment % channels), at = (int)segment * size;
                BatchNormSimd.Affine<T>(x.AsSpan(xo + at, size), scale[c], shift[c], y.AsSpan(yo + at, size));
            }
        });
    }

    private static void Backward<T>(BufferView xv, BufferView gyv, BufferView? weightView, BufferView saveMeanView, BufferView saveInvStdView,
        BufferView gxv, BufferView? gWeightView, BufferView? gBiasView)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = xv.Shape[0], channels = xv.Shape[1], size = xv.Shape[2];
        long count = (long)batch * size;
        var channel = new BatchNormChannels<T>(weightView, mean: saveMeanView, invStd: saveInvStdView, gWeight: gWeightView, gBias: gBiasView);
        if (size == 1)
        {
            BatchNormRows.Backward(xv, gyv, gxv, channel);
            return;
        }

        T[] x = CpuViews.Array<T>(xv), gy = CpuViews.Array<T>(gyv), gx = CpuViews.Array<T>(gxv);
        int xo = (int)xv.Offset, go = (int)gyv.Offset, gxo = (int)gxv.Offset;
        CpuParallel.For(channels, Math.Max(1, Grain / Math.Max(1, count)), (start, end) =>
        {
            for (int c = (int)start; c < end; c++)
            {
                double mean = channel.Mean(c);
                double sumGy = 0, sumGyXmu = 0;
                for (int n = 0; n < batch; n++)
                {
                    int at = (n * channels + c) * size;
                    var (g, d) = BatchNormSimd.GradientSums<T>(gy.AsSpan(go + at, size), x.AsSpan(xo + at, size), mean);
                    sumGy += g;
                    sumGyXmu += d;
                }
                var (meanGy, mu, c2, k) = channel.FinishBackward(c, sumGy, sumGyXmu, count);
                for (int n = 0; n < batch; n++)
                {
                    int at = (n * channels + c) * size;
                    BatchNormSimd.InputGradient<T>(gy.AsSpan(go + at, size), x.AsSpan(xo + at, size), meanGy, mu, c2, k, gx.AsSpan(gxo + at, size));
                }
            }
        });
    }
}
