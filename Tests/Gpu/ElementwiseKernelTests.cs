using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Unary, UnaryBackward, Binary, BinaryScalar and Where on the simulated GPU against the CPU reference: every
/// op and dtype, contiguous, offset, transposed, strided and broadcast views, special values, in place, and
/// bad input (the same exceptions from the shared backend contract; int32 division by zero through the device
/// error word).
/// </summary>
[TestFixture]
public class ElementwiseKernelTests : SimulatedGpuTest
{
    private static readonly int[][] Shapes = [[7], [3, 1, 5], [4, 6], [2, 3, 4], []];
    private static readonly Layout[] InputLayouts = [Layout.Contiguous, Layout.Offset, Layout.Transposed, Layout.Strided];
    private static readonly DType[] FloatTypes = [DType.Float32, DType.Float64];

    // One IEEE-exact operation per element on both sides (or none), with the same scalar form: bit-identical.
    private static readonly UnaryOp[] ExactUnary =
        [UnaryOp.Neg, UnaryOp.Abs, UnaryOp.Sign, UnaryOp.Sqrt, UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Clamp, UnaryOp.Reciprocal, UnaryOp.Square];

    /// <summary>
    /// Transcendental functions: the CPU evaluates .NET's SIMD Exp/Log/Sin/Cos (and fits built on them), the
    /// kernels the scalar Math functions that ILGPU maps them to (on a GPU: CUDA's, within 1–4 ulp); each is
    /// within a few ulp, and the composite ops (sigmoid, silu, gelu, elu, selu, softplus, the derivatives)
    /// combine up to three of them. rtol 1e-5 (about 80 float32 ulp) covers that with margin and still catches a
    /// wrong formula; atol 1e-6 covers results that cancel to near 0 (sin near π, gelu near 0). Float64: 1e-13 and
    /// 1e-14 on the same reasoning with 2^-53.
    /// </summary>
    private static (double Atol, double Rtol) Transcendental(DType dtype) => dtype == DType.Float32 ? (1e-6, 1e-5) : (1e-14, 1e-13);

    private static (double Alpha, double Beta) Parameters(UnaryOp op) => op switch
    {
        UnaryOp.LeakyRelu => (0.01, 0),
        UnaryOp.Elu => (1.3, 0),
        UnaryOp.Softplus => (2, 1.5),
        UnaryOp.PowScalar => (2.5, 0),
        UnaryOp.Clamp => (-0.3, 0.4),
        _ => (0, 0),
    };

    // Inside each function's domain: positive where log/sqrt/pow/reciprocal need it.
    private static double[] Inputs(UnaryOp op, int seed)
    {
        var x = Noise(256, seed).Select(v => 3 * v).ToArray();
        return op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.PowScalar or UnaryOp.Reciprocal ? x.Select(v => Math.Abs(v) + 0.05).ToArray() : x;
    }

    private static string Describe(int[] shape) => $"[{string.Join(", ", shape)}]";

    public static IEnumerable<TestCaseData> UnaryCases()
    {
        foreach (var op in Enum.GetValues<UnaryOp>())
            foreach (var dtype in FloatTypes)
                yield return new TestCaseData(op, dtype);
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryMatchesTheCpu(UnaryOp op, DType dtype)
    {
        var (atol, rtol) = ExactUnary.Contains(op) ? (0.0, 0.0) : Transcendental(dtype);
        var (alpha, beta) = Parameters(op);
        foreach (var shape in Shapes)
            foreach (var layout in InputLayouts)
            {
                var (xc, xg) = Pair(dtype, shape, layout, Inputs(op, 11));
                var (yc, yg) = Output(dtype, shape);
                Cpu.Unary(op, xc, yc, alpha, beta);
                Gpu.Unary(op, xg, yg, alpha, beta);
                AssertClose(yc, yg, atol, rtol, $"{op} {dtype} {layout} {Describe(shape)}");
            }
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryHandlesSpecialValuesLikeTheCpu(UnaryOp op, DType dtype)
    {
        double[] special = [0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-30, -1e-30, 80, -80, 1, -0.3, 0.4, 0.25, -0.49];
        var (atol, rtol) = ExactUnary.Contains(op) ? (0.0, 0.0) : Transcendental(dtype);
        var (alpha, beta) = Parameters(op);
        var (xc, xg) = Pair(dtype, [special.Length], Layout.Contiguous, special);
        var (yc, yg) = Output(dtype, special.Length);
        Cpu.Unary(op, xc, yc, alpha, beta);
        Gpu.Unary(op, xg, yg, alpha, beta);
        AssertClose(yc, yg, atol, rtol, $"{op} {dtype} on special values");
    }

    [Test]
    public void SignedZerosAndNaNKeepTheirMeaning()
    {
        // Abs(−0) is +0 and Relu/Maximum prefer +0 over −0, as .NET's Math: compared by sign, not only by value.
        double[] values = [-0.0, 0.0, double.NaN, -2];
        var (xc, xg) = Pair(DType.Float64, [4], Layout.Contiguous, values);
        foreach (var op in new[] { UnaryOp.Abs, UnaryOp.Relu, UnaryOp.Neg })
        {
            var (yc, yg) = Output(DType.Float64, 4);
            Cpu.Unary(op, xc, yc);
            Gpu.Unary(op, xg, yg);
            var expected = Read(yc).Select(double.IsNegative).ToArray();
            Assert.That(Read(yg).Select(double.IsNegative).ToArray(), Is.EqualTo(expected), $"{op}: signs");
        }
    }

    [Test]
    public void PowScalarUsesTheCpuFormsOfTheCommonExponents([Values(0, 1, 2, 3, 0.5, -1, -2.5)] double exponent)
    {
        var (xc, xg) = Pair(DType.Float32, [3, 5], Layout.Transposed, Inputs(UnaryOp.PowScalar, 3));
        var (yc, yg) = Output(DType.Float32, 3, 5);
        Cpu.Unary(UnaryOp.PowScalar, xc, yc, exponent);
        Gpu.Unary(UnaryOp.PowScalar, xg, yg, exponent);
        var (atol, rtol) = exponent is 0 or 1 or 2 or 3 or 0.5 or -1 ? (0.0, 0.0) : Transcendental(DType.Float32);
        AssertClose(yc, yg, atol, rtol, $"x^{exponent}");
    }

    [Test]
    public void UnaryInPlaceMatches([Values(UnaryOp.Exp, UnaryOp.Relu)] UnaryOp op)
    {
        var (c, g) = Pair(DType.Float32, [9, 7], Layout.Contiguous, Inputs(op, 5));
        Cpu.Unary(op, c, c);
        Gpu.Unary(op, g, g);
        var (atol, rtol) = ExactUnary.Contains(op) ? (0.0, 0.0) : Transcendental(DType.Float32);
        AssertClose(c, g, atol, rtol, $"{op} in place");
    }

    [Test]
    public void Int32UnaryMatches([Values(UnaryOp.Neg, UnaryOp.Abs, UnaryOp.Sign, UnaryOp.Square, UnaryOp.Clamp)] UnaryOp op)
    {
        double[] values = [.. Noise(60, 9).Select(v => 1000 * v), int.MinValue, int.MaxValue, 0, -100, 250, -101, 251];
        foreach (var layout in InputLayouts)
        {
            var (xc, xg) = Pair(DType.Int32, [13, 5], layout, values);
            var (yc, yg) = Output(DType.Int32, 13, 5);
            Cpu.Unary(op, xc, yc, -100.5, 250.5);
            Gpu.Unary(op, xg, yg, -100.5, 250.5);
            AssertClose(yc, yg, 0, 0, $"int32 {op} {layout}");
        }
    }

    [Test]
    public void Int32ClampFollowsTheCpuBoundsRules([Values(double.NaN, -3.5, 2.0)] double low, [Values(double.NaN, 4.5, 1e12)] double high)
    {
        double[] values = [-10, -4, -3, 0, 2, 4, 5, int.MaxValue, int.MinValue];
        var (xc, xg) = Pair(DType.Int32, [values.Length], Layout.Contiguous, values);
        var (yc, yg) = Output(DType.Int32, values.Length);
        Cpu.Unary(UnaryOp.Clamp, xc, yc, low, high);
        Gpu.Unary(UnaryOp.Clamp, xg, yg, low, high);
        AssertClose(yc, yg, 0, 0, $"int32 clamp [{low}, {high}]");
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryBackwardMatchesTheCpu(UnaryOp op, DType dtype)
    {
        // Neg's, Sign's, Relu's, LeakyRelu's and Clamp's derivatives are exact selections or negations.
        bool exact = op is UnaryOp.Neg or UnaryOp.Sign or UnaryOp.Relu or UnaryOp.LeakyRelu or UnaryOp.Clamp;
        var (atol, rtol) = exact ? (0.0, 0.0) : Transcendental(dtype);
        var (alpha, beta) = Parameters(op);
        foreach (var shape in Shapes)
            foreach (var layout in InputLayouts)
            {
                var (xc, xg) = Pair(dtype, shape, layout, Inputs(op, 21));
                var (gc, gg) = Pair(dtype, shape, Layout.Transposed, Noise(64, 22));
                var (dc, dg) = Output(dtype, shape);
                Cpu.UnaryBackward(op, xc, gc, dc, alpha, beta);
                Gpu.UnaryBackward(op, xg, gg, dg, alpha, beta);
                AssertClose(dc, dg, atol, rtol, $"{op}' {dtype} {layout} {Describe(shape)}");
            }
    }

    public static IEnumerable<TestCaseData> BinaryCases()
    {
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.Int32 })
                if (!(op == BinaryOp.Pow && dtype == DType.Int32))
                    yield return new TestCaseData(op, dtype);
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryMatchesTheCpu(BinaryOp op, DType dtype)
    {
        // Pow is transcendental; every other op is one exact IEEE (or integer) operation.
        var (atol, rtol) = op == BinaryOp.Pow ? Transcendental(dtype) : (0.0, 0.0);
        double scale = dtype == DType.Int32 ? 50 : 2;
        var a = Noise(128, 31).Select(v => op == BinaryOp.Pow ? Math.Abs(v) + 0.1 : scale * v).ToArray();
        // Integer divisors avoid 0; shared values make the comparisons hit equality.
        var b = Noise(128, 32).Select((v, i) => i % 5 == 0 ? a[i]
            : dtype == DType.Int32 && op == BinaryOp.Div ? Math.Round(scale * v) is 0 ? 3 : Math.Round(scale * v) : scale * v).ToArray();
        foreach (var shape in new[] { new[] { 7 }, [4, 6], [2, 3, 4] })
            foreach (var (la, lb) in new[] { (Layout.Contiguous, Layout.Contiguous), (Layout.Transposed, Layout.Broadcast), (Layout.Broadcast, Layout.Strided), (Layout.Offset, Layout.Transposed) })
            {
                var (ac, ag) = Pair(dtype, shape, la, a);
                var (bc, bg) = Pair(dtype, shape, lb, b);
                var (yc, yg) = Output(dtype, shape);
                Cpu.Binary(op, ac, bc, yc);
                Gpu.Binary(op, ag, bg, yg);
                AssertClose(yc, yg, atol, rtol, $"{op} {dtype} {la}/{lb} {Describe(shape)}");
            }
    }

    [Test]
    public void MaximumAndMinimumKeepNaNAndOrderSignedZeros([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        double[] a = [1, double.NaN, -2, 0, -0.0, double.PositiveInfinity, 3, -0.0, double.NaN];
        double[] b = [2, 1, double.NaN, -0.0, 0, 5, double.NegativeInfinity, -0.0, double.NaN];
        foreach (var op in new[] { BinaryOp.Maximum, BinaryOp.Minimum })
        {
            var (ac, ag) = Pair(dtype, [a.Length], Layout.Contiguous, a);
            var (bc, bg) = Pair(dtype, [b.Length], Layout.Contiguous, b);
            var (yc, yg) = Output(dtype, a.Length);
            Cpu.Binary(op, ac, bc, yc);
            Gpu.Binary(op, ag, bg, yg);
            AssertClose(yc, yg, 0, 0, $"{op} {dtype}");
            Assert.That(Read(yg).Select(double.IsNegative).ToArray(), Is.EqualTo(Read(yc).Select(double.IsNegative).ToArray()), $"{op} {dtype}: signs");
        }
    }

    [Test]
    public void BinaryInPlaceMatches()
    {
        var (ac, ag) = Pair(DType.Float32, [5, 6], Layout.Contiguous, Noise(30, 1));
        var (bc, bg) = Pair(DType.Float32, [5, 6], Layout.Broadcast, Noise(30, 2));
        Cpu.Binary(BinaryOp.Mul, ac, bc, ac);
        Gpu.Binary(BinaryOp.Mul, ag, bg, ag);
        AssertClose(ac, ag, 0, 0, "a *= b");
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryScalarMatchesTheCpu(BinaryOp op, DType dtype)
    {
        var (atol, rtol) = op == BinaryOp.Pow ? Transcendental(dtype) : (0.0, 0.0);
        double scale = dtype == DType.Int32 ? 50 : 2;
        foreach (bool scalarFirst in new[] { false, true })
        {
            double s = op == BinaryOp.Pow ? (scalarFirst ? 1.7 : -1.3) : dtype == DType.Int32 ? -3.9 : -0.75;
            // Positive Pow bases, no zero int32 divisors, and elements equal to the scalar for the comparisons.
            var a = Noise(128, 33).Select((v, i) => i % 5 == 0 ? (dtype == DType.Int32 ? -3 : s)
                : op == BinaryOp.Pow && !scalarFirst ? Math.Abs(v) + 0.1
                : dtype == DType.Int32 && Math.Round(scale * v) is 0 ? 3 : scale * v).ToArray();
            foreach (var shape in new[] { new[] { 7 }, [4, 6], [2, 3, 4], [] })
                foreach (var layout in InputLayouts.Append(Layout.Broadcast))
                {
                    var (ac, ag) = Pair(dtype, shape, layout, a);
                    var (yc, yg) = Output(dtype, shape);
                    Cpu.BinaryScalar(op, ac, s, scalarFirst, yc);
                    Gpu.BinaryScalar(op, ag, s, scalarFirst, yg);
                    AssertClose(yc, yg, atol, rtol, $"{op} {dtype} scalarFirst={scalarFirst} {layout} {Describe(shape)}");
                }
        }
    }

    [Test]
    public void BinaryScalarEqualsBinaryWithABroadcastScalar([Values(BinaryOp.Sub, BinaryOp.Div, BinaryOp.Pow, BinaryOp.Maximum, BinaryOp.Less)] BinaryOp op,
        [Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool scalarFirst)
    {
        // IBackend's contract: exactly Binary with s stored in a 1-element array of a's dtype and broadcast.
        const double s = 0.1; // not exact in float32: the conversion is part of what is compared
        var (_, ag) = Pair(dtype, [3, 4], Layout.Transposed, Noise(12, 4).Select(v => Math.Abs(v) + 0.2).ToArray());
        var sg = TestViews.Make(Gpu, dtype, [1], Layout.Contiguous, [s]).WithLayout([3, 4], [0, 0], 0);
        var (_, viaBinary) = Output(dtype, 3, 4);
        var (_, viaScalar) = Output(dtype, 3, 4);
        if (scalarFirst) Gpu.Binary(op, sg, ag, viaBinary); else Gpu.Binary(op, ag, sg, viaBinary);
        Gpu.BinaryScalar(op, ag, s, scalarFirst, viaScalar);
        Assert.That(Read(viaScalar), Is.EqualTo(Read(viaBinary)), $"{op} {dtype} scalarFirst={scalarFirst}");
    }

    [Test]
    public void BinaryScalarSpecialValuesAndInPlaceMatch([Values(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 3e9)] double s,
        [Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        double[] values = dtype == DType.Int32 ? [1, -2, 5, 7, int.MaxValue, int.MinValue] : [1, -2, 0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 7];
        foreach (var op in new[] { BinaryOp.Add, BinaryOp.Mul, BinaryOp.Maximum, BinaryOp.Minimum, BinaryOp.Less, BinaryOp.Equal })
            foreach (bool scalarFirst in new[] { false, true })
            {
                var (c, g) = Pair(dtype, [values.Length], Layout.Contiguous, values);
                Cpu.BinaryScalar(op, c, s, scalarFirst, c);
                Gpu.BinaryScalar(op, g, s, scalarFirst, g);
                AssertClose(c, g, 0, 0, $"{op} {dtype} with {s} in place, scalarFirst={scalarFirst}");
            }
    }

    [Test]
    public void Int32DivisionByZeroThrowsAtTheNextSynchronisation()
    {
        var a = TestViews.Make(Gpu, DType.Int32, [4], Layout.Contiguous, [7, 8, 9, 10]);
        var b = TestViews.Make(Gpu, DType.Int32, [4], Layout.Contiguous, [1, 2, 0, 5]);
        var (_, y) = Output(DType.Int32, 4);
        Gpu.Binary(BinaryOp.Div, a, b, y);
        Assert.Throws<DivideByZeroException>(() => Gpu.Synchronize());
        Assert.DoesNotThrow(() => Gpu.Synchronize(), "the error is reported once");

        // A scalar dividend over a zero element fails the same way; a zero scalar divisor fails at the call.
        Gpu.BinaryScalar(BinaryOp.Div, b, 12, scalarFirst: true, y);
        Assert.Throws<DivideByZeroException>(() => Gpu.Synchronize());
        Assert.Throws<DivideByZeroException>(() => Gpu.BinaryScalar(BinaryOp.Div, a, 0.7, scalarFirst: false, y));
        Assert.Throws<DivideByZeroException>(() => Cpu.BinaryScalar(BinaryOp.Div, Pair(DType.Int32, [4], Layout.Contiguous, [1]).Cpu, 0.7, false, Output(DType.Int32, 4).Cpu));
    }

    [Test]
    public void Int32DivisionTruncatesLikeTheCpu()
    {
        double[] a = [7, -7, 7, -7, 0, int.MaxValue, int.MinValue, 1];
        double[] b = [2, 2, -2, -2, 5, 3, 7, -1];
        var (ac, ag) = Pair(DType.Int32, [8], Layout.Contiguous, a);
        var (bc, bg) = Pair(DType.Int32, [8], Layout.Strided, b);
        var (yc, yg) = Output(DType.Int32, 8);
        Cpu.Binary(BinaryOp.Div, ac, bc, yc);
        Gpu.Binary(BinaryOp.Div, ag, bg, yg);
        AssertClose(yc, yg, 0, 0, "int32 division");
    }

    [Test]
    public void WhereMatchesTheCpu([Values(DType.Float32, DType.Float64, DType.Int32)] DType condition,
        [Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        double[] conditions = [0, 1, 0, -2, double.NaN, 0, 0.5, -0.0];
        foreach (var shape in new[] { new[] { 8 }, [4, 6], [2, 3, 4] })
        {
            var (cc, cg) = Pair(condition, shape, Layout.Transposed, conditions);
            var (ac, ag) = Pair(dtype, shape, Layout.Contiguous, Noise(64, 1).Select(v => 10 * v).ToArray());
            var (bc, bg) = Pair(dtype, shape, Layout.Broadcast, Noise(64, 2).Select(v => 10 * v).ToArray());
            var (yc, yg) = Output(dtype, shape);
            Cpu.Where(cc, ac, bc, yc);
            Gpu.Where(cg, ag, bg, yg);
            AssertClose(yc, yg, 0, 0, $"where {condition}/{dtype} {Describe(shape)}");
        }
    }

    // ---- bad input: the shared contract, the same exception and message on both backends ------------

    private static void ThrowsAlike<TException>(Action<Scratch.Kernels.IBackend, Func<DType, int[], BufferView>> call, string what) where TException : Exception
    {
        var onCpu = Assert.Throws<TException>(() => call(Cpu, (d, s) => Pair(d, s, Layout.Contiguous, [1]).Cpu))!;
        var onGpu = Assert.Throws<TException>(() => call(Gpu, (d, s) => Pair(d, s, Layout.Contiguous, [1]).Gpu))!;
        Assert.That(onGpu.Message, Is.EqualTo(onCpu.Message), what);
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        ThrowsAlike<ArgumentException>((be, v) => be.Unary(UnaryOp.Exp, v(DType.Float32, [3]), v(DType.Float32, [4])), "unary shapes");
        ThrowsAlike<ArgumentException>((be, v) => be.Unary(UnaryOp.Exp, v(DType.Float32, [3]), v(DType.Float64, [3])), "unary dtypes");
        ThrowsAlike<ArgumentException>((be, v) => be.Unary(UnaryOp.Exp, v(DType.Int32, [3]), v(DType.Int32, [3])), "int32 exp");
        ThrowsAlike<ArgumentException>((be, v) => be.Unary(UnaryOp.Softplus, v(DType.Float32, [3]), v(DType.Float32, [3]), 0, 20), "softplus beta 0");
        ThrowsAlike<ArgumentException>((be, v) => be.UnaryBackward(UnaryOp.Neg, v(DType.Int32, [3]), v(DType.Int32, [3]), v(DType.Int32, [3])), "int32 gradient");
        ThrowsAlike<ArgumentException>((be, v) => be.UnaryBackward(UnaryOp.Exp, v(DType.Float32, [3]), v(DType.Float32, [2]), v(DType.Float32, [3])), "gy shape");
        ThrowsAlike<ArgumentException>((be, v) => be.Binary(BinaryOp.Add, v(DType.Float32, [3]), v(DType.Float32, [2]), v(DType.Float32, [3])), "binary shapes");
        ThrowsAlike<ArgumentException>((be, v) => be.Binary(BinaryOp.Add, v(DType.Float32, [3]), v(DType.Int32, [3]), v(DType.Float32, [3])), "binary dtypes");
        ThrowsAlike<ArgumentException>((be, v) => be.Binary(BinaryOp.Pow, v(DType.Int32, [3]), v(DType.Int32, [3]), v(DType.Int32, [3])), "int32 pow");
        ThrowsAlike<ArgumentException>((be, v) => be.BinaryScalar(BinaryOp.Pow, v(DType.Int32, [3]), 2, false, v(DType.Int32, [3])), "int32 scalar pow");
        ThrowsAlike<DivideByZeroException>((be, v) => be.BinaryScalar(BinaryOp.Div, v(DType.Int32, [3]), 0.5, false, v(DType.Int32, [3])), "int32 / 0");
        ThrowsAlike<ArgumentException>((be, v) => be.Where(v(DType.Int32, [3]), v(DType.Float32, [3]), v(DType.Float64, [3]), v(DType.Float32, [3])), "where dtypes");
        ThrowsAlike<ArgumentException>((be, v) => be.Where(v(DType.Int32, [2]), v(DType.Float32, [3]), v(DType.Float32, [3]), v(DType.Float32, [3])), "where shapes");
        ThrowsAlike<ArgumentException>((be, v) => be.Unary(UnaryOp.Neg, v(DType.Float32, [4]).WithLayout([4], [2], 0), v(DType.Float32, [4])), "overrun");
    }
}
