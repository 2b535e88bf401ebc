using Scratch.Kernels;

namespace Scratch.Functions
{
    /// <summary>2-D convolution; backward runs the backend's data and weight gradient kernels, and sums g for the bias.</summary>
    internal sealed class Conv2dFunction(Conv2dParams p) : Function
    {
        private NDArray? _x, _w;

        public static Tensor Apply(Tensor x, Tensor w, Tensor? bias, Conv2dParams p)
        {
            var y = NDArray.Conv2d(x.Data, w.Data, bias?.Data, p);
            if (!ShouldRecord(x, w, bias)) return new Tensor(y);
            var fn = new Conv2dFunction(p) { _x = x.Data, _w = w.Data };
            return bias is null ? fn.Record(y, x, w) : fn.Record(y, x, w, bias);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var grads = new NDArray?[Inputs.Count];
            if (NeedsGrad(0)) grads[0] = NDArray.Conv2dBackwardData(g, _w!, _x!.ShapeArray(), p);
            if (NeedsGrad(1)) grads[1] = NDArray.Conv2dBackwardWeight(_x!, g, _w!.ShapeArray(), p);
            if (Inputs.Count > 2 && NeedsGrad(2)) grads[2] = g.Sum([0, 2, 3]);
            return grads;
        }

        protected override void ReleaseSaved() => (_x, _w) = (null, null);
    }

    /// <summary>Max pooling; the gradient goes to each window's argmax.</summary>
    internal sealed class MaxPool2dFunction(Pool2dParams p) : Function
    {
        private NDArray? _indices;
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, Pool2dParams p)
        {
            var (y, indices) = NDArray.MaxPool2d(x.Data, p);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new MaxPool2dFunction(p) { _indices = indices, _shape = x.Data.ShapeArray() }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [NDArray.MaxPool2dBackward(g, _indices!, _shape, p)];

        protected override void ReleaseSaved()
        {
            // The indices are this op's own array (nobody else holds it): free it now.
            _indices?.Dispose();
            _indices = null;
        }
    }

    /// <summary>Average pooling; the gradient is spread evenly over each window.</summary>
    internal sealed class AvgPool2dFunction(Pool2dParams p) : Function
    {
        private int[] _shape = [];

        public static Tensor Apply(Tensor x, Pool2dParams p)
        {
            var y = NDArray.AvgPool2d(x.Data, p);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new AvgPool2dFunction(p) { _shape = x.Data.ShapeArray() }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [NDArray.AvgPool2dBackward(g, _shape, p)];

        protected override void ReleaseSaved() { }
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>2-D convolution of x [N, C, H, W] with weight [O, C/groups, KH, KW] and optional bias [O].</summary>
        public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
            => Conv2dFunction.Apply(x, weight, bias, new Conv2dParams(stride, stride, padding, padding, dilation, dilation, groups));

        /// <summary>2-D convolution with full geometry.</summary>
        public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias, Conv2dParams geometry) => Conv2dFunction.Apply(x, weight, bias, geometry);

        /// <summary>Max pooling with a square window (stride defaults to the window).</summary>
        public Tensor MaxPool2d(int kernel, int? stride = null, int padding = 0)
            => MaxPool2dFunction.Apply(this, new Pool2dParams(kernel, kernel, stride ?? kernel, stride ?? kernel, padding, padding));

        /// <summary>Max pooling with full geometry.</summary>
        public Tensor MaxPool2d(Pool2dParams geometry) => MaxPool2dFunction.Apply(this, geometry);

        /// <summary>Average pooling with a square window (stride defaults to the window).</summary>
        public Tensor AvgPool2d(int kernel, int? stride = null, int padding = 0, bool countIncludePad = true)
            => AvgPool2dFunction.Apply(this, new Pool2dParams(kernel, kernel, stride ?? kernel, stride ?? kernel, padding, padding, countIncludePad));

        /// <summary>Average pooling with full geometry.</summary>
        public Tensor AvgPool2d(Pool2dParams geometry) => AvgPool2dFunction.Apply(this, geometry);
    }
}
