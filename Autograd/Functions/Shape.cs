namespace Scratch.Functions
{
    /// <summary>A view with another shape; the gradient is reshaped back.</summary>
    internal sealed class ReshapeFunction : Function
    {
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, NDArray y)
        {
            if (!ShouldRecord(x)) return new Tensor(y);
            return new ReshapeFunction { _shape = x.Data.ShapeArray() }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g.Reshape(_shape)];

        protected override void ReleaseSaved() { }
    }

    /// <summary>Dims reordered; the gradient is permuted back with the inverse order.</summary>
    internal sealed class PermuteFunction(int[] order) : Function
    {
        public static Tensor Apply(Tensor x, int[] order)
        {
            var y = x.Data.Permute(order);
            if (!ShouldRecord(x)) return new Tensor(y);
            var resolved = order.Select(a => Shapes.Axis("permute", a, x.Rank)).ToArray();
            return new PermuteFunction(resolved).Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var inverse = new int[order.Length];
            for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
            return [g.Permute(inverse)];
        }

        protected override void ReleaseSaved() { }
    }

    /// <summary>A broadcast view; the gradient is summed back to the input shape.</summary>
    internal sealed class ExpandFunction : Function
    {
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, int[] shape)
        {
            var y = x.Data.Expand(shape);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new ExpandFunction { _shape = x.Data.ShapeArray() }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g.SumTo(_shape)];

        protected override void ReleaseSaved() { }
    }

    /// <summary>A strided slice (or a single index) along one axis; the gradient is scattered into zeros.</summary>
    internal sealed class SliceFunction(Func<NDArray, NDArray> slice) : Function
    {
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, Func<NDArray, NDArray> slice)
        {
            var y = slice(x.Data);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new SliceFunction(slice) { _shape = x.Data.ShapeArray() }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var gx = NDArray.Zeros(_shape, g.DType, g.Device);
            slice(gx).CopyFrom(g);
            return [gx];
        }

        protected override void ReleaseSaved() { }
    }

    /// <summary>Arrays joined along an axis; the gradient is split into the pieces.</summary>
    internal sealed class ConcatFunction(int axis, int[] sizes) : Function
    {
        public static Tensor Apply(IReadOnlyList<Tensor> xs, int axis)
        {
            var y = NDArray.Concat(xs.Select(t => t.Data).ToArray(), axis);
            var all = xs.ToArray();
            if (!ShouldRecord(all)) return new Tensor(y);
            int a = Shapes.Axis("concat", axis, xs[0].Rank);
            return new ConcatFunction(a, xs.Select(t => t.Shape[a]).ToArray()).Record(y, all);
        }

        public override NDArray?[] Backward(NDArray g) => g.Split(sizes, axis);

        protected override void ReleaseSaved() { }
    }

    /// <summary>Constant padding; the gradient is the padded gradient cropped back (negative padding).</summary>
    internal sealed class PadFunction(int[] pads) : Function
    {
        public static Tensor Apply(Tensor x, int[] pads, double value)
        {
            var y = x.Data.Pad(pads, value);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new PadFunction(pads).Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g.Pad(pads.Select(p => -p).ToArray())];

        protected override void ReleaseSaved() { }
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>The same values with another shape (one dim may be −1); a view when possible.</summary>
        public Tensor Reshape(params int[] shape) => ReshapeFunction.Apply(this, Data.Reshape(shape));
        /// <summary>Dims <paramref name="startAxis"/> … <paramref name="endAxis"/> merged.</summary>
        public Tensor Flatten(int startAxis = 0, int endAxis = -1) => ReshapeFunction.Apply(this, Data.Flatten(startAxis, endAxis));
        /// <summary>Size-1 dims removed (all, or just <paramref name="axis"/>).</summary>
        public Tensor Squeeze(int? axis = null) => ReshapeFunction.Apply(this, Data.Squeeze(axis));
        /// <summary>A size-1 dim inserted at <paramref name="axis"/>.</summary>
        public Tensor Unsqueeze(int axis) => ReshapeFunction.Apply(this, Data.Unsqueeze(axis));
        /// <summary>Dims reordered.</summary>
        public Tensor Permute(params int[] order) => PermuteFunction.Apply(this, order);
        /// <summary>Two dims swapped (default: the last two).</summary>
        public Tensor Transpose(int axis0 = -2, int axis1 = -1)
        {
            if (Rank < 2) return this;
            int a = Shapes.Axis("transpose", axis0, Rank), b = Shapes.Axis("transpose", axis1, Rank);
            var order = Enumerable.Range(0, Rank).ToArray();
            (order[a], order[b]) = (order[b], order[a]);
            return Permute(order);
        }
        /// <summary>The matrix transpose.</summary>
        public Tensor T => Transpose();
        /// <summary>Broadcast to <paramref name="shape"/> without copying.</summary>
        public Tensor Expand(params int[] shape) => ExpandFunction.Apply(this, shape);
        /// <summary>Elements start, start + step, … below end along <paramref name="axis"/>.</summary>
        public Tensor Slice(int axis, int? start = null, int? end = null, int step = 1)
            => SliceFunction.Apply(this, x => x.Slice(axis, start, end, step));
        /// <summary>Elements start … start + length − 1 along <paramref name="axis"/>.</summary>
        public Tensor Narrow(int axis, int start, int length) => SliceFunction.Apply(this, x => x.Narrow(axis, start, length));
        /// <summary>One index along <paramref name="axis"/>, dropping that dim.</summary>
        public Tensor Select(int axis, int index) => SliceFunction.Apply(this, x => x.Select(axis, index));
        /// <summary>Row <paramref name="index"/> of the first dim.</summary>
        [System.Runtime.CompilerServices.IndexerName("Row")]
        public Tensor this[int index] => Select(0, index);
        /// <summary>Constant padding in <c>F.pad</c> order (pairs from the last dim).</summary>
        public Tensor Pad(int[] pads, double value = 0) => PadFunction.Apply(this, pads, value);
        /// <summary>Pieces of the given sizes along <paramref name="axis"/>.</summary>
        public Tensor[] Split(int[] sizes, int axis = 0)
        {
            int a = Shapes.Axis("split", axis, Rank);
            Data.Split(sizes, a); // validates
            var parts = new Tensor[sizes.Length];
            int at = 0;
            for (int i = 0; i < sizes.Length; i++) { parts[i] = Narrow(a, at, sizes[i]); at += sizes[i]; }
            return parts;
        }
        /// <summary>Pieces of <paramref name="size"/> along <paramref name="axis"/>.</summary>
        public Tensor[] Split(int size, int axis = 0)
            => Split(Data.Split(size, axis).Select(p => p.Size(axis)).ToArray(), axis);

        /// <summary>Joins tensors along an existing axis.</summary>
        public static Tensor Concat(IReadOnlyList<Tensor> tensors, int axis = 0) => ConcatFunction.Apply(tensors, axis);
        /// <summary>Joins equally shaped tensors along a new axis.</summary>
        public static Tensor Stack(IReadOnlyList<Tensor> tensors, int axis = 0)
        {
            if (tensors.Count == 0) throw new ArgumentException("stack: needs at least one tensor");
            foreach (var t in tensors)
                if (!t.Shape.SequenceEqual(tensors[0].Shape))
                    throw new ArgumentException($"stack: all tensors need the same shape, got {tensors[0].ShapeString} and {t.ShapeString}");
            int a = axis < 0 ? axis + tensors[0].Rank + 1 : axis;
            return Concat(tensors.Select(t => t.Unsqueeze(a)).ToArray(), a);
        }
    }
}
