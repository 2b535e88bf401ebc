using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Batch norm training and backward for S == 1, i.e. x [N, C] (after a linear layer): a channel's
/// values are a strided column, so a work unit takes a block of adjacent channels and streams the
/// rows n = 0..N−1 through SIMD loops with one float64 accumulator per channel. Each channel is
/// accumulated in row order inside one unit, whatever the thread count.
/// </summary>
internal static class BatchNormRows
{
    /// <summary>Channels per work unit (scratch lives on the stack).</summary>
    private const int ChannelBlock = 64;

    /// <summary>Elements of work per parallel chunk.</summary>
    private const long Grain = 32 * 1024;

    public static void ForwardTraining<T>(BufferView xv, BufferView yv, BatchNormChannels<T> channel, double momentum, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = xv.Shape[0], channels = xv.Shape[1];
        T[] x = CpuViews.Array<T>(xv), y = CpuViews.Array<T>(yv);
        int xo = (int)xv.Offset, yo = (int)yv.Offset;
        int blocks = (channels + ChannelBlock - 1) / ChannelBlock;
        CpuParallel.For(blocks, Math.Max(1, Grain / ((long)batch * ChannelBlock)), (start, end) =>
        {
            Span<double> sum = stackalloc double[ChannelBlock];
            Span<double> mean = stackalloc double[ChannelBlock];
            Span<T> scale = stackalloc T[ChannelBlock];
            Span<T> shift = stackalloc T[ChannelBlock];
            for (long block = start; block < end; block++)
            {
                int first = (int)block * ChannelBlock, width = Math.Min(ChannelBlock, channels - first);
                var s = sum[..width];
                var m = mean[..width];
                s.Clear();
                for (int n = 0; n < batch; n++) BatchNormRowSimd.Accumulate<T>(s, x.AsSpan(xo + n * channels + first, width));
                for (int c = 0; c < width; c++) m[c] = s[c] / batch;
                s.Clear();
                for (int n = 0; n < batch; n++) BatchNormRowSimd.AccumulateSquaredDeviations<T>(s, x.AsSpan(xo + n * channels + first, width), m);
                for (int c = 0; c < width; c++)
                    (scale[c], shift[c]) = channel.FinishTraining(first + c, m[c], s[c] / batch, batch, momentum, eps);
                for (int n = 0; n < batch; n++)
                {
                    int at = n * channels + first;
                    BatchNormRowSimd.Affine<T>(x.AsSpan(xo + at, width), scale[..width], shift[..width], y.AsSpan(yo + at, width));
                }
            }
        });
    }

    public static void Backward<T>(BufferView xv, BufferView gyv, BufferView gxv, BatchNormChannels<T> channel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = xv.Shape[0], channels = xv.Shape[1];
        T[] x = CpuViews.Array<T>(xv), gy = CpuViews.Array<T>(gyv), gx = CpuViews.Array<T>(gxv);
        int xo = (int)xv.Offset, go = (int)gyv.Offset, gxo = (int)gxv.Offset;
        int blocks = (channels + ChannelBlock - 1) / ChannelBlock;
        CpuParallel.For(blocks, Math.Max(1, Grain / ((long)Math.Max(1, batch) * ChannelBlock)), (start, end) =>
        {
            Span<double> sumGy = stackalloc double[ChannelBlock];
            Span<double> sumGyXmu = stackalloc double[ChannelBlock];
            Span<double> mean = stackalloc double[ChannelBlock];
            Span<T> meanGy = stackalloc T[ChannelBlock];
            Span<T> mu = stackalloc T[ChannelBlock];
            Span<T> c2 = stackalloc T[ChannelBlock];
            Span<T> k = stackalloc T[ChannelBlock];
            for (long block = start; block < end; block++)
            {
                int first = (int)block * ChannelBlock, width = Math.Min(ChannelBlock, channels - first);
                var a = sumGy[..width];
                var b = sumGyXmu[..width];
                var m = mean[..width];
                a.Clear();
                b.Clear();
                for (int c = 0; c < width; c++) m[c] = channel.Mean(first + c);
                for (int n = 0; n < batch; n++)
                {
                    int at = n * channels + first;
                    BatchNormRowSimd.AccumulateGradient<T>(a, b, gy.AsSpan(go + at, width), x.AsSpan(xo + at, width), m);
                }
                for (int c = 0; c < width; c++)
                    (meanGy[c], mu[c], c2[c], k[c]) = channel.FinishBackward(first + c, a[c], b[c], batch);
                for (int n = 0; n < batch; n++)
                {
                    int at = n * channels + first;
                    BatchNormRowSimd.InputGradient<T>(gy.AsSpan(go + at, width), x.AsSpan(xo + at, width),
                        meanGy[..width], mu[..width], c2[..width], k[..width], gx.AsSpan(gxo + at, width));
                }
            }
        });
    }
}
