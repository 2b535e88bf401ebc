using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Gpu.Ops;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Reduce on the simulated GPU against the CPU reference, on every plan of the launcher: the column plan (few
/// elements per output), warp rows, block rows and two passes; any strides (transposed, strided, interleaved
/// kept and reduced dims), size-1 and empty dims; NaN, infinities and ties; bad input.
/// </summary>
[TestFixture]
public class ReductionKernelTests : SimulatedGpuTest
{
    // (shape, reduced dims, layout): columns (≤ 16 elements), warp rows, block rows, two passes, everything,
    // nothing reduced, transposed, strided and offset views, size-1 dims. The block and two-pass plans run with
    // Small sizes (groups of 64 threads: two warps, so the shared-memory round across warps runs; chunks of 128).
    private static readonly (int[] Shape, int Reduced, Layout Layout)[] Problems =
    [
        ([9, 10], 1, Layout.Contiguous),
        ([3, 4, 5], 2, Layout.Contiguous),
        ([3, 4], 2, Layout.Strided),
        ([6, 7], 0, Layout.Contiguous),
        ([4, 50], 1, Layout.Transposed),
        ([5, 1, 3, 7], 2, Layout.Transposed),
        ([1, 1], 1, Layout.Contiguous),
        ([3, 33], 1, Layout.Offset),
        ([2, 150], 1, Layout.Strided),
        ([2, 700], 1, Layout.Contiguous),
        ([30, 20], 2, Layout.Transposed),
    ];

    private static readonly ReductionOps.Tuning Small = new(Block: 64, WarpRowMax: 64, ChunkLength: 128);

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var op in Enum.GetValues<ReduceOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
                if (!(dtype == DType.Int32 && op is ReduceOp.Mean or ReduceOp.LogSumExp))
                    yield return new TestCaseData(op, dtype);
    }

    [TestCaseSource(nameof(Cases))]
    public void ReduceMatchesTheCpu(ReduceOp op, DType dtype)
    {
        foreach (var (shape, reduced, layout) in Problems)
        {
            double scale = dtype == DType.Int32 ? 1000 : 1;
            // Few distinct values, so that maxima tie and the Arg ops must pick the first.
            var values = Noise(1 << 12, shape.Length + reduced).Select(v => dtype == DType.Int32 ? Math.Round(scale * v) : Math.Round(v * 64) / 64).ToArray();
            var (xc, xg) = Pair(dtype, shape, layout, values);
            var outShape = shape[..^reduced];
            var outType = op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : dtype;
            var (yc, yg) = Output(outType, outShape);
            Cpu.Reduce(op, xc, reduced, yc);
            using (ReductionOps.WithTuning(Small)) Gpu.Reduce(op, xg, reduced, yg);

            long n = BufferView.ElementCount(shape[^reduced..]);
            var magnitude = RowSums(Read(xc), n);
            TestViews.AssertClose(Read(yc), Read(yg), i => Atol(op, dtype, n, magnitude[i]), Rtol(op, dtype),
                $"{op} {dtype} [{string.Join(", ", shape)}] over {reduced} dims, {layout}");
        }
    }

    // Sums: each side's error is at most γ·Σ|x| with γ = (64 + log2 n)·u, which allows the CPU's blocked
    // pairwise summation (blocks up to 64) and the GPU's in-thread runs (at most ColumnMax = 16 elements, or a
    // chunk over the group: 128/64 here, 4096/256 by default) with its trees.
    // Mean divides that by n (plus the rounding of the division). LogSumExp: the relative error of Σe^x is
    // (70 + log2 n)·u (a few ulp per exp), the absolute error of its log. Max, Min and the Arg ops select an
    // element: exact. Int32 sums wrap identically: exact.
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

    private static double[] RowSums(double[] x, long n)
    {
        var sums = new double[x.Length / Math.Max(1, n)];
        for (int i = 0; i < x.Length; i++) sums[i / n] += Math.Abs(x[i]);
        return sums;
    }

    [Test]
    public void ReduceHandlesNaNInfinitiesAndTiesLikeTheCpu(
        [Values(ReduceOp.Sum, ReduceOp.Max, ReduceOp.Min, ReduceOp.ArgMax, ReduceOp.ArgMin, ReduceOp.LogSumExp)] ReduceOp op,
        [Values(4, 40, 100, 400)] int length)
    {
        // Rows of `length` elements, filled by repeating these; the long rows take the warp and block plans.
        double inf = double.PositiveInfinity;
        double[][] rows = [[1, double.NaN, 3, double.NaN], [-inf, -inf, -inf, -inf], [2, inf, 1, inf], [5, 5, -1, 5], [-0.0, 0, -0.0, 0], [-3, -1, -1, -3]];
        var values = rows.SelectMany(r => Enumerable.Range(0, length).Select(i => r[i % r.Length])).ToArray();
        var (xc, xg) = Pair(DType.Float32, [rows.Length, length], Layout.Contiguous, values);
        var outType = op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : DType.Float32;
        var (yc, yg) = Output(outType, rows.Length);
        Cpu.Reduce(op, xc, 1, yc);
        using (ReductionOps.WithTuning(Small)) Gpu.Reduce(op, xg, 1, yg);
        AssertClose(yc, yg, op == ReduceOp.LogSumExp ? 1e-6 : 0, 0, $"{op} on NaN, ±inf and ties, rows of {length}");
    }

    [Test]
    public void ArgMaxFindsTheFirstOfTiesAcrossChunks([Values(ReduceOp.ArgMax, ReduceOp.ArgMin)] ReduceOp op)
    {
        // One row of 600 (two passes of chunks of 128): the extreme value appears in the third and fourth chunks
        // and at the end, in different threads of their groups; the first wins.
        var values = new double[600];
        values[300] = values[599] = op == ReduceOp.ArgMax ? 7 : -7;
        values[401] = op == ReduceOp.ArgMax ? 7 : -7;
        var (xc, xg) = Pair(DType.Float64, [1, 600], Layout.Contiguous, values);
        var (yc, yg) = Output(DType.Int32, 1);
        Cpu.Reduce(op, xc, 1, yc);
        using (ReductionOps.WithTuning(Small)) Gpu.Reduce(op, xg, 1, yg);
        Assert.That(Read(yg), Is.EqualTo(new double[] { 300 }));
        Assert.That(Read(yg), Is.EqualTo(Read(yc)));
    }

    [Test]
    public void ReduceOverInterleavedDimsMatches([Values(ReduceOp.Sum, ReduceOp.ArgMax)] ReduceOp op)
    {
        // x [3, 4, 5] viewed as [4, 3, 5] (dims 0 and 1 swapped): the reduced dims are not one contiguous run.
        var buffer = Pair(DType.Float64, [3, 4, 5], Layout.Contiguous, Noise(60, 8));
        var xc = buffer.Cpu.WithLayout([4, 3, 5], [5, 20, 1], 0);
        var xg = buffer.Gpu.WithLayout([4, 3, 5], [5, 20, 1], 0);
        var outType = op == ReduceOp.ArgMax ? DType.Int32 : DType.Float64;
        var (yc, yg) = Output(outType, 4);
        Cpu.Reduce(op, xc, 2, yc);
        Gpu.Reduce(op, xg, 2, yg);
        AssertClose(yc, yg, op == ReduceOp.Sum ? 1e-14 : 0, 0, $"{op} over interleaved dims");
    }

    [Test]
    public void ReduceOverZeroElementsMatches([Values(ReduceOp.Sum, ReduceOp.Mean, ReduceOp.LogSumExp)] ReduceOp op)
    {
        var (xc, xg) = Pair(DType.Float64, [3, 0], Layout.Contiguous, [1]);
        var (yc, yg) = Output(DType.Float64, 3);
        Cpu.Reduce(op, xc, 1, yc);
        Gpu.Reduce(op, xg, 1, yg);
        AssertClose(yc, yg, 0, 0, $"{op} of nothing");
        var cpuError = Assert.Throws<ArgumentException>(() => Cpu.Reduce(ReduceOp.Max, xc, 1, yc))!;
        var gpuError = Assert.Throws<ArgumentException>(() => Gpu.Reduce(ReduceOp.Max, xg, 1, yg))!;
        Assert.That(gpuError.Message, Is.EqualTo(cpuError.Message));
    }

    [Test]
    public void ReduceIsDeterministic()
    {
        var x = TestViews.Make(Gpu, DType.Float32, [2, 2001], Layout.Contiguous, Noise(1 << 12, 5));
        var (_, first) = Output(DType.Float32, 2);
        var (_, second) = Output(DType.Float32, 2);
        using var small = ReductionOps.WithTuning(Small);
        Gpu.Reduce(ReduceOp.Sum, x, 1, first);
        Gpu.Reduce(ReduceOp.Sum, x, 1, second);
        Assert.That(Read(second), Is.EqualTo(Read(first)));
    }

    [Test]
    public void Float32SumsOfManyElementsStayAccurate()
    {
        // 20001 copies of 0.1f, with the launcher's own sizes (two passes of 5 chunks): a plain running float32 sum
        // is off by about 1e-4 relative; blocks and trees stay near 1e-6.
        var (_, xg) = Pair(DType.Float32, [20001], Layout.Contiguous, [0.1]);
        var (_, yg) = Output(DType.Float32);
        Gpu.Reduce(ReduceOp.Sum, xg, 1, yg);
        double exact = 20001 * (double)0.1f;
        Assert.That(Read(yg)[0], Is.EqualTo(exact).Within(2e-6 * exact));
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        void Alike(ReduceOp op, DType x, int[] shape, int reduced, DType y, int[] outShape, string what)
        {
            var (xc, xg) = Pair(x, shape, Layout.Contiguous, [1]);
            var (yc, yg) = Output(y, outShape);
            var onCpu = Assert.Throws<ArgumentException>(() => Cpu.Reduce(op, xc, reduced, yc))!;
            var onGpu = Assert.Throws<ArgumentException>(() => Gpu.Reduce(op, xg, reduced, yg))!;
            Assert.That(onGpu.Message, Is.EqualTo(onCpu.Message), what);
        }
        Alike(ReduceOp.Sum, DType.Float32, [3, 4], 3, DType.Float32, [3], "too many dims");
        Alike(ReduceOp.Sum, DType.Float32, [3, 4], 1, DType.Float32, [4], "output shape");
        Alike(ReduceOp.ArgMax, DType.Float32, [3, 4], 1, DType.Float32, [3], "arg output dtype");
        Alike(ReduceOp.Mean, DType.Int32, [3, 4], 1, DType.Int32, [3], "int32 mean");
        Alike(ReduceOp.Max, DType.Float32, [3, 4], 1, DType.Float64, [3], "output dtype");
    }
}
