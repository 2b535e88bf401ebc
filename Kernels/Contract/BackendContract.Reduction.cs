namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary>
    /// <see cref="IBackend.Reduce"/>: 0 ≤ reducedDims ≤ rank; y contiguous with x's kept shape, int32 for
    /// ArgMax/ArgMin and x's dtype otherwise; Mean and LogSumExp floating only; both inside their buffers;
    /// Max, Min, ArgMax and ArgMin of no elements are undefined. Returns the number of reduced elements per output.
    /// </summary>
    public static long Reduce(ReduceOp op, BufferView x, int reducedDims, BufferView y)
    {
        string name = $"reduce {op}";
        if (reducedDims < 0 || reducedDims > x.Rank)
            throw new ArgumentException($"{name}: cannot reduce the last {reducedDims} dims of x {ViewChecks.Format(x.Shape)} (rank {x.Rank})");
        int kept = x.Rank - reducedDims;
        bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
        ViewChecks.HasDType(name, y, "y", arg ? DType.Int32 : x.DType);
        if (!y.Shape.AsSpan().SequenceEqual(x.Shape.AsSpan(0, kept)))
            throw new ArgumentException($"{name}: y has shape {ViewChecks.Format(y.Shape)} but x {ViewChecks.Format(x.Shape)} reduced over its last {reducedDims} dims gives {ViewChecks.Format(x.Shape[..kept])}");
        if (!y.IsContiguous)
            throw new ArgumentException($"{name}: y must be contiguous, got {y}");
        if (op is ReduceOp.Mean or ReduceOp.LogSumExp && !x.DType.IsFloatingPoint())
            throw new ArgumentException($"{name}: needs a floating dtype, x is {x.DType.Name()}");
        ViewChecks.InBounds(name, x, "x");
        ViewChecks.InBounds(name, y, "y");
        long reduced = BufferView.ElementCount(x.Shape[kept..]);
        if (y.Count > 0 && reduced == 0 && op is not (ReduceOp.Sum or ReduceOp.Mean or ReduceOp.LogSumExp))
            throw new ArgumentException($"reduce {op}: x {ViewChecks.Format(x.Shape)} has no elements in its last {reducedDims} dims, and {op} of nothing is undefined");
        return reduced;
    }

    /// <summary>What a reduction of no elements gives (Sum 0, Mean NaN, LogSumExp −∞); the others are rejected by <see cref="Reduce"/>.</summary>
    public static double EmptyReduction(ReduceOp op) => op switch
    {
        ReduceOp.Sum => 0,
        ReduceOp.Mean => double.NaN,
        _ => double.NegativeInfinity,
    };
}
