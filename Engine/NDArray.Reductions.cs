using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// Reduces over <paramref name="axes"/> (null = all) with <paramref name="op"/>; with
    /// <paramref name="keepDim"/> the reduced dims stay as size 1. ArgMax/ArgMin give Int32 indices
    /// flattened row-major over the reduced dims.
    /// </summary>
    public NDArray Reduce(ReduceOp op, int[]? axes = null, bool keepDim = false)
    {
        string name = op.ToString().ToLowerInvariant();
        if (op is ReduceOp.Mean or ReduceOp.LogSumExp) CheckFloating(name);
        int[] reduced = Shapes.Axes(name, axes, Rank);
        var kept = Enumerable.Range(0, Rank).Where(i => Array.IndexOf(reduced, i) < 0).ToArray();
        long reducedCount = reduced.Aggregate(1L, (n, i) => n * _shape[i]);
        if (reducedCount == 0 && op is ReduceOp.Max or ReduceOp.Min or ReduceOp.ArgMax or ReduceOp.ArgMin)
            throw new ArgumentException($"{name}: cannot reduce over an empty dim of {ShapeString}");

        // Kept axes first, reduced axes last: the kernel reduces the trailing dims.
        var order = kept.Concat(reduced).ToArray();
        var shape = order.Select(i => _shape[i]).ToArray();
        var strides = order.Select(i => _strides[i]).ToArray();
        var keptShape = kept.Select(i => _shape[i]).ToArray();
        var result = Empty(keptShape, op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : DType, Device);
        if (result.Count > 0)
            Backend.Reduce(op, new BufferView(Buffer, Offset, shape, strides), reduced.Length, result.KernelView);
        if (!keepDim) return result;
        var keptDimShape = (int[])_shape.Clone();
        foreach (int i in reduced) keptDimShape[i] = 1;
        return result.Reshape(keptDimShape);
    }

    /// <summary>Σ over <paramref name="axes"/> (null = all).</summary>
    public NDArray Sum(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Sum, axes, keepDim);
    /// <summary>Σ over one axis.</summary>
    public NDArray Sum(int axis, bool keepDim = false) => Reduce(ReduceOp.Sum, [axis], keepDim);
    /// <summary>Mean over <paramref name="axes"/> (null = all).</summary>
    public NDArray Mean(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Mean, axes, keepDim);
    /// <summary>Mean over one axis.</summary>
    public NDArray Mean(int axis, bool keepDim = false) => Reduce(ReduceOp.Mean, [axis], keepDim);
    /// <summary>Maximum over <paramref name="axes"/> (null = all).</summary>
    public NDArray Max(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Max, axes, keepDim);
    /// <summary>Maximum over one axis.</summary>
    public NDArray Max(int axis, bool keepDim = false) => Reduce(ReduceOp.Max, [axis], keepDim);
    /// <summary>Minimum over <paramref name="axes"/> (null = all).</summary>
    public NDArray Min(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.Min, axes, keepDim);
    /// <summary>Minimum over one axis.</summary>
    public NDArray Min(int axis, bool keepDim = false) => Reduce(ReduceOp.Min, [axis], keepDim);
    /// <summary>Index of the maximum along <paramref name="axis"/> (null = over the flattened array).</summary>
    public NDArray ArgMax(int? axis = null, bool keepDim = false) => Reduce(ReduceOp.ArgMax, axis is int a ? [a] : null, keepDim);
    /// <summary>Index of the minimum along <paramref name="axis"/> (null = over the flattened array).</summary>
    public NDArray ArgMin(int? axis = null, bool keepDim = false) => Reduce(ReduceOp.ArgMin, axis is int a ? [a] : null, keepDim);
    /// <summary>log Σ e^x over <paramref name="axes"/>, computed stably.</summary>
    public NDArray LogSumExp(int[]? axes = null, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, axes, keepDim);
    /// <summary>log Σ e^x over one axis.</summary>
    public NDArray LogSumExp(int axis, bool keepDim = false) => Reduce(ReduceOp.LogSumExp, [axis], keepDim);

    /// <summary>Variance over <paramref name="axes"/>, with Bessel's correction when <paramref name="unbiased"/>.</summary>
    public NDArray Var(int[]? axes = null, bool keepDim = false, bool unbiased = true)
    {
        int[] reduced = Shapes.Axes("var", axes, Rank);
        long n = reduced.Aggregate(1L, (c, i) => c * _shape[i]);
        var centred = this - Mean(reduced, keepDim: true);
        var sum = centred.Square().Sum(reduced, keepDim);
        return sum / Math.Max(0, n - (unbiased ? 1 : 0));
    }

    /// <summary>Standard deviation (√<see cref="Var"/>).</summary>
    public NDArray Std(int[]? axes = null, bool keepDim = false, bool unbiased = true) => Var(axes, keepDim, unbiased).Sqrt();

    /// <summary>
    /// Sums this array down to <paramref name="shape"/>, undoing a broadcast from that shape (the
    /// gradient of an expand). Returns this array when the shapes already match.
    /// </summary>
    public NDArray SumTo(IReadOnlyList<int> shape)
    {
        if (shape.Count == Rank && shape.SequenceEqual(_shape)) return this;
        if (shape.Count > Rank)
            throw new ArgumentException($"sum_to: cannot reduce {ShapeString} to the larger rank {Shapes.Format(shape)}");
        int lead = Rank - shape.Count;
        var axes = new List<int>();
        for (int i = 0; i < Rank; i++)
        {
            if (i < lead) { axes.Add(i); continue; }
            int want = shape[i - lead];
            if (want == _shape[i]) continue;
            if (want != 1) throw new ArgumentException($"sum_to: {ShapeString} was not broadcast from {Shapes.Format(shape)}");
            axes.Add(i);
        }
        var summed = Sum(axes.ToArray(), keepDim: true);
        return summed.Reshape(shape.ToArray());
    }
}
