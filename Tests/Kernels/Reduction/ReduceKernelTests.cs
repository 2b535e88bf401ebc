using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;
using static Scratch.Tests.Kernels.Elementwise.TestViews;

namespace Scratch.Tests.Kernels.Reduction;

public class ReduceKernelTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    /// <summary>Naive float64 reduction of row-major values [outputs, n] over the inner n.</summary>
    private static double[] Reference(ReduceOp op, double[] values, long outputs, int n)
    {
        var result = new double[outputs];
        for (long o = 0; o < outputs; o++)
        {
            var row = values[(int)(o * n)..(int)(o * n + n)];
            result[o] = op switch
            {
                ReduceOp.Sum => row.Sum(),
                ReduceOp.Mean => row.Sum() / n,
                ReduceOp.Max => row.Any(double.IsNaN) ? double.NaN : row.Max(),
                ReduceOp.Min => row.Any(double.IsNaN) ? double.NaN : row.Min(),
                ReduceOp.ArgMax => FirstIndex(row, (v, best) => v > best),
                ReduceOp.ArgMin => FirstIndex(row, (v, best) => v < best),
                ReduceOp.LogSumExp => Math.Log(row.Sum(Math.Exp)),
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            };
        }
        return result;
    }

    private static double FirstIndex(double[] row, Func<double, double, bool> better)
    {
        int best = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (double.IsNaN(row[i])) return i;
            if (better(row[i], row[best])) best = i;
        }
        return best;
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (var op in Enum.GetValues<ReduceOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
                if (dtype != DType.Int32 || op is not (ReduceOp.Mean or ReduceOp.LogSumExp))
                    yield return new TestCaseData(op, dtype);
    }

    private static BufferView OutputFor(ReduceOp op, DType dtype, params int[] shape)
        => Output(op is ReduceOp.ArgMax or ReduceOp.ArgMin ? DType.Int32 : dtype, shape);

    private static void Expect(BufferView y, ReduceOp op, DType dtype, double[] values, long outputs, int n, string what)
    {
        var expected = Reference(op, values, outputs, n);
        bool exact = op is ReduceOp.ArgMax or ReduceOp.ArgMin or ReduceOp.Max or ReduceOp.Min || dtype == DType.Int32;
        if (exact)
        {
            Assert.That(Read(y), Is.EqualTo(expected), what);
            return;
        }
        // Summation error is relative to the sum of magnitudes (the naive reference has some too).
        double eps = dtype == DType.Float32 ? 1e-6 : 1e-14;
        var actual = Read(y);
        for (int o = 0; o < outputs; o++)
        {
            double magnitude = values[(o * n)..(o * n + n)].Sum(Math.Abs) / (op == ReduceOp.Mean ? n : 1);
            double tolerance = eps * (op == ReduceOp.LogSumExp ? Math.Abs(expected[o]) + n : magnitude + 1);
            Assert.That(actual[o], Is.EqualTo(expected[o]).Within(tolerance), $"{what} [{o}]");
        }
    }

    private static double[] Values(DType dtype, int count, int seed)
        => dtype == DType.Int32 ? Array.ConvertAll(Range(count, -1000, 1000, seed), Math.Round) : Rounded(dtype, Range(count, -3, 3, seed));

    [TestCaseSource(nameof(Cases))]
    public void Rows_ContiguousInnerRuns(ReduceOp op, DType dtype)
    {
        var values = Values(dtype, 5 * 300, seed: 60);
        var y = OutputFor(op, dtype, 5);
        Cpu.Reduce(op, Contiguous(dtype, values, 5, 300), 1, y);
        Expect(y, op, dtype, values, 5, 300, "[5, 300] over 300");

        // Two reduced dims that merge into one run, kept dim with a gap (every other row of a wider buffer).
        var x = Strided(dtype, values, [5, 20, 15], [600, 15, 1], 7);
        var y2 = OutputFor(op, dtype, 5);
        Cpu.Reduce(op, x, 2, y2);
        Expect(y2, op, dtype, values, 5, 300, "[5, 20, 15] over the last two, gapped rows");

        // Short rows (no whole vector), many of them.
        var y3 = OutputFor(op, dtype, 300);
        Cpu.Reduce(op, Contiguous(dtype, values, 300, 5), 1, y3);
        Expect(y3, op, dtype, values, 300, 5, "[300, 5] over 5");
    }

    [TestCaseSource(nameof(Cases))]
    public void Columns_KeptDimContiguous(ReduceOp op, DType dtype)
    {
        // Bias-gradient shape: logical [37, 50] (kept 37) stored as its transpose: strides [1, 37].
        var values = Values(dtype, 37 * 50, seed: 61);
        var y = OutputFor(op, dtype, 37);
        Cpu.Reduce(op, Transposed(dtype, values, 37, 50), 1, y);
        Expect(y, op, dtype, values, 37, 50, "[37, 50] strides [1, 37]");

        // Kept dims that do not merge: logical [3, 16, 20] stored as [3, 20, 16].
        var v3 = Values(dtype, 3 * 16 * 20, seed: 62);
        var x3 = Strided(dtype, v3, [3, 16, 20], [320, 1, 16], 0);
        var y3 = OutputFor(op, dtype, 3, 16);
        Cpu.Reduce(op, x3, 1, y3);
        Expect(y3, op, dtype, v3, 48, 20, "[3, 16, 20] strides [320, 1, 16]");

        // Two reduced dims, strided, over 2100 columns (more than one column tile).
        var v4 = Values(dtype, 2100 * 6, seed: 63);
        var x4 = Strided(dtype, v4, [2100, 2, 3], [1, 2100 * 3, 2100], 0);
        var y4 = OutputFor(op, dtype, 2100);
        Cpu.Reduce(op, x4, 2, y4);
        Expect(y4, op, dtype, v4, 2100, 6, "[2100, 2, 3] strides [1, 6300, 2100]");

        // Long columns: many rows, few columns (rows split into blocks combined pairwise).
        var v5 = Values(dtype, 9 * 5000, seed: 64);
        var y5 = OutputFor(op, dtype, 9);
        Cpu.Reduce(op, Transposed(dtype, v5, 9, 5000), 1, y5);
        Expect(y5, op, dtype, v5, 9, 5000, "[9, 5000] strides [1, 9]");
    }

    [TestCaseSource(nameof(Cases))]
    public void General_InterleavedStrides(ReduceOp op, DType dtype)
    {
        // Logical [4, 6, 9] over storage [6, 4, 9]: reduced (6, 9) strides (36, 1) do not merge, kept stride 9.
        var values = Values(dtype, 4 * 6 * 9, seed: 65);
        var x = Strided(dtype, values, [4, 6, 9], [9, 36, 1], 0);
        var y = OutputFor(op, dtype, 4);
        Cpu.Reduce(op, x, 2, y);
        Expect(y, op, dtype, values, 4, 54, "[4, 6, 9] strides [9, 36, 1]");

        // Narrow kept dim (2 columns): goes through a contiguous copy.
        var v2 = Values(dtype, 2 * 70, seed: 66);
        var y2 = OutputFor(op, dtype, 2);
        Cpu.Reduce(op, Transposed(dtype, v2, 2, 70), 1, y2);
        Expect(y2, op, dtype, v2, 2, 70, "[2, 70] strides [1, 2]");
    }

    [TestCaseSource(nameof(Cases))]
    public void ScalarsAndZeroReducedDims(ReduceOp op, DType dtype)
    {
        var values = Values(dtype, 7 * 11, seed: 67);
        var all = OutputFor(op, dtype);
        Cpu.Reduce(op, Transposed(dtype, values, 7, 11), 2, all);
        Expect(all, op, dtype, values, 1, 77, "everything to a scalar");

        // reducedDims = 0: one element per output (LogSumExp of one element is the element).
        var y = OutputFor(op, dtype, 7, 11);
        Cpu.Reduce(op, Transposed(dtype, values, 7, 11), 0, y);
        Expect(y, op, dtype, values, 77, 1, "no reduced dims");

        var scalar = OutputFor(op, dtype);
        Cpu.Reduce(op, Contiguous(dtype, [values[3]]), 0, scalar);
        Expect(scalar, op, dtype, [values[3]], 1, 1, "rank 0");

        // Reduced dims of size 1 only.
        var y1 = OutputFor(op, dtype, 7);
        Cpu.Reduce(op, Contiguous(dtype, values[..7], 7, 1, 1), 2, y1);
        Expect(y1, op, dtype, values[..7], 7, 1, "size-1 reduced dims");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void EmptyReductions(DType dtype)
    {
        var x = Contiguous(dtype, [], 3, 0);
        var y = Output(dtype, 3);
        Cpu.Reduce(ReduceOp.Sum, x, 1, y);
        Assert.That(Read(y), Is.All.EqualTo(0.0));
        Cpu.Reduce(ReduceOp.Mean, x, 1, y);
        Assert.That(Read(y), Is.All.NaN);
        Cpu.Reduce(ReduceOp.LogSumExp, x, 1, y);
        Assert.That(Read(y), Is.All.EqualTo(double.NegativeInfinity));
        foreach (var op in new[] { ReduceOp.Max, ReduceOp.Min, ReduceOp.ArgMax, ReduceOp.ArgMin })
        {
            var ex = Assert.Throws<ArgumentException>(() => Cpu.Reduce(op, x, 1, OutputFor(op, dtype, 3)));
            Assert.That(ex!.Message, Does.Contain(op.ToString()).And.Contain("[3, 0]"));
        }
        // No outputs: nothing to do, even for Max.
        Assert.DoesNotThrow(() => Cpu.Reduce(ReduceOp.Max, Contiguous(dtype, [], 0, 4), 1, Output(dtype, 0)));
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void NaN_Propagates_AndArgMaxFindsTheFirstNaN(DType dtype)
    {
        double nan = double.NaN;
        // Rows of 100 (vector path) with NaN at 70 and 80 in row 0; row 1 clean.
        var values = Rounded(dtype, Range(200, -1, 1, seed: 68));
        values[70] = nan;
        values[80] = nan;
        foreach (var op in Enum.GetValues<ReduceOp>())
        {
            var y = OutputFor(op, dtype, 2);
            Cpu.Reduce(op, Contiguous(dtype, values, 2, 100), 1, y);
            var got = Read(y);
            if (op is ReduceOp.ArgMax or ReduceOp.ArgMin) Assert.That(got[0], Is.EqualTo(70), op.ToString());
            else Assert.That(got[0], Is.NaN, op.ToString());
            Assert.That(got[1], Is.Not.NaN, op.ToString());

            // The same data as columns.
            var yc = OutputFor(op, dtype, 2);
            Cpu.Reduce(op, Transposed(dtype, values, 2, 100), 1, yc);
            if (op is ReduceOp.ArgMax or ReduceOp.ArgMin) Assert.That(Read(yc)[0], Is.EqualTo(70), op + " columns");
            else Assert.That(Read(yc)[0], Is.NaN, op + " columns");
        }
    }

    [Test]
    public void ArgMaxArgMin_TakeTheFirstOfTies()
    {
        var values = new double[] { 1, 5, 2, 5, -3, 0, -3, 5 };
        var y = Output(DType.Int32);
        Cpu.Reduce(ReduceOp.ArgMax, Contiguous(DType.Float32, values, 8), 1, y);
        Assert.That(Buffers.Read<int>(y)[0], Is.EqualTo(1));
        Cpu.Reduce(ReduceOp.ArgMin, Contiguous(DType.Float32, values, 8), 1, y);
        Assert.That(Buffers.Read<int>(y)[0], Is.EqualTo(4));

        // Flattened row-major index over two reduced dims: [2, 4] with the maximum at (1, 0) and (1, 3).
        Cpu.Reduce(ReduceOp.ArgMax, Contiguous(DType.Int32, [0, 1, 2, 3, 9, 4, 5, 9], 2, 4), 2, y);
        Assert.That(Buffers.Read<int>(y)[0], Is.EqualTo(4));
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void LogSumExp_IsStable(DType dtype)
    {
        var x = Contiguous(dtype, [1000, 1000, -1000, -1000, double.NegativeInfinity, double.NegativeInfinity, double.PositiveInfinity, 1], 4, 2);
        var y = Output(dtype, 4);
        Cpu.Reduce(ReduceOp.LogSumExp, x, 1, y);
        var got = Read(y);
        Assert.That(got[0], Is.EqualTo(1000 + Math.Log(2)).Within(1e-4));
        Assert.That(got[1], Is.EqualTo(-1000 + Math.Log(2)).Within(1e-4));
        Assert.That(got[2], Is.EqualTo(double.NegativeInfinity));
        Assert.That(got[3], Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void BadArguments_AreRejectedWithShapes()
    {
        var x = Contiguous(DType.Float32, new double[6], 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Reduce(ReduceOp.Sum, x, 1, Output(DType.Float32, 3)));
        Assert.That(ex!.Message, Does.Contain("[3]").And.Contain("[2, 3]"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Reduce(ReduceOp.ArgMax, x, 1, Output(DType.Float32, 2)));
        Assert.That(ex!.Message, Does.Contain("int32"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Reduce(ReduceOp.Mean, Contiguous(DType.Int32, new double[6], 2, 3), 1, Output(DType.Int32, 2)));
        Assert.That(ex!.Message, Does.Contain("Mean").And.Contain("int32"));
        Assert.Throws<ArgumentException>(() => Cpu.Reduce(ReduceOp.Sum, x, 3, Output(DType.Float32)));
        var gapped = new BufferView(Cpu.Allocate(DType.Float32, 4), 0, [2], [2]);
        ex = Assert.Throws<ArgumentException>(() => Cpu.Reduce(ReduceOp.Sum, x, 1, gapped));
        Assert.That(ex!.Message, Does.Contain("contiguous"));
    }
}
