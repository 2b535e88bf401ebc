namespace Scratch.Kernels;

/// <summary>The checks of the matrix product and the three convolution primitives.</summary>
internal static partial class BackendContract
{
    private static readonly (string, string, string) ConvForwardNames = ("x", "weight", "y");
    private static readonly (string, string, string) ConvDataNames = ("gx", "weight", "gy");
    private static readonly (string, string, string) ConvWeightNames = ("x", "gw", "gy");

    /// <summary>
    /// <see cref="IBackend.MatMul"/>: equal dtypes, equal rank ≥ 2, identical batch sizes,
    /// a [..., M, K] @ b [..., K, N] = c [..., M, N], every view inside its buffer.
    /// </summary>
    public static void MatMul(BufferView a, BufferView b, BufferView c)
    {
        string Shapes() => $"a [{string.Join(", ", a.Shape)}], b [{string.Join(", ", b.Shape)}], c [{string.Join(", ", c.Shape)}]";
        if (a.DType != c.DType || b.DType != c.DType)
            throw new ArgumentException($"matmul: dtypes differ: a {a.DType.Name()}, b {b.DType.Name()}, c {c.DType.Name()}");
        if (a.Rank < 2 || a.Rank != b.Rank || a.Rank != c.Rank)
            throw new ArgumentException($"matmul: operands need equal rank >= 2, got {Shapes()}");
        int rank = c.Rank;
        for (int d = 0; d < rank - 2; d++)
        {
            if (a.Shape[d] != c.Shape[d] || b.Shape[d] != c.Shape[d])
                throw new ArgumentException($"matmul: batch dim {d} differs: {Shapes()}");
        }
        if (a.Shape[rank - 1] != b.Shape[rank - 2] || a.Shape[rank - 2] != c.Shape[rank - 2] || b.Shape[rank - 1] != c.Shape[rank - 1])
            throw new ArgumentException($"matmul: expected a [..., M, K], b [..., K, N], c [..., M, N], got {Shapes()}");
        ViewBounds.Check(a, "matmul", "a");
        ViewBounds.Check(b, "matmul", "b");
        ViewBounds.Check(c, "matmul", "c");
        if (!c.DType.IsFloatingPoint())
            throw new NotSupportedException($"matmul: dtype {c.DType.Name()} is not supported (float32 and float64 are)");
    }

    /// <summary><see cref="IBackend.Conv2dForward"/>: the geometry of x, w, y and p, and bias [O] of x's dtype.</summary>
    public static ConvGeometry Conv2dForward(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dParams p)
    {
        var g = ConvGeometry.Create("conv2d", x, w, y, ConvForwardNames, p);
        if (bias is { } b)
        {
            ConvGeometry.RequireContiguous("conv2d", b, "bias", 1);
            if (b.Shape[0] != g.Outputs || b.DType != x.DType)
                throw new ArgumentException($"conv2d: bias {b.DType.Name()}{ConvGeometry.Describe(b)} should be {x.DType.Name()}[{g.Outputs}] for weight {ConvGeometry.Describe(w)}");
        }
        return g;
    }

    /// <summary><see cref="IBackend.Conv2dBackwardData"/>: the geometry of gx, w, gy and p.</summary>
    public static ConvGeometry Conv2dBackwardData(BufferView gy, BufferView w, BufferView gx, Conv2dParams p)
        => ConvGeometry.Create("conv2d backward data", gx, w, gy, ConvDataNames, p);

    /// <summary><see cref="IBackend.Conv2dBackwardWeight"/>: the geometry of x, gw, gy and p.</summary>
    public static ConvGeometry Conv2dBackwardWeight(BufferView x, BufferView gy, BufferView gw, Conv2dParams p)
        => ConvGeometry.Create("conv2d backward weight", x, gw, gy, ConvWeightNames, p);
}
