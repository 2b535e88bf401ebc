using NUnit.Framework;
using Scratch.Kernels;

namespace Scratch.Tests.Cuda;

/// <summary>Reduce and Softmax: CUDA against the CPU reference, on every reduction path of the CUDA launcher.</summary>
[TestFixture, Category("Gpu")]
public class CudaReductionParityTests : CudaParityTest
{
    // (shape, reduced dims, layout): short rows, long rows (split and not), everything, nothing,
    // columns (transposed views, split and not), size-1 dims, odd sizes.
    private static readonly (int[] Shape, int Reduced, Layout Layout)[] Problems =
    [
        ([64, 10], 1, Layout.Contiguous),
        ([2, 100000], 1, Layout.Contiguous),
        ([300, 3000], 1, Layout.Offset),
        ([3, 4, 5], 2, Layout.Contiguous),
        ([3, 4], 2, Layout.Strided),
        ([6, 7], 0, Layout.Contiguous),
        ([64, 100], 1, Layout.Transposed),
        ([4, 100000], 1, Layout.Transposed),
        ([5, 1, 3, 7], 2, Layout.Transposed),
        ([1, 1], 1, Layout.Contiguous),
        ([33, 1025], 1, Layout.Strided),
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var op in Enum.GetValues<ReduceOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
                if (!(dtype == DType.Int32 && op is ReduceOp.Mean or ReduceOp.LogSumExp))
                    yield return new TestCaseData(op, dtype);
    }

    [TestCaseSource(nameof(Cases))]
    public void ReduceMatches(ReduceOp op, DType dtype)
    {
        foreach (var (shape, reduced, layout) in Problems)
        {
            double scale = dtype == DType.Int32 ? 1000 : 1;
            var values = Noise(1 << 16, shape.Length + reduced).Select(v => scale * v).ToArray();
            var (xc, xg) = Pair(dtype, shape, layout, values);
            var outShape = shape[..^reduced];
            var outType = op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : dtype;
            var (yc, yg) = Output(outType, outShape);
            Cpu.Reduce(op, xc, reduced, yc);
            Gpu.Reduce(op, xg, reduced, yg);

            long n = BufferView.ElementCount(shape[^reduced..]);
            var x = Read(xc);
            var rowMagnitude = RowSums(x, n, Math.Abs);
            AssertClose(Read(yc), Read(yg), i => Atol(op, dtype, n, rowMagnitude[i]), Rtol(op, dtype),
                $"{op} {dtype} [{string.Join(", ", shape)}] over {reduced} dims, {layout}");
        }
    }

    // Sums: both sides' error is bounded by γ·Σ|x| with γ = (64 + log2 n)·u, allowing the CPU's
    // blocked pairwise summation with blocks of up to 64 (the GPU accumulates float32 in double, so
    // its own error is negligible). Mean divides that by n. LogSumExp: the relative error of Σe^x is
    // (70 + log2 n)·u (a few ulp for exp), which is the absolute error of its log. Max, Min and the
    // Arg ops select an element: exact. Int32 sums wrap identically: exact.
    private static double Atol(ReduceOp op, DType dtype, long n, double magnitude)
    {
        if (dtype == DType.Int32 || op is ReduceOp.Max or ReduceOp.Min or ReduceOp.ArgMax or ReduceOp.ArgMin) return 0;
        double u = dtype == DType.Float32 ? U32 : U64;
        double levels = Math.Log2(Math.Max(2, n));
        return op switch
        {
            ReduceOp.Sum => (64 + levels) * u * magnitude,
            ReduceOp.Mean => (64 + levels) * u * magnitude / n + u,
            _ => (70 + levels) * u,
        };
    }

    private static double Rtol(ReduceOp op, DType dtype)
        => op is ReduceOp.Mean or ReduceOp.LogSumExp && dtype != DType.Int32 ? 2 * (dtype == DType.Float32 ? U32 : U64) : 0;

    private static double[] RowSums(double[] x, long n, Func<double, double> f)
    {
        var sums = new double[x.Length / Math.Max(1, n)];
        for (int i = 0; i < x.Length; i++) sums[i / n] += f(x[i]);
        return sums;
    }

    [Test]
    public void ReduceHandlesNaNAndInfinitiesLikeTheCpu([Values(ReduceOp.Sum, ReduceOp.Max, ReduceOp.Min, ReduceOp.ArgMax, ReduceOp.ArgMin, ReduceOp.LogSumExp)] ReduceOp op)
    {
        double inf = double.PositiveInfinity;
        double[] rows = [1, double.NaN, 3, double.NaN, /**/ -inf, -inf, -inf, -inf, /**/ 2, inf, 1, inf, /**/ 5, 5, -1, 5];
        var (xc, xg) = Pair(DType.Float32, [4, 4], Layout.Contiguous, rows);
        var outType = op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : DType.Float32;
        var (yc, yg) = Output(outType, 4);
        Cpu.Reduce(op, xc, 1, yc);
        Gpu.Reduce(op, xg, 1, yg);
        AssertClose(yc, yg, op == ReduceOp.LogSumExp ? 1e-6 : 0, 0, $"{op} on NaN, ±inf and ties");
    }

    [Test]
    public void ReduceOverZeroElementsMatches([Values(ReduceOp.Sum, ReduceOp.Mean, ReduceOp.LogSumExp)] ReduceOp op)
    {
        var (xc, xg) = Pair(DType.Float64, [3, 0], Layout.Contiguous, [1]);
        var (yc, yg) = Output(DType.Float64, 3);
        Cpu.Reduce(op, xc, 1, yc);
        Gpu.Reduce(op, xg, 1, yg);
        AssertClose(yc, yg, 0, 0, $"{op} of nothing");
        Assert.Throws<ArgumentException>(() => Gpu.Reduce(ReduceOp.Max, xg, 1, yg));
    }

    [Test]
    public void ReduceIsDeterministic()
    {
        var x = Make(Gpu, DType.Float32, [3, 300001], Layout.Contiguous, Noise(1 << 16, 5));
        var first = Make(Gpu, DType.Float32, [3], Layout.Contiguous, [0]);
        var second = Make(Gpu, DType.Float32, [3], Layout.Contiguous, [0]);
        Gpu.Reduce(ReduceOp.Sum, x, 1, first);
        Gpu.Reduce(ReduceOp.Sum, x, 1, second);
        Assert.That(Read(second), Is.EqualTo(Read(first)));
    }

    private static readonly int[][] SoftmaxShapes = [[4, 10, 1], [2, 5000, 1], [3, 7, 5], [1, 1, 1], [5, 1, 3], [300, 33, 1]];

    [Test]
    public void SoftmaxMatches([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool log)
    {
        // Outputs of softmax lie in [0, 1] and come from a few exp's and one division each, plus the
        // row sum (bounded as for Reduce): rtol 1e-5 and atol 1e-7 for float32. Log-softmax's outputs are
        // x − m − log Σ: an absolute error of the log term, so atol 1e-5 (float32).
        double atol = dtype == DType.Float32 ? (log ? 1e-5 : 1e-7) : 1e-13;
        double rtol = dtype == DType.Float32 ? 1e-5 : 1e-12;
        foreach (var shape in SoftmaxShapes)
        {
            var (xc, xg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 14, 3).Select(v => 8 * v).ToArray());
            var (yc, yg) = Output(dtype, shape);
            Cpu.Softmax(xc, yc, log);
            Gpu.Softmax(xg, yg, log);
            AssertClose(yc, yg, atol, rtol, $"softmax(log {log}) {dtype} [{string.Join(", ", shape)}]");

            var (gc, gg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 14, 4));
            var (dc, dg) = Output(dtype, shape);
            Cpu.SoftmaxBackward(yc, gc, dc, log);
            Gpu.SoftmaxBackward(yg, gg, dg, log);
            AssertClose(dc, dg, dtype == DType.Float32 ? 1e-5 : 1e-12, rtol, $"softmax backward (log {log}) {dtype} [{string.Join(", ", shape)}]");
        }
    }
}
