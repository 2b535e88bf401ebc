using Scratch.Kernels;

namespace Scratch.Functions
{
    /// <summary>
    /// a ∘ s or s ∘ a for a host scalar s and ∘ one of +, −, ·, /: s is a number, not a tensor, so no
    /// array is made for it and only a gets a gradient. Named as the tensor op (<c>Mul</c>, …), as PyTorch.
    /// </summary>
    internal sealed class ScalarArithmeticFunction : Function
    {
        private readonly BinaryOp _op;
        private readonly double _s;
        private readonly bool _scalarFirst;
        private NDArray? _a;

        private ScalarArithmeticFunction(BinaryOp op, double s, bool scalarFirst) => (_op, _s, _scalarFirst) = (op, s, scalarFirst);

        public override string Name => _op.ToString();

        public static Tensor Apply(BinaryOp op, Tensor a, double s, bool scalarFirst)
        {
            var y = scalarFirst ? NDArray.Apply(op, s, a.Data) : NDArray.Apply(op, a.Data, s);
            if (!ShouldRecord(a)) return new Tensor(y);
            // Only s / a needs a in its backward rule.
            var saved = op == BinaryOp.Div && scalarFirst ? a.Data : null;
            return new ScalarArithmeticFunction(op, s, scalarFirst) { _a = saved }.Record(y, a);
        }

        public override NDArray?[] Backward(NDArray g) =>
        [
            (_op, _scalarFirst) switch
            {
                (BinaryOp.Add, _) => g,                                 // d(a + s)/da = d(s + a)/da = 1
                (BinaryOp.Sub, false) => g,                             // d(a − s)/da = 1
                (BinaryOp.Sub, true) => -g,                             // d(s − a)/da = −1
                (BinaryOp.Mul, _) => g * _s,                            // d(a·s)/da = s
                (BinaryOp.Div, false) => g / _s,                        // d(a/s)/da = 1/s
                (BinaryOp.Div, true) => ScalarOverABackward(g),         // d(s/a)/da = −s/a²
                _ => throw new InvalidOperationException($"{Name}: no scalar backward rule"),
            },
        ];

        // −g·s/a², computed as (g·(−s))/a² (the same bits as −(g·s)/a²); the temporaries are freed at once.
        private NDArray ScalarOverABackward(NDArray g)
        {
            using var scaled = g * -_s;
            using var square = _a!.Square();
            return scaled / square;
        }

        protected override void ReleaseSaved() => _a = null;
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>a + s</summary>
        public static Tensor operator +(Tensor a, double s) => ScalarArithmeticFunction.Apply(BinaryOp.Add, a, s, scalarFirst: false);
        /// <summary>s + a</summary>
        public static Tensor operator +(double s, Tensor a) => ScalarArithmeticFunction.Apply(BinaryOp.Add, a, s, scalarFirst: true);
        /// <summary>a − s</summary>
        public static Tensor operator -(Tensor a, double s) => ScalarArithmeticFunction.Apply(BinaryOp.Sub, a, s, scalarFirst: false);
        /// <summary>s − a</summary>
        public static Tensor operator -(double s, Tensor a) => ScalarArithmeticFunction.Apply(BinaryOp.Sub, a, s, scalarFirst: true);
        /// <summary>a · s</summary>
        public static Tensor operator *(Tensor a, double s) => ScalarArithmeticFunction.Apply(BinaryOp.Mul, a, s, scalarFirst: false);
        /// <summary>s · a</summary>
        public static Tensor operator *(double s, Tensor a) => ScalarArithmeticFunction.Apply(BinaryOp.Mul, a, s, scalarFirst: true);
        /// <summary>a / s</summary>
        public static Tensor operator /(Tensor a, double s) => ScalarArithmeticFunction.Apply(BinaryOp.Div, a, s, scalarFirst: false);
        /// <summary>s / a</summary>
        public static Tensor operator /(double s, Tensor a) => ScalarArithmeticFunction.Apply(BinaryOp.Div, a, s, scalarFirst: true);
    }
}
