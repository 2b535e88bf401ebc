using NUnit.Framework;
using Scratch.Tests.Support;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using static Scratch.Tests.Kernels.Elementwise.TestViews;

namespace Scratch.Tests.Kernels.Elementwise;

public class UnaryKernelTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    private static IEnumerable<TestCaseData> FloatCases()
    {
        foreach (var c in UnaryReference.Cases())
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                yield return new TestCaseData(c, dtype).SetArgDisplayNames(c.ToString(), dtype.ToString());
    }

    private static (double Rtol, double Atol) Tolerance(DType dtype, UnaryCase c)
        => dtype == DType.Float32 ? (4e-6, 1e-6) : c.Op == UnaryOp.Gelu ? (1e-12, 1e-12) : (1e-13, 1e-14);

    [TestCaseSource(nameof(FloatCases))]
    public void MatchesReference_InEveryLayout(UnaryCase c, DType dtype)
    {
        var (rtol, atol) = Tolerance(dtype, c);
        // 301 elements: whole vectors plus a tail, for both widths.
        var values = Rounded(dtype, Range(301, c.Low, c.High, seed: 1));
        var expected = Array.ConvertAll(values, v => c.Reference(v));

        var x = Contiguous(dtype, values, 301);
        var y = Output(dtype, 301);
        Cpu.Unary(c.Op, x, y, c.Alpha, c.Beta);
        AssertClose(Read(y), expected, rtol, atol, "contiguous");

        // In place: y is exactly x.
        Cpu.Unary(c.Op, x, x, c.Alpha, c.Beta);
        AssertClose(Read(x), expected, rtol, atol, "in place");

        // Transposed input [7, 43] with strides [1, 7], contiguous output.
        var xt = Transposed(dtype, values, 7, 43);
        var yt = Output(dtype, 7, 43);
        Cpu.Unary(c.Op, xt, yt, c.Alpha, c.Beta);
        AssertClose(Read(yt), expected, rtol, atol, "transposed");

        // Broadcast: a row of 43 repeated 7 times (stride 0), and one scalar everywhere.
        var row = values[..43];
        var xb = Broadcast(dtype, row, [7, 43], [0, 1], 2);
        var yb = Output(dtype, 7, 43);
        Cpu.Unary(c.Op, xb, yb, c.Alpha, c.Beta);
        AssertClose(Read(yb), Enumerable.Range(0, 7 * 43).Select(i => c.Reference(row[i % 43])).ToArray(), rtol, atol, "row broadcast");
        var xs = Broadcast(dtype, [values[5]], [3, 4], [0, 0], 1);
        var ys = Output(dtype, 3, 4);
        Cpu.Unary(c.Op, xs, ys, c.Alpha, c.Beta);
        AssertClose(Read(ys), Enumerable.Repeat(c.Reference(values[5]), 12).ToArray(), rtol, atol, "scalar broadcast");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Tails_AreFiniteAndExact(DType dtype)
    {
        double[] xs = [-1000, -100, -30, 30, 100, 1000];
        Check(UnaryOp.Tanh, xs, [-1, -1, -1, 1, 1, 1]);
        Check(UnaryOp.Sigmoid, xs, xs.Select(x => x < 0 ? Math.Exp(x) / (1 + Math.Exp(x)) : 1 / (1 + Math.Exp(-x))).ToArray());
        Check(UnaryOp.Silu, [-1000, 1000], [0, 1000]);
        Check(UnaryOp.Exp, [double.NegativeInfinity, 0, 1000], [0, 1, double.PositiveInfinity]);
        Check(UnaryOp.Log, [0, -1, double.PositiveInfinity], [double.NegativeInfinity, double.NaN, double.PositiveInfinity]);
        Check(UnaryOp.Softplus, [-1000, 1000], [0, 1000], 1, 20);
        Check(UnaryOp.Elu, [-1000], [-1], 1);
        // Standard normal tail values Φ(−3) = 1.349898031630e-3, Φ(−6) = 9.865876450377e-10 keep their digits.
        Check(UnaryOp.Gelu, [-40, 40, -3, -6], [0, 40, -3 * 1.349898031630e-3, -6 * 9.865876450377e-10]);

        void Check(UnaryOp op, double[] input, double[] expected, double alpha = 0, double beta = 0)
        {
            var x = Contiguous(dtype, input, input.Length);
            var y = Output(dtype, input.Length);
            Cpu.Unary(op, x, y, alpha, beta);
            // Relative tolerance only: tiny tails (sigmoid(-100) ≈ 4e-44) must keep their digits, not flush to 0.
            var got = Read(y);
            var want = Rounded(dtype, expected);
            for (int i = 0; i < want.Length; i++)
            {
                if (double.IsNaN(want[i]) || double.IsInfinity(want[i])) { Assert.That(got[i], Is.EqualTo(want[i]), $"{op}({input[i]})"); continue; }
                Assert.That(got[i], Is.EqualTo(want[i]).Within(1e-5 * Math.Abs(want[i])), $"{op}({input[i]})");
            }
        }
    }

    [TestCase(UnaryOp.Exp)]
    [TestCase(UnaryOp.Tanh)]
    [TestCase(UnaryOp.Sigmoid)]
    [TestCase(UnaryOp.Relu)]
    [TestCase(UnaryOp.Clamp)]
    [TestCase(UnaryOp.Abs)]
    [TestCase(UnaryOp.Gelu)]
    [TestCase(UnaryOp.Softplus)]
    public void NaN_Propagates(UnaryOp op)
    {
        var x = Contiguous(DType.Float32, [double.NaN, 1, double.NaN], 3);
        var y = Output(DType.Float32, 3);
        Cpu.Unary(op, x, y, op == UnaryOp.Softplus ? 1 : -1, op == UnaryOp.Softplus ? 20 : 1);
        var got = Read(y);
        Assert.That(got[0], Is.NaN);
        Assert.That(got[2], Is.NaN);
        Assert.That(got[1], Is.Not.NaN);
    }

    [Test]
    public void Int32_NegAbsSignSquareClamp()
    {
        double[] values = [int.MinValue, -7, -1, 0, 1, 5, 46340, int.MaxValue];
        Check(UnaryOp.Neg, 0, 0, v => unchecked(-v));
        Check(UnaryOp.Abs, 0, 0, v => v < 0 ? unchecked(-v) : v);
        Check(UnaryOp.Sign, 0, 0, Math.Sign);
        Check(UnaryOp.Square, 0, 0, v => unchecked(v * v));
        Check(UnaryOp.Clamp, -2, 3, v => Math.Min(Math.Max(v, -2), 3));
        // Fractional bounds clamp to the integers inside them.
        Check(UnaryOp.Clamp, -2.5, 3.5, v => Math.Min(Math.Max(v, -2), 3));

        void Check(UnaryOp op, double alpha, double beta, Func<int, int> reference)
        {
            var x = Contiguous(DType.Int32, values, values.Length);
            var y = Output(DType.Int32, values.Length);
            Cpu.Unary(op, x, y, alpha, beta);
            Assert.That(Buffers.Read<int>(y), Is.EqualTo(values.Select(v => reference((int)v)).ToArray()), op.ToString());
        }
    }

    [Test]
    public void Int32_ExpIsRejectedWithTheOpName()
    {
        var x = Contiguous(DType.Int32, [1, 2], 2);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Unary(UnaryOp.Exp, x, Output(DType.Int32, 2)));
        Assert.That(ex!.Message, Does.Contain("Exp").And.Contain("int32"));
    }

    [Test]
    public void LongContiguousRun_IsSplitAcrossThreadsWithIdenticalResults()
    {
        var values = Range(200_003, -5, 5, seed: 9);
        var x = Contiguous(DType.Float32, values, values.Length);
        var one = Output(DType.Float32, values.Length);
        var two = Output(DType.Float32, values.Length);
        int threads = CpuParallel.ThreadCount;
        try
        {
            CpuParallel.ThreadCount = 1;
            Cpu.Unary(UnaryOp.Tanh, x, one);
            CpuParallel.ThreadCount = 3;
            Cpu.Unary(UnaryOp.Tanh, x, two);
        }
        finally
        {
            CpuParallel.ThreadCount = threads;
        }
        Assert.That(Buffers.Read<float>(two), Is.EqualTo(Buffers.Read<float>(one)));
        AssertClose(Read(one), Array.ConvertAll(Rounded(DType.Float32, values), Math.Tanh), 4e-6, 1e-6, "tanh");
    }

    [Test]
    public void ScalarAndEmptyViews()
    {
        var x = Contiguous(DType.Float64, [2.0]);
        var y = Output(DType.Float64);
        Cpu.Unary(UnaryOp.Sqrt, x, y);
        Assert.That(Read(y), Is.EqualTo(new[] { Math.Sqrt(2) }));

        var empty = Contiguous(DType.Float32, [], 0, 3);
        Assert.DoesNotThrow(() => Cpu.Unary(UnaryOp.Exp, empty, Output(DType.Float32, 0, 3)));
    }

    [Test]
    public void MismatchedShapes_AreRejected()
    {
        var x = Contiguous(DType.Float32, new double[6], 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Unary(UnaryOp.Exp, x, Output(DType.Float32, 3, 2)));
        Assert.That(ex!.Message, Does.Contain("[3, 2]").And.Contain("[2, 3]"));
    }
}
