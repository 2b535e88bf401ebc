using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;
using static Scratch.Tests.Kernels.Elementwise.TestViews;

namespace Scratch.Tests.Kernels.Elementwise;

public class UnaryBackwardKernelTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    private static IEnumerable<TestCaseData> FloatCases()
    {
        foreach (var c in UnaryReference.Cases())
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                yield return new TestCaseData(c, dtype).SetArgDisplayNames(c.ToString(), dtype.ToString());
    }

    /// <summary>gx = gy·f′(x) against a central difference of the float64 reference, away from kinks.</summary>
    [TestCaseSource(nameof(FloatCases))]
    public void MatchesFiniteDifferenceOfReference(UnaryCase c, DType dtype)
    {
        double span = c.High - c.Low;
        var candidates = Rounded(dtype, Range(400, c.Low, c.High, seed: 3));
        var xs = candidates.Where(v => c.Kinks.All(k => Math.Abs(v - k) > 1e-3 * Math.Max(1, span))).Take(301).ToArray();
        var gys = Rounded(dtype, Range(xs.Length, -1, 1, seed: 4));
        var expected = xs.Select((v, i) => c.Op == UnaryOp.Sign ? 0 : gys[i] * UnaryReference.Derivative(c.Reference, v)).ToArray();
        var (rtol, atol) = dtype == DType.Float32 ? (2e-5, 2e-6) : (1e-6, 1e-7);

        var x = Contiguous(dtype, xs, xs.Length);
        var gy = Contiguous(dtype, gys, gys.Length);
        var gx = Output(dtype, xs.Length);
        Cpu.UnaryBackward(c.Op, x, gy, gx, c.Alpha, c.Beta);
        AssertClose(Read(gx), expected, rtol, atol, "contiguous");

        // Strided: x transposed, gy broadcast along rows, gx written in place over gy's copy.
        int rows = 7, cols = xs.Length / rows;
        var xsUsed = xs[..(rows * cols)];
        var xt = Transposed(dtype, xsUsed, rows, cols);
        var gyRow = gys[..cols];
        var gyb = Broadcast(dtype, gyRow, [rows, cols], [0, 1], 0);
        var gxt = Output(dtype, rows, cols);
        Cpu.UnaryBackward(c.Op, xt, gyb, gxt, c.Alpha, c.Beta);
        var expectedStrided = xsUsed.Select((v, i) => c.Op == UnaryOp.Sign ? 0 : gyRow[i % cols] * UnaryReference.Derivative(c.Reference, v)).ToArray();
        AssertClose(Read(gxt), expectedStrided, rtol, atol, "strided");

        var gyInPlace = Contiguous(dtype, gys, gys.Length);
        Cpu.UnaryBackward(c.Op, x, gyInPlace, gyInPlace, c.Alpha, c.Beta);
        AssertClose(Read(gyInPlace), expected, rtol, atol, "in place");
    }

    [TestCase(DType.Float32)]
    [TestCase(DType.Float64)]
    public void Kinks_FollowPyTorch(DType dtype)
    {
        // Relu'(0) = 0, Abs'(0) = 0, Clamp' = 1 on both bounds, LeakyRelu'(0) = slope, Sign' = 0, d/dx x^0 = 0.
        Check(UnaryOp.Relu, [0, -1, 2], [0, 0, 1]);
        Check(UnaryOp.Abs, [0, -1, 2], [0, -1, 1]);
        Check(UnaryOp.Clamp, [-0.5, 0.75, -0.50001, 0.75001, 0], [1, 1, 0, 0, 1], -0.5, 0.75);
        Check(UnaryOp.LeakyRelu, [0, 1], [0.25, 1], 0.25);
        Check(UnaryOp.Sign, [0, -3, 3], [0, 0, 0]);
        Check(UnaryOp.PowScalar, [0, 2, -3], [0, 0, 0], 0);

        void Check(UnaryOp op, double[] input, double[] expected, double alpha = 0, double beta = 0)
        {
            var x = Contiguous(dtype, input, input.Length);
            var gy = Contiguous(dtype, Enumerable.Repeat(1.0, input.Length).ToArray(), input.Length);
            var gx = Output(dtype, input.Length);
            Cpu.UnaryBackward(op, x, gy, gx, alpha, beta);
            Assert.That(Read(gx), Is.EqualTo(Rounded(dtype, expected)).Within(1e-6), op.ToString());
        }
    }

    [Test]
    public void Int32_IsRejected()
    {
        var x = Contiguous(DType.Int32, [1, 2], 2);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.UnaryBackward(UnaryOp.Neg, x, x, Output(DType.Int32, 2)));
        Assert.That(ex!.Message, Does.Contain("Neg").And.Contain("int32"));
    }

    [Test]
    public void ScalarAndEmptyViews()
    {
        var x = Contiguous(DType.Float64, [3.0]);
        var gy = Contiguous(DType.Float64, [2.0]);
        var gx = Output(DType.Float64);
        Cpu.UnaryBackward(UnaryOp.Square, x, gy, gx);
        Assert.That(Read(gx), Is.EqualTo(new[] { 12.0 }));

        var empty = Contiguous(DType.Float32, [], 4, 0);
        Assert.DoesNotThrow(() => Cpu.UnaryBackward(UnaryOp.Tanh, empty, empty, Output(DType.Float32, 4, 0)));
    }
}
