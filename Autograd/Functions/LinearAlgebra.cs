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
            NeedsGrad(0) ? NDArray.MatMul(g, _b!.Transpose()).SumTo(_a!.Shape) : null,
            NeedsGrad(1) ? NDArray.MatMul(_a!.Transpose(), g).SumTo(_b!.Shape) : null,
        ];

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
