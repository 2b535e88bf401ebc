using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Softmax and log-softmax along the middle dim of contiguous [outer, n, inner] views, and their
/// backward. inner == 1 (the last dim, e.g. logits) runs row by row; otherwise blocks of up to
/// <see cref="ColumnBlock"/> adjacent columns run row-major with one accumulator per column.
/// Sums are accumulated in float64 in both cases.
/// Work units are (outer, column block) pairs, so every element is computed the same way whatever
/// the thread count.
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary>Columns handled together in the inner &gt; 1 case (scratch lives on the stack).</summary>
    private const int ColumnBlock = 256;

    /// <summary>Elements of work per parallel chunk.</summary>
    private const long Grain = 32 * 1024;

    public static void Forward(BufferView x, BufferView y, bool log)
    {
        BackendContract.Softmax(x, y, log);
        if (x.DType == DType.Float32) Forward<float>(x, y, log);
        else Forward<double>(x, y, log);
    }

    public static void Backward(BufferView y, BufferView gy, BufferView gx, bool log)
    {
        BackendContract.SoftmaxBackward(y, gy, gx, log);
        if (y.DType == DType.Float32) Backward<float>(y, gy, gx, log);
        else Backward<double>(y, gy, gx, log);
    }

    private static void Forward<T>(BufferView xv, BufferView yv, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outer = xv.Shape[0], n = xv.Shape[1], inner = xv.Shape[2];
        if (xv.Count == 0) return;
        T[] x = CpuViews.Array<T>(xv), y = CpuViews.Array<T>(yv);
        int xo = (int)xv.Offset, yo = (int)yv.Offset;

        if (inner == 1)
        {
            CpuParallel.For(outer, Math.Max(1, Grain / n), (start, end) =>
            {
                for (long o = start; o < end; o++)
                {
                    int at = (int)(o * n);
                    ForwardRow<T>(x.AsSpan(xo + at, n), y.AsSpan(yo + at, n), log);
                }
            });
            return;
        }

        int blocks = (inner + ColumnBlock - 1) / ColumnBlock;
        long unitWork = (long)n * Math.Min(inner, ColumnBlock);
        CpuParallel.For((long)outer * blocks, Math.Max(1, Grain / unitWork), (start, end) =>
        {
            Span<T> shift = stackalloc T[ColumnBlock];
            Span<T> factor = stackalloc T[ColumnBlock];
            Span<double> sum = stackalloc double[ColumnBlock];
            for (long u = start; u < end; u++)
            {
                int o = (int)(u / blocks), column = (int)(u % blocks) * ColumnBlock;
                int width = Math.Min(ColumnBlock, inner - column);
                int baseAt = o * n * inner + column;
                ForwardColumns(x, xo + baseAt, y, yo + baseAt, n, inner, width, shift[..width], factor[..width], sum[..width], log);
            }
        });
    }

    private static void ForwardRow<T>(ReadOnlySpan<T> x, Span<T> y, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = SoftmaxRowSimd.Max(x);
        // Log-softmax reads x again at the end, so it must not write y early (x and y may alias).
        double sum = SoftmaxRowSimd.ExpShiftSum(x, max, y, store: !log);
        if (log) SoftmaxRowSimd.SubtractTwice(x, max, T.CreateTruncating(Math.Log(sum)), y);
        else SoftmaxRowSimd.Scale(y, T.CreateTruncating(1.0 / sum));
    }

    private static void ForwardColumns<T>(T[] x, int xAt, T[] y, int yAt, int n, int inner, int width,
        Span<T> shift, Span<T> factor, Span<double> sum, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        x.AsSpan(xAt, width).CopyTo(shift);
        for (int j = 1; j < n; j++) SoftmaxColumnSimd.MaxInto<T>(shift, x.AsSpan(xAt + j * inner, width));
        sum.Clear();
        for (int j = 0; j < n; j++)
            SoftmaxColumnSimd.ExpShiftAccumulate<T>(x.AsSpan(xAt + j * inner, width), shift, y.AsSpan(yAt + j * inner, width), sum, store: !log);
        if (log)
        {
            for (int c = 0; c < width; c++) factor[c] = T.CreateTruncating(Math.Log(sum[c]));
            for (int j = 0; j < n; j++) SoftmaxColumnSimd.SubtractTwice<T>(x.AsSpan(xAt + j * inner, width), shift, factor, y.AsSpan(yAt + j * inner, width));
        }
        else
        {
            for (int c = 0; c < width; c++) factor[c] = T.CreateTruncating(1.0 / sum[c]);
            for (int j = 0; j < n; j++) SoftmaxColumnSimd.MultiplyBy<T>(y.AsSpan(yAt + j * inner, width), factor);
        }
    }

    private static void Backward<T>(BufferView yv, BufferView gyv, BufferView gxv, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outer = yv.Shape[0], n = yv.Shape[1], inner = yv.Shape[2];
        if (yv.Count == 0) return;
        T[] y = CpuViews.Array<T>(yv), gy = CpuViews.Array<T>(gyv), gx = CpuViews.Array<T>(gxv);
        int yo = (int)yv.Offset, go = (int)gyv.Offset, xo = (int)gxv.Offset;

        if (inner == 1)
        {
            CpuParallel.For(outer, Math.Max(1, Grain / n), (start, end) =>
            {
                for (long o = start; o < end; o++)
                {
                    int at = (int)(o * n);
                    BackwardRow<T>(y.AsSpan(yo + at, n), gy.AsSpan(go + at, n), gx.AsSpan(xo + at, n), log);
                }
            });
            return;
        }

        int blocks = (inner + ColumnBlock - 1) / ColumnBlock;
        long unitWork = (long)n * Math.Min(inner, ColumnBlock);
        CpuParallel.For((long)outer * blocks, Math.Max(1, Grain / unitWork), (start, end) =>
        {
            Span<double> acc = stackalloc double[ColumnBlock];
            Span<T> factor = stackalloc T[ColumnBlock];
            for (long u = start; u < end; u++)
            {
                int o = (int)(u / blocks), column = (int)(u % blocks) * ColumnBlock;
                int width = Math.Min(ColumnBlock, inner - column);
                int baseAt = o * n * inner + column;
                var a = acc[..width];
                a.Clear();
                for (int j = 0; j < n; j++)
                {
                    var gyRow = gy.AsSpan(go + baseAt + j * inner, width);
                    SoftmaxColumnSimd.Accumulate<T>(a, gyRow, log ? default : y.AsSpan(yo + baseAt + j * inner, width));
                }
                var f = factor[..width];
                for (int c = 0; c < width; c++) f[c] = T.CreateTruncating(a[c]);
                for (int j = 0; j < n; j++)
                {
                    int at = baseAt + j * inner;
                    if (log) SoftmaxColumnSimd.LogSoftmaxGrad<T>(y.AsSpan(yo + at, width), gy.AsSpan(go + at, width), f, gx.AsSpan(xo + at, width));
                    else SoftmaxColumnSimd.SoftmaxGrad<T>(y.AsSpan(yo + at, width), gy.AsSpan(go + at, width), f, gx.AsSpan(xo + at, width));
                }
            }
        });
    }

    private static void BackwardRow<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> gy, Span<T> gx, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (log)
        {
            T sum = T.CreateTruncating(SoftmaxRowSimd.Dot(gy, default));
            SoftmaxRowSimd.LogSoftmaxGrad(y, gy, sum, gx);
        }
        else
        {
            T dot = T.CreateTruncating(SoftmaxRowSimd.Dot(y, gy));
            SoftmaxRowSimd.SoftmaxGrad(y, gy, dot, gx);
        }
    }
}
