namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// Matrix product with <c>torch.matmul</c>'s rules: 1-D operands are promoted (and the added dim
    /// removed afterwards), leading batch dims broadcast. Transposed views are used without copying.
    /// </summary>
    public static NDArray MatMul(NDArray a, NDArray b)
    {
        CheckSameDevice("matmul", a, b);
        CheckSameDType("matmul", a, b);
        a.CheckFloating("matmul");
        if (a.Rank == 0 || b.Rank == 0)
            throw new ArgumentException($"matmul: both operands need at least 1 dim, got {a.ShapeString} and {b.ShapeString}");
        bool vectorA = a.Rank == 1, vectorB = b.Rank == 1;
        var left = vectorA ? a.Unsqueeze(0) : a;
        var right = vectorB ? b.Unsqueeze(1) : b;
        int m = left._shape[^2], k = left._shape[^1], k2 = right._shape[^2], n = right._shape[^1];
        if (k != k2)
            throw new ArgumentException($"matmul: {a.ShapeString} @ {b.ShapeString}: inner dims {k} and {k2} differ");

        int[] batchA = left._shape[..^2], batchB = right._shape[..^2];
        if (!Shapes.CanBroadcast(batchA, batchB))
            throw new ArgumentException($"matmul: {a.ShapeString} @ {b.ShapeString}: batch dims {Shapes.Format(batchA)} and {Shapes.Format(batchB)} cannot be broadcast");
        var batch = Shapes.Broadcast("matmul", batchA, batchB);
        int[] outShape = [.. batch, m, n];
        var result = Empty(outShape, a.DType, a.Device);
        if (result.Count > 0)
        {
            if (k == 0) result.Backend.Fill(result.KernelView, 0);
            else result.Backend.MatMul(left.BroadcastView([.. batch, m, k]), right.BroadcastView([.. batch, k, n]), result.KernelView);
        }
        if (vectorA && vectorB) return result.Reshape([.. batch]);
        if (vectorA) return result.Squeeze(-2);
        if (vectorB) return result.Squeeze(-1);
        return result;
    }

    /// <summary>this @ other.</summary>
    public NDArray MatMul(NDArray other) => MatMul(this, other);
}
