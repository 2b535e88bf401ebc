using NUnit.Framework;
using Scratch.Kernels;

namespace Scratch.Tests.Cuda;

/// <summary>Fill, Copy, Unary, UnaryBackward, Binary and Where: CUDA against the CPU reference.</summary>
[TestFixture, Category("Gpu")]
public class CudaElementwiseParityTests : CudaParityTest
{
    private static readonly int[][] Shapes = [[7], [3, 1, 5], [4, 6], [37, 29], [2, 3, 4], []];
    private static readonly Layout[] InputLayouts = [Layout.Contiguous, Layout.Offset, Layout.Transposed, Layout.Strided];
    private static readonly DType[] FloatTypes = [DType.Float32, DType.Float64];

    // Ops computed with one IEEE-exact operation per element on both sides (or none): bit-identical.
    private static readonly UnaryOp[] ExactUnary =
        [UnaryOp.Neg, UnaryOp.Abs, UnaryOp.Sign, UnaryOp.Sqrt, UnaryOp.Relu, UnaryOp.LeakyRelu, UnaryOp.Clamp, UnaryOp.Reciprocal, UnaryOp.Square];

    /// <summary>
    /// Tolerance of the transcendental functions: CUDA's single-precision functions are within 1–4 ulp
    /// (CUDA C Programming Guide, "Mathematical Functions"), the CPU's SIMD approximations within a few
    /// ulp, and the composite ops (sigmoid, silu, gelu, elu, selu, softplus and the backward formulas)
    /// combine up to three of them; rtol 1e-5 (≈ 80 float32 ulp) covers that with margin but catches
    /// any formula error, and atol 1e-6 covers results that cancel to near 0 (sin near π, gelu near 0).
    /// Float64: 1e-13 relative, 1e-14 absolute, on the same reasoning with 2^-53.
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

    // Inputs inside each function's domain: positive where log/sqrt/pow/reciprocal need it.
    private static double[] Inputs(UnaryOp op, int seed)
    {
        var x = Noise(4096, seed).Select(v => 3 * v).ToArray();
        return op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.PowScalar or UnaryOp.Reciprocal
            ? x.Select(v => Math.Abs(v) + 0.05).ToArray()
            : x;
    }

    public static IEnumerable<TestCaseData> UnaryCases()
    {
        foreach (var op in Enum.GetValues<UnaryOp>())
            foreach (var dtype in FloatTypes)
                yield return new TestCaseData(op, dtype);
    }

    [Test]
    public void FillMatches([Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype,
        [Values(0, 1.5, -2.7, double.NaN)] double value,
        [Values(Layout.Contiguous, Layout.Offset, Layout.Transposed, Layout.Strided)] Layout layout)
    {
        foreach (var shape in Shapes)
        {
            var (c, g) = Pair(dtype, shape, layout, [9]);
            Cpu.Fill(c, value);
            Gpu.Fill(g, value);
            AssertClose(c, g, 0, 0, $"fill {dtype} {value} {layout} [{string.Join(", ", shape)}]");
        }
    }

    [Test]
    public void CopyConvertsLikeTheCpu([Values(DType.Float32, DType.Float64, DType.Int32)] DType from,
        [Values(DType.Float32, DType.Float64, DType.Int32)] DType to,
        [Values(Layout.Contiguous, Layout.Transposed, Layout.Strided, Layout.Broadcast)] Layout layout)
    {
        // Includes values that truncate, saturate (3e9 → int.MaxValue) and NaN (→ 0).
        double[] values = [.. Noise(500, 3).Select(v => 100 * v), 3e9, -3e9, double.NaN, 2.5, -2.5];
        foreach (var shape in Shapes)
        {
            var (xc, xg) = Pair(from, shape, layout, values);
            var (yc, yg) = Output(to, shape);
            Cpu.Copy(xc, yc);
            Gpu.Copy(xg, yg);
            AssertClose(yc, yg, 0, 0, $"copy {from} -> {to} {layout} [{string.Join(", ", shape)}]");
        }
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryMatches(UnaryOp op, DType dtype)
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
                AssertClose(yc, yg, atol, rtol, $"{op} {dtype} {layout} [{string.Join(", ", shape)}]");
            }
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryHandlesSpecialValuesLikeTheCpu(UnaryOp op, DType dtype)
    {
        double[] special = [0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 1e-30, -1e-30, 80, -80, 1];
        var (atol, rtol) = ExactUnary.Contains(op) ? (0.0, 0.0) : Transcendental(dtype);
        var (alpha, beta) = Parameters(op);
        var (xc, xg) = Pair(dtype, [special.Length], Layout.Contiguous, special);
        var (yc, yg) = Output(dtype, special.Length);
        Cpu.Unary(op, xc, yc, alpha, beta);
        Gpu.Unary(op, xg, yg, alpha, beta);
        AssertClose(yc, yg, atol, rtol, $"{op} {dtype} on special values");
    }

    [Test]
    public void UnaryInPlaceMatches([Values(UnaryOp.Exp, UnaryOp.Relu)] UnaryOp op)
    {
        var (c, g) = Pair(DType.Float32, [33, 17], Layout.Contiguous, Inputs(op, 5));
        Cpu.Unary(op, c, c);
        Gpu.Unary(op, g, g);
        var (atol, rtol) = ExactUnary.Contains(op) ? (0.0, 0.0) : Transcendental(DType.Float32);
        AssertClose(c, g, atol, rtol, $"{op} in place");
    }

    [Test]
    public void Int32UnaryMatches([Values(UnaryOp.Neg, UnaryOp.Abs, UnaryOp.Sign, UnaryOp.Square, UnaryOp.Clamp)] UnaryOp op)
    {
        double[] values = [.. Noise(300, 9).Select(v => 1000 * v), int.MinValue, int.MaxValue, 0];
        foreach (var layout in InputLayouts)
        {
            var (xc, xg) = Pair(DType.Int32, [13, 7], layout, values);
            var (yc, yg) = Output(DType.Int32, 13, 7);
            Cpu.Unary(op, xc, yc, -100.5, 250.5);
            Gpu.Unary(op, xg, yg, -100.5, 250.5);
            AssertClose(yc, yg, 0, 0, $"int32 {op} {layout}");
        }
    }

    [TestCaseSource(nameof(UnaryCases))]
    public void UnaryBackwardMatches(UnaryOp op, DType dtype)
    {
        // Sign's, Relu's, LeakyRelu's, Clamp's and Neg's derivatives are exact selections or negations.
        bool exact = op is UnaryOp.Neg or UnaryOp.Sign or UnaryOp.Relu or UnaryOp.LeakyRelu or UnaryOp.Clamp;
        var (atol, rtol) = exact ? (0.0, 0.0) : Transcendental(dtype);
        var (alpha, beta) = Parameters(op);
        foreach (var shape in Shapes)
            foreach (var layout in InputLayouts)
            {
                var (xc, xg) = Pair(dtype, shape, layout, Inputs(op, 21));
                var (gc, gg) = Pair(dtype, shape, Layout.Transposed, Noise(512, 22));
                var (dc, dg) = Output(dtype, shape);
                Cpu.UnaryBackward(op, xc, gc, dc, alpha, beta);
                Gpu.UnaryBackward(op, xg, gg, dg, alpha, beta);
                AssertClose(dc, dg, atol, rtol, $"{op}' {dtype} {layout} [{string.Join(", ", shape)}]");
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
    public void BinaryMatches(BinaryOp op, DType dtype)
    {
        // Pow goes through powf/pow (transcendental); every other op is one exact IEEE operation.
        var (atol, rtol) = op == BinaryOp.Pow ? Transcendental(dtype) : (0.0, 0.0);
        double scale = dtype == DType.Int32 ? 50 : 2;
        var a = Noise(2048, 31).Select(v => op == BinaryOp.Pow ? Math.Abs(v) + 0.1 : scale * v).ToArray();
        // Integer divisors avoid 0; shared values make the comparisons hit equality.
        var b = Noise(2048, 32).Select((v, i) => i % 5 == 0 ? a[i] : dtype == DType.Int32 && op == BinaryOp.Div ? Math.Round(scale * v) is 0 ? 3 : Math.Round(scale * v) : scale * v).ToArray();
        foreach (var shape in new[] { new[] { 7 }, [4, 6], [37, 29], [2, 3, 4] })
            foreach (var (la, lb) in new[] { (Layout.Contiguous, Layout.Contiguous), (Layout.Transposed, Layout.Broadcast), (Layout.Broadcast, Layout.Strided), (Layout.Offset, Layout.Transposed) })
            {
                var (ac, ag) = Pair(dtype, shape, la, a);
                var (bc, bg) = Pair(dtype, shape, lb, b);
                var (yc, yg) = Output(dtype, shape);
                Cpu.Binary(op, ac, bc, yc);
                Gpu.Binary(op, ag, bg, yg);
                AssertClose(yc, yg, atol, rtol, $"{op} {dtype} {la}/{lb} [{string.Join(", ", shape)}]");
            }
    }

    [Test]
    public void BinaryScalarBroadcastAndNaNMatch([Values(BinaryOp.Maximum, BinaryOp.Minimum, BinaryOp.Add, BinaryOp.Less)] BinaryOp op)
    {
        double[] a = [1, double.NaN, -2, 0, double.PositiveInfinity, 3, -0.0];
        var (ac, ag) = Pair(DType.Float32, [7], Layout.Contiguous, a);
        var scalarCpu = Make(Cpu, DType.Float32, [1], Layout.Contiguous, [0.5]);
        var scalarGpu = Make(Gpu, DType.Float32, [1], Layout.Contiguous, [0.5]);
        var bc = scalarCpu.WithLayout([7], [0], 0);
        var bg = scalarGpu.WithLayout([7], [0], 0);
        var (yc, yg) = Output(DType.Float32, 7);
        Cpu.Binary(op, ac, bc, yc);
        Gpu.Binary(op, ag, bg, yg);
        AssertClose(yc, yg, 0, 0, $"{op} with a broadcast scalar");
    }

    [TestCaseSource(nameof(BinaryCases))]
    public void BinaryScalarMatches(BinaryOp op, DType dtype)
    {
        var (atol, rtol) = op == BinaryOp.Pow ? Transcendental(dtype) : (0.0, 0.0);
        double scale = dtype == DType.Int32 ? 50 : 2;
        foreach (bool scalarFirst in new[] { false, true })
        {
            double s = op == BinaryOp.Pow ? (scalarFirst ? 1.7 : -1.3) : dtype == DType.Int32 ? -3.9 : -0.75;
            // Positive Pow bases, no zero int32 divisors, and elements equal to the scalar for the comparisons.
            var a = Noise(2048, 33).Select((v, i) => i % 5 == 0 ? (dtype == DType.Int32 ? -3 : s)
                : op == BinaryOp.Pow && !scalarFirst ? Math.Abs(v) + 0.1
                : dtype == DType.Int32 && Math.Round(scale * v) is 0 ? 3 : scale * v).ToArray();
            foreach (var shape in new[] { new[] { 7 }, [4, 6], [37, 29], [2, 3, 4], [] })
                foreach (var layout in InputLayouts.Append(Layout.Broadcast))
                {
                    var (ac, ag) = Pair(dtype, shape, layout, a);
                    var (yc, yg) = Output(dtype, shape);
                    Cpu.BinaryScalar(op, ac, s, scalarFirst, yc);
                    Gpu.BinaryScalar(op, ag, s, scalarFirst, yg);
                    AssertClose(yc, yg, atol, rtol, $"{op} {dtype} scalarFirst={scalarFirst} {layout} [{string.Join(", ", shape)}]");
                }
        }
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
        var a = Make(Gpu, DType.Int32, [4], Layout.Contiguous, [7, 8, 9, 10]);
        var b = Make(Gpu, DType.Int32, [4], Layout.Contiguous, [1, 2, 0, 5]);
        var y = Make(Gpu, DType.Int32, [4], Layout.Contiguous, [0]);
        Gpu.Binary(BinaryOp.Div, a, b, y);
        Assert.Throws<DivideByZeroException>(() => Gpu.Synchronize());
        Assert.DoesNotThrow(() => Gpu.Synchronize(), "the error is reported once");
    }

    [Test]
    public void WhereMatches([Values(DType.Float32, DType.Float64, DType.Int32)] DType condition,
        [Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        double[] conditions = [0, 1, 0, -2, double.NaN, 0, 0.5];
        foreach (var shape in new[] { new[] { 7 }, [4, 6], [2, 3, 4] })
        {
            var (cc, cg) = Pair(condition, shape, Layout.Transposed, conditions);
            var (ac, ag) = Pair(dtype, shape, Layout.Contiguous, Noise(64, 1).Select(v => 10 * v).ToArray());
            var (bc, bg) = Pair(dtype, shape, Layout.Broadcast, Noise(64, 2).Select(v => 10 * v).ToArray());
            var (yc, yg) = Output(dtype, shape);
            Cpu.Where(cc, ac, bc, yc);
            Gpu.Where(cg, ag, bg, yg);
            AssertClose(yc, yg, 0, 0, $"where {condition}/{dtype} [{string.Join(", ", shape)}]");
        }
    }
}
