using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Reduces the last reducedDims dims of x (any strides) into contiguous y, for every <see cref="ReduceOp"/>.
/// Picks one of three plans: each output reduces a contiguous run (<see cref="RowReduction"/>); the kept
/// innermost dim is contiguous so whole rows are combined (<see cref="ColumnReduction"/>); otherwise x is
/// first copied contiguous and the first plan applies.
/// </summary>
internal static class ReduceKernel
{
    /// <summary>Column plans need at least this many contiguous columns to beat a transposing copy.</summary>
    private const long MinColumns = 8;

    public static void Run(ReduceOp op, BufferView x, int reducedDims, BufferView y)
    {
        string name = $"reduce {op}";
        long reduced = BackendContract.Reduce(op, x, reducedDims, y);
        int kept = x.Rank - reducedDims;
        bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
        if (y.Count == 0) return;
        if (reduced == 0)
        {
            FillKernel.Run(y, BackendContract.EmptyReduction(op));
            return;
        }
        if (reduced == 1)
        {
            // One element per output: the reduction is the element itself (index 0 for Arg*).
            if (arg) FillKernel.Run(y, 0);
            else CopyKernel.Run(x.WithLayout(x.Shape[..kept], x.Strides[..kept], x.Offset), y);
            return;
        }

        var layout = ReductionLayout.Create(x, reducedDims);
        if (!layout.ReducesContiguousRuns && !ColumnsFit(layout))
        {
            // Neither plan fits (e.g. reduced dims interleaved with kept ones): reduce a contiguous copy.
            var copy = CpuBackend.Instance.Allocate(x.DType, x.Count);
            try
            {
                var contiguous = BufferView.Contiguous(copy, x.Shape);
                CopyKernel.Run(x, contiguous);
                Run(op, contiguous, reducedDims, y);
            }
            finally
            {
                copy.Release();
            }
            return;
        }

        switch (x.DType)
        {
            case DType.Float32: Reduce<float>(op, x, kept, layout, y); break;
            case DType.Float64: Reduce<double>(op, x, kept, layout, y); break;
            case DType.Int32: ReduceNumbers<int>(op, x, kept, layout, y); break;
            default: throw new ArgumentException($"{name}: unsupported dtype {x.DType}");
        }
    }

    private static bool ColumnsFit(ReductionLayout layout)
        => layout.KeptShape.Length > 0 && layout.KeptStrides[^1] == 1 && layout.KeptShape[^1] >= MinColumns;

    private static void Reduce<T>(ReduceOp op, BufferView x, int kept, ReductionLayout layout, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (op != ReduceOp.LogSumExp)
        {
            ReduceNumbers<T>(op, x, kept, layout, y);
            return;
        }
        if (layout.ReducesContiguousRuns)
        {
            RowReduction.LogSumExp<T>(RowStarts(x, kept), layout.ReducedCount, y);
            return;
        }
        var xs = CpuViews.Array<T>(x);
        var ys = CpuViews.Array<T>(y);
        var max = new T[y.Count];
        var sum = new T[y.Count];
        ColumnReduction.Reduce(default(MaxReduction<T>), default(IdentityMap<T>), layout, xs, null, max);
        ColumnReduction.Reduce(default(SumReduction<T>), default(ExpShiftMap<T>), layout, xs, max, sum);
        for (long i = 0; i < max.LongLength; i++) ys[y.Offset + i] = RowReduction.LogSumExpFinish(max[i], sum[i]);
    }

    private static void ReduceNumbers<T>(ReduceOp op, BufferView x, int kept, ReductionLayout layout, BufferView y) where T : unmanaged, INumber<T>
    {
        if (layout.ReducesContiguousRuns)
        {
            RowReduction.Run<T>(op, RowStarts(x, kept), layout.ReducedCount, y);
            return;
        }
        var xs = CpuViews.Array<T>(x);
        if (op is ReduceOp.ArgMax or ReduceOp.ArgMin)
        {
            var indices = y.Offset == 0 ? CpuViews.Array<int>(y) : new int[y.Count];
            ColumnReduction.ArgReduce(op == ReduceOp.ArgMax, layout, xs, indices);
            if (y.Offset != 0) Array.Copy(indices, 0, CpuViews.Array<int>(y), y.Offset, indices.Length);
            return;
        }
        var values = y.Offset == 0 ? CpuViews.Array<T>(y) : new T[y.Count];
        switch (op)
        {
            case ReduceOp.Sum: ColumnReduction.Reduce(default(SumReduction<T>), default(IdentityMap<T>), layout, xs, null, values); break;
            case ReduceOp.Mean:
                ColumnReduction.Reduce(default(SumReduction<T>), default(IdentityMap<T>), layout, xs, null, values);
                T count = T.CreateTruncating(layout.ReducedCount);
                for (long i = 0; i < y.Count; i++) values[i] /= count;
                break;
            case ReduceOp.Max: ColumnReduction.Reduce(default(MaxReduction<T>), default(IdentityMap<T>), layout, xs, null, values); break;
            case ReduceOp.Min: ColumnReduction.Reduce(default(MinReduction<T>), default(IdentityMap<T>), layout, xs, null, values); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown reduce op");
        }
        if (y.Offset != 0) Array.Copy(values, 0, CpuViews.Array<T>(y), y.Offset, y.Count);
    }

    /// <summary>x with only its kept dims: each element is the start of one output's run.</summary>
    private static BufferView RowStarts(BufferView x, int kept) => x.WithLayout(x.Shape[..kept], x.Strides[..kept], x.Offset);
}
