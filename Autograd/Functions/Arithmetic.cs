using Scratch.Kernels;

namespace Scratch.Functions
{
    /// <summary>a + b with broadcasting.</summary>
    internal sealed class AddFunction : Function
    {
        private int[] _a = [], _b = [];

        public static Tensor Apply(Tensor a, Tensor b)
        {
            var y = a.Data + b.Data;
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new AddFunction { _a = a.Data.ShapeArray(), _b = b.Data.ShapeArray() }.Record(y, a, b);
        }

        public override NDArray?[] Backward(NDArray g) => [NeedsGrad(0) ? g.SumTo(_a) : null, NeedsGrad(1) ? g.SumTo(_b) : null];

        protected override void ReleaseSaved() { }
    }

    /// <summary>a − b with broadcasting.</summary>
    internal sealed class SubFunction : Function
    {
        private int[] _a = [], _b = [];

        public static Tensor Apply(Tensor a, Tensor b)
        {
            var y = a.Data - b.Data;
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new SubFunction { _a = a.Data.ShapeArray(), _b = b.Data.ShapeArray() }.Record(y, a, b);
        }

        public override NDArray?[] Backward(NDArray g) => [NeedsGrad(0) ? g.SumTo(_a) : null, NeedsGrad(1) ? (-g).SumTo(_b) : null];

        protected override void ReleaseSaved() { }
    }

    /// <summary>a · b with broadcasting.</summary>
    internal sealed class MulFunction : Function
    {
        private NDArray? _a, _b;

        public static Tensor Apply(Tensor a, Tensor b)
        {
            var y = a.Data * b.Data;
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new MulFunction { _a = a.Data, _b = b.Data }.Record(y, a, b);
        }

        public override NDArray?[] Backward(NDArray g) =>
        [
            NeedsGrad(0) ? (g * _b!).SumTo(_a!.Shape) : null,
            NeedsGrad(1) ? (g * _a!).SumTo(_b!.Shape) : null,
        ];

        protected override void ReleaseSaved() => (_a, _b) = (null, null);
    }

    /// <summary>a / b with broadcasting.</summary>
    internal sealed class DivFunction : Function
    {
        private NDArray? _a, _b;

        public static Tensor Apply(Tensor a, Tensor b)
        {
            var y = a.Data / b.Data;
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new DivFunction { _a = a.Data, _b = b.Data }.Record(y, a, b);
        }

        // d(a/b)/da = 1/b, d(a/b)/db = −a/b².
        public override NDArray?[] Backward(NDArray g) =>
        [
            NeedsGrad(0) ? (g / _b!).SumTo(_a!.Shape) : null,
            NeedsGrad(1) ? (-(g * _a!) / _b!.Square()).SumTo(_b.Shape) : null,
        ];

        protected override void ReleaseSaved() => (_a, _b) = (null, null);
    }

    /// <summary>a^b elementwise with broadcasting.</summary>
    internal sealed class PowFunction : Function
    {
        private NDArray? _a, _b, _y;

        public static Tensor Apply(Tensor a, Tensor b)
        {
            var y = NDArray.Pow(a.Data, b.Data);
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new PowFunction { _a = a.Data, _b = b.Data, _y = y }.Record(y, a, b);
        }

        // d(a^b)/da = b·a^(b−1), masked to 0 where b = 0 (a^0 = 1 is constant in a, also at a = 0 where the formula
        // gives 0·∞); d(a^b)/db = a^b·ln a, masked to 0 where a = 0 and b ≥ 0 (0^b is constant there, the formula
        // gives 0·(−∞) or 1·(−∞)). Both masks are PyTorch's (pow_backward_self, pow_backward_exponent).
        public override NDArray?[] Backward(NDArray g)
        {
            var zero = NDArray.Scalar(0, g.DType, g.Device);
            return
            [
                NeedsGrad(0) ? NDArray.Where(_b!.Eq(0), zero, g * _b! * NDArray.Pow(_a!, _b! - 1)).SumTo(_a!.Shape) : null,
                NeedsGrad(1) ? NDArray.Where(_a!.Eq(0) * _b!.Ge(0), zero, g * _y! * _a!.Log()).SumTo(_b!.Shape) : null,
            ];
        }

        protected override void ReleaseSaved() => (_a, _b, _y) = (null, null, null);
    }

    /// <summary>
    /// max(a, b) or min(a, b); at ties the gradient is split evenly, as PyTorch. Where a comparison is undecided
    /// (a NaN operand, whose result is NaN) the gradient goes whole to both inputs, as PyTorch: each side loses
    /// its share only where it strictly lost.
    /// </summary>
    internal sealed class ExtremumFunction(bool maximum) : Function
    {
        private NDArray? _a, _b;

        public override string Name => maximum ? "Maximum" : "Minimum";

        public static Tensor Apply(Tensor a, Tensor b, bool maximum)
        {
            var y = maximum ? NDArray.Maximum(a.Data, b.Data) : NDArray.Minimum(a.Data, b.Data);
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new ExtremumFunction(maximum) { _a = a.Data, _b = b.Data }.Record(y, a, b);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var aLoses = maximum ? _a!.Lt(_b!) : _a!.Gt(_b!);
            var bLoses = maximum ? _a!.Gt(_b!) : _a!.Lt(_b!);
            var tie = _a!.Eq(_b!) * 0.5;
            return
            [
                NeedsGrad(0) ? (g * (1 - aLoses - tie)).SumTo(_a.Shape) : null,
                NeedsGrad(1) ? (g * (1 - bLoses - tie)).SumTo(_b!.Shape) : null,
            ];
        }

        protected override void ReleaseSaved() => (_a, _b) = (null, null);
    }

    /// <summary>condition ? a : b; the condition gets no gradient.</summary>
    internal sealed class WhereFunction : Function
    {
        private NDArray? _condition;
        private int[] _a = [], _b = [];

        public static Tensor Apply(Tensor condition, Tensor a, Tensor b)
        {
            var y = NDArray.Where(condition.Data, a.Data, b.Data);
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new WhereFunction { _condition = condition.Data, _a = a.Data.ShapeArray(), _b = b.Data.ShapeArray() }.Record(y, condition, a, b);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var zero = NDArray.Scalar(0, g.DType, g.Device);
            return
            [
                null,
                NeedsGrad(1) ? NDArray.Where(_condition!, g, zero).SumTo(_a) : null,
                NeedsGrad(2) ? NDArray.Where(_condition!, zero, g).SumTo(_b) : null,
            ];
        }

        protected override void ReleaseSaved() => _condition = null;
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>a + b</summary>
        public static Tensor operator +(Tensor a, Tensor b) => AddFunction.Apply(a, b);
        /// <summary>a − b</summary>
        public static Tensor operator -(Tensor a, Tensor b) => SubFunction.Apply(a, b);
        /// <summary>a · b</summary>
        public static Tensor operator *(Tensor a, Tensor b) => MulFunction.Apply(a, b);
        /// <summary>a / b</summary>
        public static Tensor operator /(Tensor a, Tensor b) => DivFunction.Apply(a, b);
        /// <summary>−a</summary>
        public static Tensor operator -(Tensor a) => a.Neg();

        /// <summary>a^b elementwise.</summary>
        public static Tensor Pow(Tensor a, Tensor b) => PowFunction.Apply(a, b);
        /// <summary>Elementwise maximum.</summary>
        public static Tensor Maximum(Tensor a, Tensor b) => ExtremumFunction.Apply(a, b, maximum: true);
        /// <summary>Elementwise minimum.</summary>
        public static Tensor Minimum(Tensor a, Tensor b) => ExtremumFunction.Apply(a, b, maximum: false);
        /// <summary>condition ≠ 0 ? a : b (broadcast).</summary>
        public static Tensor Where(Tensor condition, Tensor a, Tensor b) => WhereFunction.Apply(condition, a, b);

        /// <summary>1 where equal (not differentiable).</summary>
        public Tensor Eq(Tensor other) => new(Data.Eq(other.Data));
        /// <summary>1 where greater (not differentiable).</summary>
        public Tensor Gt(Tensor other) => new(Data.Gt(other.Data));
        /// <summary>1 where greater than <paramref name="value"/> (not differentiable).</summary>
        public Tensor Gt(double value) => new(Data.Gt(value));
        /// <summary>1 where less (not differentiable).</summary>
        public Tensor Lt(Tensor other) => new(Data.Lt(other.Data));
        /// <summary>1 where less than <paramref name="value"/> (not differentiable).</summary>
        public Tensor Lt(double value) => new(Data.Lt(value));
        /// <summary>1 where greater or equal (not differentiable).</summary>
        public Tensor Ge(Tensor other) => new(Data.Ge(other.Data));
        /// <summary>1 where less or equal (not differentiable).</summary>
        public Tensor Le(Tensor other) => new(Data.Le(other.Data));
        /// <summary>1 where not equal (not differentiable).</summary>
        public Tensor Ne(Tensor other) => new(Data.Ne(other.Data));
    }
}
