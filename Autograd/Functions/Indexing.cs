namespace Scratch.Functions
{
    /// <summary>Gather along an axis; the gradient is scatter-added back.</summary>
    internal sealed class GatherFunction(int axis) : Function
    {
        private NDArray? _index;
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, int axis, Tensor index)
        {
            var y = x.Data.Gather(axis, index.Data);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new GatherFunction(axis) { _index = index.Data, _shape = x.Data.ShapeArray() }.Record(y, x, index);
        }

        public override NDArray?[] Backward(NDArray g) => [NDArray.Zeros(_shape, g.DType, g.Device).ScatterAdd(axis, _index!, g), null];

        protected override void ReleaseSaved() => _index = null;
    }

    /// <summary>self with src scatter-added; ∂self = g, ∂src = g gathered.</summary>
    internal sealed class ScatterAddFunction(int axis) : Function
    {
        private NDArray? _index;

        public static Tensor Apply(Tensor self, int axis, Tensor index, Tensor source)
        {
            var y = self.Data.ScatterAdd(axis, index.Data, source.Data);
            if (!ShouldRecord(self, source)) return new Tensor(y);
            return new ScatterAddFunction(axis) { _index = index.Data }.Record(y, self, index, source);
        }

        public override NDArray?[] Backward(NDArray g) => [g, null, NeedsGrad(2) ? g.Gather(axis, _index!) : null];

        protected override void ReleaseSaved() => _index = null;
    }

    /// <summary>Rows selected along an axis; the gradient is index-added back.</summary>
    internal sealed class IndexSelectFunction(int axis) : Function
    {
        private NDArray? _index;
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, int axis, Tensor index)
        {
            var y = x.Data.IndexSelect(axis, index.Data);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new IndexSelectFunction(axis) { _index = index.Data, _shape = x.Data.ShapeArray() }.Record(y, x, index);
        }

        public override NDArray?[] Backward(NDArray g) => [NDArray.Zeros(_shape, g.DType, g.Device).IndexAdd(axis, _index!, g), null];

        protected override void ReleaseSaved() => _index = null;
    }

    /// <summary>self with src added at rows; ∂self = g, ∂src = g's rows.</summary>
    internal sealed class IndexAddFunction(int axis) : Function
    {
        private NDArray? _index;

        public static Tensor Apply(Tensor self, int axis, Tensor index, Tensor source)
        {
            var y = self.Data.IndexAdd(axis, index.Data, source.Data);
            if (!ShouldRecord(self, source)) return new Tensor(y);
            return new IndexAddFunction(axis) { _index = index.Data }.Record(y, self, index, source);
        }

        public override NDArray?[] Backward(NDArray g) => [g, null, NeedsGrad(2) ? g.IndexSelect(axis, _index!) : null];

        protected override void ReleaseSaved() => _index = null;
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>Values at Int32 <paramref name="index"/> along <paramref name="axis"/>.</summary>
        public Tensor Gather(int axis, Tensor index) => GatherFunction.Apply(this, axis, index);
        /// <summary>A copy with <paramref name="source"/> added at <paramref name="index"/> along <paramref name="axis"/>.</summary>
        public Tensor ScatterAdd(int axis, Tensor index, Tensor source) => ScatterAddFunction.Apply(this, axis, index, source);
        /// <summary>Entries <paramref name="index"/> (1-D Int32) along <paramref name="axis"/>.</summary>
        public Tensor IndexSelect(int axis, Tensor index) => IndexSelectFunction.Apply(this, axis, index);
        /// <summary>A copy with <paramref name="source"/> added at entries <paramref name="index"/> along <paramref name="axis"/>.</summary>
        public Tensor IndexAdd(int axis, Tensor index, Tensor source) => IndexAddFunction.Apply(this, axis, index, source);
        /// <summary>One-hot encoding of Int32 labels (not differentiable).</summary>
        public static Tensor OneHot(Tensor labels, int classes, DType dtype = DType.Float32) => new(NDArray.OneHot(labels.Data, classes, dtype));
    }
}
