namespace Scratch.Functions
{
    /// <summary>Batch norm with batch statistics (training); backward is the backend's fused kernel.</summary>
    internal sealed class BatchNormFunction : Function
    {
        private NDArray? _x, _weight, _mean, _invStd;

        public static Tensor Apply(Tensor x, Tensor? weight, Tensor? bias, NDArray? runningMean, NDArray? runningVar, double momentum, double eps)
        {
            var (y, mean, invStd) = NDArray.BatchNormTraining(x.Data, weight?.Data, bias?.Data, runningMean, runningVar, momentum, eps);
            if (!ShouldRecord(x, weight, bias)) return new Tensor(y);
            if ((weight is null) != (bias is null))
                throw new ArgumentException("batch_norm: pass both weight and bias or neither");
            var fn = new BatchNormFunction { _x = x.Data, _weight = weight?.Data, _mean = mean, _invStd = invStd };
            return weight is null ? fn.Record(y, x) : fn.Record(y, x, weight, bias!);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            bool affine = Inputs.Count == 3;
            var (gx, gw, gb) = NDArray.BatchNormBackward(_x!, g, _weight, _mean!, _invStd!, affine && (NeedsGrad(1) || NeedsGrad(2)));
            return affine ? [gx, gw, gb] : [gx];
        }

        protected override void ReleaseSaved()
        {
            // The batch statistics were made by this op; x and the weight belong to their tensors.
            _mean?.Dispose();
            _invStd?.Dispose();
            (_x, _weight, _mean, _invStd) = (null, null, null, null);
        }
    }

    /// <summary>Batch norm with fixed statistics (evaluation): an affine map per channel.</summary>
    internal sealed class BatchNormInferenceFunction : Function
    {
        private NDArray? _x, _weight, _mean, _invStd;

        public static Tensor Apply(Tensor x, Tensor? weight, Tensor? bias, NDArray mean, NDArray variance, double eps)
        {
            var y = NDArray.BatchNormInference(x.Data, weight?.Data, bias?.Data, mean, variance, eps);
            if (!ShouldRecord(x, weight, bias)) return new Tensor(y);
            if ((weight is null) != (bias is null))
                throw new ArgumentException("batch_norm: pass both weight and bias or neither");
            var fn = new BatchNormInferenceFunction { _x = x.Data, _weight = weight?.Data, _mean = mean, _invStd = (variance + eps).Sqrt().Reciprocal() };
            return weight is null ? fn.Record(y, x) : fn.Record(y, x, weight, bias!);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var channel = ChannelShape(_x!.Rank, _x.Shape[1]);
            var reduce = Enumerable.Range(0, _x.Rank).Where(i => i != 1).ToArray();
            var invStd = _invStd!.Reshape(channel);
            var scale = _weight is null ? invStd : invStd * _weight.Reshape(channel);
            var gx = g * scale;
            if (Inputs.Count == 1) return [gx];
            var xhat = (_x - _mean!.Reshape(channel)) * invStd;
            return [gx, NeedsGrad(1) ? (g * xhat).Sum(reduce) : null, NeedsGrad(2) ? g.Sum(reduce) : null];
        }

        protected override void ReleaseSaved() => (_x, _weight, _mean, _invStd) = (null, null, null, null);

        private static int[] ChannelShape(int rank, int channels)
        {
            var shape = Enumerable.Repeat(1, rank).ToArray();
            shape[1] = channels;
            return shape;
        }
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>
        /// Batch norm over x [N, C, …]. In training it normalises with the batch statistics and updates
        /// the running statistics (when given) in place; otherwise it uses the running statistics.
        /// </summary>
        public static Tensor BatchNorm(Tensor x, Tensor? weight, Tensor? bias, NDArray? runningMean, NDArray? runningVar,
            bool training, double momentum = 0.1, double eps = 1e-5)
        {
            if (training) return BatchNormFunction.Apply(x, weight, bias, runningMean, runningVar, momentum, eps);
            if (runningMean is null || runningVar is null)
                throw new ArgumentException("batch_norm: evaluation mode needs running mean and variance");
            return BatchNormInferenceFunction.Apply(x, weight, bias, runningMean, runningVar, eps);
        }

        /// <summary>
        /// Inverted dropout: in training, zeroes each element with probability <paramref name="p"/> and
        /// scales the rest by 1/(1 − p); outside training returns this tensor unchanged.
        /// </summary>
        public Tensor Dropout(double p, bool training, Generator? generator = null)
        {
            if (p is < 0 or >= 1 || double.IsNaN(p))
                throw new ArgumentOutOfRangeException(nameof(p), p, "dropout: p must be in [0, 1)");
            if (!training || p == 0) return this;
            var mask = NDArray.Bernoulli(Data.ShapeArray(), 1 - p, generator, DType, Device);
            mask.MulInPlace(1 / (1 - p));
            return this * new Tensor(mask);
        }
    }
}
