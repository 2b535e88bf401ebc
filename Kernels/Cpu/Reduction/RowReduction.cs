using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Reductions where each output reduces one contiguous run of x (row sums, softmax-like maxima,
/// ArgMax over classes). Many outputs: rows run in parallel. Few long rows: the blocks of each row
/// run in parallel instead. Both give the same bits (see <see cref="ContiguousReduction"/>).
/// </summary>
internal static class RowReduction
{
    /// <summary>Rows this long or longer are worth splitting across threads when outputs are few.</summary>
    private const long SplitRowLength = 2 * StridedLoop.ParallelGrain;

    /// <summary>Sum, Mean, Max, Min, ArgMax, ArgMin over rows of <paramref name="rowLength"/> elements starting where <paramref name="rowStarts"/> points.</summary>
    public static void Run<T>(ReduceOp op, BufferView rowStarts, long rowLength, BufferView y) where T : unmanaged, INumber<T>
    {
        var loop = StridedLoop.Create(y, rowStarts);
        bool splitRows = SplitRows(y.Count, rowLength);
        bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
        var body = new NumberRows<T>(op, CpuViews.Array<T>(rowStarts), arg ? null : CpuViews.Array<T>(y), arg ? CpuViews.Array<int>(y) : null,
            loop.InnerStride(1), loop.InnerStride(0), rowLength, splitRows);
        loop.Run(body, Grain(rowLength, splitRows));
    }

    /// <summary>LogSumExp over rows: m + log Σ e^(x − m) with m the row maximum.</summary>
    public static void LogSumExp<T>(BufferView rowStarts, long rowLength, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var loop = StridedLoop.Create(y, rowStarts);
        bool splitRows = SplitRows(y.Count, rowLength);
        var body = new LogSumExpRows<T>(CpuViews.Array<T>(rowStarts), CpuViews.Array<T>(y), loop.InnerStride(1), loop.InnerStride(0), rowLength, splitRows);
        loop.Run(body, Grain(rowLength, splitRows));
    }

    private static bool SplitRows(long outputs, long rowLength) => outputs < CpuParallel.ThreadCount && rowLength >= SplitRowLength;

    private static long Grain(long rowLength, bool splitRows)
        => splitRows ? long.MaxValue : Math.Max(1, StridedLoop.ParallelGrain / rowLength);

    private readonly struct NumberRows<T>(ReduceOp op, T[] x, T[]? values, int[]? indices, long xStride, long yStride, long n, bool parallel) : IRunBody
        where T : unmanaged, INumber<T>
    {

        public void Run(ReadOnlySpan<long> offsets, long count)
        {
            for (long i = 0; i < count; i++)
            {
                long xAt = offsets[1] + i * xStride, yAt = offsets[0] + i * yStride;
                switch (op)
                {
                    case ReduceOp.Sum:
                        values![yAt] = ContiguousReduction.Reduce(default(SumReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel);
                        break;
                    case ReduceOp.Mean:
                        values![yAt] = ContiguousReduction.Reduce(default(SumReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel) / T.CreateTruncating(n);
                        break;
                    case ReduceOp.Max:
                        values![yAt] = ContiguousReduction.Reduce(default(MaxReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel);
                        break;
                    case ReduceOp.Min:
                        values![yAt] = ContiguousReduction.Reduce(default(MinReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel);
                        break;
                    case ReduceOp.ArgMax:
                        T max = ContiguousReduction.Reduce(default(MaxReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel);
                        indices![yAt] = (int)ContiguousReduction.IndexOf(x, xAt, n, max);
                        break;
                    case ReduceOp.ArgMin:
                        T min = ContiguousReduction.Reduce(default(MinReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel);
                        indices![yAt] = (int)ContiguousReduction.IndexOf(x, xAt, n, min);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(op), op, "not a row reduction of numbers");
                }
            }
        }
    }

    private readonly struct LogSumExpRows<T>(T[] x, T[] y, long xStride, long yStride, long n, bool parallel) : IRunBody
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(ReadOnlySpan<long> offsets, long count)
        {
            for (long i = 0; i < count; i++)
            {
                long xAt = offsets[1] + i * xStride, yAt = offsets[0] + i * yStride;
                T max = ContiguousReduction.Reduce(default(MaxReduction<T>), default(IdentityMap<T>), x, xAt, n, T.Zero, parallel);
                y[yAt] = LogSumExpFinish(max, T.IsFinite(max)
                    ? ContiguousReduction.Reduce(default(SumReduction<T>), default(ExpShiftMap<T>), x, xAt, n, max, parallel)
                    : T.One);
            }
        }
    }

    /// <summary>m + log s; a non-finite maximum is the answer itself (all −∞ gives −∞, any +∞ gives +∞, NaN stays).</summary>
    public static T LogSumExpFinish<T>(T max, T sumOfExp) where T : unmanaged, IFloatingPointIeee754<T>
        => T.IsFinite(max) ? max + T.Log(sumOfExp) : max;
}
