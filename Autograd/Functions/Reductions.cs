using Scratch.Kernels;

namespace Scratch.Functions
{
    /// <summary>Σ or mean over axes; the gradient is broadcast back (divided by n for the mean).</summary>
    internal sealed class SumFunction(int[] axes, bool mean) : Function
    {
        private int[] _shape = [];

        public override string Name => mean ? "Mean" : "Sum";

        public static Tensor Apply(Tensor x, int[]? axes, bool keepDim, bool mean)
        {
            var resolved = Shapes.Axes(mean ? "mean" : "sum", axes, x.Rank);
            var y = x.Data.Reduce(mean ? ReduceOp.Mean : ReduceOp.Sum, resolved, keepDim);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new SumFunction(resolved, mean) { _shape = x.Data.ShapeArray() }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var expanded = g.Reshape(KeptShape(_shape, axes)).Expand(_shape);
            if (!mean) return [expanded];
            long n = axes.Aggregate(1L, (c, i) => c * _shape[i]);
            return [expanded / n];
        }

        protected override void ReleaseSaved() { }

        /// <summary>The input shape without the reduced axes.</summary>
        public static int[] DroppedShape(int[] shape, int[] axes) => shape.Where((_, i) => Array.IndexOf(axes, i) < 0).ToArray();

        /// <summary>The input shape with the reduced axes set to 1.</summary>
        public static int[] KeptShape(int[] shape, int[] axes)
        {
            var kept = (int[])shape.Clone();
            foreach (int a in axes) kept[a] = 1;
            return kept;
        }
    }

    /// <summary>max or min over axes; the gradient goes to the extreme elements, split evenly between ties.</summary>
    internal sealed class ExtremumReduceFunction(int[] axes, bool maximum) : Function
    {
        private NDArray? _x, _y;

        public override string Name => maximum ? "Max" : "Min";

        public static Tensor Apply(Tensor x, int[]? axes, bool keepDim, bool maximum)
        {
            var op = maximum ? ReduceOp.Max : ReduceOp.Min;
            var resolved = Shapes.Axes(op.ToString().ToLowerInvariant(), axes, x.Rank);
            var y = x.Data.Reduce(op, resolved, keepDim: true);
            var result = keepDim ? y : y.Reshape(SumFunction.DroppedShape(x.Data.ShapeArray(), resolved));
            if (!ShouldRecord(x)) return new Tensor(result);
            return new ExtremumReduceFunction(resolved, maximum) { _x = x.Data, _y = y }.Record(result, x);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var hits = _x!.Eq(_y!);
            var share = hits / hits.Sum(axes, keepDim: true);
            return [g.Reshape(_y!.ShapeArray()) * share];
        }

        protected override void ReleaseSaved() => (_x, _y) = (null, null);
    }

    /// <summary>log Σ e^x over axes; gradient g·softmax(x) = g·e^(x − y).</summary>
    internal sealed class LogSumExpFunction : Function
    {
        private NDArray? _x, _y;

        public static Tensor Apply(Tensor x, int[]? axes, bool keepDim)
        {
            var resolved = Shapes.Axes("logsumexp", axes, x.Rank);
            var y = x.Data.LogSumExp(resolved, keepDim: true);
            var result = keepDim ? y : y.Reshape(SumFunction.DroppedShape(x.Data.ShapeArray(), resolved));
            if (!ShouldRecord(x)) return new Tensor(result);
            return new LogSumExpFunction { _x = x.Data, _y = y }.Record(result, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g.Reshape(_y!.ShapeArray()) * (_x! - _y!).Exp()];

        protected override void ReleaseSaved() => (_x, _y) = (null, null);
    }

    /// <summary>
    /// √v for a variance v: the standard deviation's last step. Its gradient g / (2√v) is masked to 0 where
    /// √v = 0, as PyTorch's std backward: a constant slice has no direction to move in, and plain sqrt's ∞ there
    /// (times the variance's 0) would give NaN.
    /// </summary>
    internal sealed class StdFromVarianceFunction : Function
    {
        private NDArray? _y;

        public override string Name => "Std";

        public static Tensor Apply(Tensor variance)
        {
            var y = variance.Data.Sqrt();
            if (!ShouldRecord(variance)) return new Tensor(y);
            return new StdFromVarianceFunction { _y = y }.Record(y, variance);
        }

        public override NDArray?[] Backward(NDArray g)
            => [NDArray.Where(_y!.Eq(0), NDArray.Scalar(0, g.DType, g.Device), g / (_y! * 2))];

        protected override void ReleaseSaved() => _y = null;
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>Σ over <paramref name="axes"/> (null = all).</summary>
        public Tensor Sum(int[]? axes = null, bool keepDim = false) => SumFunction.Apply(this, axes, keepDim, mean: false);
        /// <summary>Σ over one axis.</summary>
        public Tensor Sum(int axis, bool keepDim = false) => Sum([axis], keepDim);
        /// <summary>Mean over <paramref name="axes"/> (null = all).</summary>
        public Tensor Mean(int[]? axes = null, bool keepDim = false) => SumFunction.Apply(this, axes, keepDim, mean: true);
        /// <summary>Mean over one axis.</summary>
        public Tensor Mean(int axis, bool keepDim = false) => Mean([axis], keepDim);
        /// <summary>Maximum over <paramref name="axes"/> (null = all).</summary>
        public Tensor Max(int[]? axes = null, bool keepDim = false) => ExtremumReduceFunction.Apply(this, axes, keepDim, maximum: true);
        /// <summary>Maximum over one axis.</summary>
        public Tensor Max(int axis, bool keepDim = false) => Max([axis], keepDim);
        /// <summary>Minimum over <paramref name="axes"/> (null = all).</summary>
        public Tensor Min(int[]? axes = null, bool keepDim = false) => ExtremumReduceFunction.Apply(this, axes, keepDim, maximum: false);
        /// <summary>Minimum over one axis.</summary>
        public Tensor Min(int axis, bool keepDim = false) => Min([axis], keepDim);
        /// <summary>log Σ e^x over <paramref name="axes"/>.</summary>
        public Tensor LogSumExp(int[]? axes = null, bool keepDim = false) => LogSumExpFunction.Apply(this, axes, keepDim);
        /// <summary>log Σ e^x over one axis.</summary>
        public Tensor LogSumExp(int axis, bool keepDim = false) => LogSumExp([axis], keepDim);
        /// <summary>Index of the maximum along <paramref name="axis"/> (Int32, not differentiable).</summary>
        public Tensor ArgMax(int? axis = null, bool keepDim = false) => new(Data.ArgMax(axis, keepDim));
        /// <summary>Index of the minimum along <paramref name="axis"/> (Int32, not differentiable).</summary>
        public Tensor ArgMin(int? axis = null, bool keepDim = false) => new(Data.ArgMin(axis, keepDim));

        /// <summary>Variance (Bessel-corrected when <paramref name="unbiased"/>), differentiable.</summary>
        public Tensor Var(int[]? axes = null, bool keepDim = false, bool unbiased = true)
        {
            var resolved = Shapes.Axes("var", axes, Rank);
            long n = resolved.Aggregate(1L, (c, i) => c * Shape[i]);
            var centred = this - Mean(resolved, keepDim: true);
            return centred.Square().Sum(resolved, keepDim) / Math.Max(0, n - (unbiased ? 1 : 0));
        }

        /// <summary>Standard deviation, differentiable; over a constant slice its gradient is 0, as PyTorch's.</summary>
        public Tensor Std(int[]? axes = null, bool keepDim = false, bool unbiased = true) => StdFromVarianceFunction.Apply(Var(axes, keepDim, unbiased));
    }
}
