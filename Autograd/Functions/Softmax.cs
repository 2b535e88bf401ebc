namespace Scratch.Functions
{
    /// <summary>Softmax or log-softmax along an axis; backward uses the saved output.</summary>
    internal sealed class SoftmaxFunction(int axis, bool log) : Function
    {
        private NDArray? _y;

        public override string Name => log ? "LogSoftmax" : "Softmax";

        public static Tensor Apply(Tensor x, int axis, bool log)
        {
            var y = log ? x.Data.LogSoftmax(axis) : x.Data.Softmax(axis);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new SoftmaxFunction(axis, log) { _y = y }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [NDArray.SoftmaxBackward(_y!, g, axis, log)];

        protected override void ReleaseSaved() => _y = null;
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>Softmax along <paramref name="axis"/>.</summary>
        public Tensor Softmax(int axis = -1) => SoftmaxFunction.Apply(this, axis, log: false);

        /// <summary>Log-softmax along <paramref name="axis"/> (stable).</summary>
        public Tensor LogSoftmax(int axis = -1) => SoftmaxFunction.Apply(this, axis, log: true);
    }
}
