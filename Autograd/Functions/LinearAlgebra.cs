namespace Scratch.Functions
{
    /// <summary>a @ b for rank ≥ 2 with broadcast batch dims: ∂a = g @ bᵀ, ∂b = aᵀ @ g, summed over broadcast batches.</summary>
    internal sealed class MatMulFunction : Function
    {
        private NDArray? _a, _b;

        public static Tensor Apply(Tensor a, Tensor b)
        {
            var y = NDArray.MatMul(a.Data, b.Data);
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new MatMulFunction { _a = a.Data, _b = b.Data }.Record(y, a, b);
        }

        public override NDArray?[] Backward(NDArray g) =>
        [
            NeedsGrad(0) ? (IsPlainProduct() && IsTransposed(_a!) ? NDArray.MatMul(_b!, g.Transpose()).Transpose() : NDArray.MatMul(g, _b!.Transpose()).SumTo(_a!.Shape)) : null,
            NeedsGrad(1) ? (IsPlainProduct() && IsTransposed(_b!) ? NDArray.MatMul(g.Transpose(), _a!).Transpose() : NDArray.MatMul(_a!.Transpose(), g).SumTo(_b!.Shape)) : null,
        ];

        /// <summary>
        /// For a matrix product (no batch dims), true for an operand that is the transposed view of a row-major one (Linear's Wᵀ). Its gradient is
        /// then computed transposed, (gᵀ·a)ᵀ instead of aᵀ·g: the same products summed in the same order,
        /// but laid out like the weight, so it reaches the weight without a transposing copy.
        /// </summary>
        private bool IsPlainProduct() => _a!.Rank == 2 && _b!.Rank == 2;

        private static bool IsTransposed(NDArray m) =>
            m.Rank == 2 && m.Shape[0] > 1 && m.Shape[1] > 1 && m.Strides[0] == 1 && m.Strides[1] == m.Shape[0];

        protected override void ReleaseSaved() => (_a, _b) = (null, null);
    }
}

namespace Scratch
{
    using Scratch.Functions;

    public sealed partial class Tensor
    {
        /// <summary>Matrix product with <c>torch.matmul</c>'s rules (1-D operands promoted, batch dims broadcast).</summary>
        public static Tensor MatMul(Tensor a, Tensor b)
        {
            if (a.Rank == 0 || b.Rank == 0)
                throw new ArgumentException($"matmul: both operands need at least 1 dim, got {a.ShapeString} and {b.ShapeString}");
            if (a.Rank == 1 && b.Rank == 1) return MatMulFunction.Apply(a.Unsqueeze(0), b.Unsqueeze(1)).Reshape();
            if (a.Rank == 1) return MatMulFunction.Apply(a.Unsqueeze(0), b).Squeeze(-2);
            if (b.Rank == 1) return MatMulFunction.Apply(a, b.Unsqueeze(1)).Squeeze(-1);
            return MatMulFunction.Apply(a, b);
        }

        /// <summary>this @ other.</summary>
        public Tensor MatMul(Tensor other) => MatMul(this, other);
    }
}
