using Scratch.Kernels;

namespace Scratch.Functions
{
    /// <summary>y = f(x) for a <see cref="UnaryOp"/>; backward is the fused primitive gx = gy · f′(x).</summary>
    internal sealed class UnaryFunction(UnaryOp op, double alpha, double beta) : Function
    {
        private NDArray? _x;

        public override string Name => op.ToString();

        public static Tensor Apply(Tensor x, UnaryOp op, double alpha = 0, double beta = 0)
        {
            var y = x.Data.Apply(op, alpha, beta);
            if (!ShouldRecord(x)) return new Tensor(y);
            return new UnaryFunction(op, alpha, beta) { _x = x.Data }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [_x!.ApplyBackward(op, g, alpha, beta)];

        protected override void ReleaseSaved() => _x = null;
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>−x</summary>
        public Tensor Neg() => UnaryFunction.Apply(this, UnaryOp.Neg);
        /// <summary>|x| (gradient sign(x), 0 at 0)</summary>
        public Tensor Abs() => UnaryFunction.Apply(this, UnaryOp.Abs);
        /// <summary>sign(x) (gradient 0)</summary>
        public Tensor Sign() => UnaryFunction.Apply(this, UnaryOp.Sign);
        /// <summary>e^x</summary>
        public Tensor Exp() => UnaryFunction.Apply(this, UnaryOp.Exp);
        /// <summary>ln x</summary>
        public Tensor Log() => UnaryFunction.Apply(this, UnaryOp.Log);
        /// <summary>√x</summary>
        public Tensor Sqrt() => UnaryFunction.Apply(this, UnaryOp.Sqrt);
        /// <summary>sin x</summary>
        public Tensor Sin() => UnaryFunction.Apply(this, UnaryOp.Sin);
        /// <summary>cos x</summary>
        public Tensor Cos() => UnaryFunction.Apply(this, UnaryOp.Cos);
        /// <summary>tanh x</summary>
        public Tensor Tanh() => UnaryFunction.Apply(this, UnaryOp.Tanh);
        /// <summary>1 / (1 + e^−x)</summary>
        public Tensor Sigmoid() => UnaryFunction.Apply(this, UnaryOp.Sigmoid);
        /// <summary>max(x, 0)</summary>
        public Tensor Relu() => UnaryFunction.Apply(this, UnaryOp.Relu);
        /// <summary>x, or slope·x below 0.</summary>
        public Tensor LeakyRelu(double negativeSlope = 0.01) => UnaryFunction.Apply(this, UnaryOp.LeakyRelu, negativeSlope);
        /// <summary>x, or alpha·(e^x − 1) below 0.</summary>
        public Tensor Elu(double alpha = 1.0) => UnaryFunction.Apply(this, UnaryOp.Elu, alpha);
        /// <summary>Scaled ELU (for self-normalising networks).</summary>
        public Tensor Selu() => UnaryFunction.Apply(this, UnaryOp.Selu);
        /// <summary>x·sigmoid(x) (Swish).</summary>
        public Tensor Silu() => UnaryFunction.Apply(this, UnaryOp.Silu);
        /// <summary>x·Φ(x)</summary>
        public Tensor Gelu() => UnaryFunction.Apply(this, UnaryOp.Gelu);
        /// <summary>(1/beta)·ln(1 + e^(beta·x)), linear above the threshold.</summary>
        public Tensor Softplus(double beta = 1, double threshold = 20) => UnaryFunction.Apply(this, UnaryOp.Softplus, beta, threshold);
        /// <summary>x^exponent</summary>
        public Tensor Pow(double exponent) => UnaryFunction.Apply(this, UnaryOp.PowScalar, exponent);
        /// <summary>min(max(x, min), max)</summary>
        public Tensor Clamp(double min = double.NegativeInfinity, double max = double.PositiveInfinity) => UnaryFunction.Apply(this, UnaryOp.Clamp, min, max);
        /// <summary>1 / x</summary>
        public Tensor Reciprocal() => UnaryFunction.Apply(this, UnaryOp.Reciprocal);
        /// <summary>x²</summary>
        public Tensor Square() => UnaryFunction.Apply(this, UnaryOp.Square);
    }
}
