using NUnit.Framework;
using Scratch.Tests.Support;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Cuda.Ops;
using static Scratch.Tests.Cuda.TestViews;

namespace Scratch.Tests.Cuda.Emulator;

/// <summary>
/// The CUDA elementwise kernels and their launchers, run in the CUDA emulator (no GPU) and checked
/// against references computed here in float64.
/// </summary>
[TestFixture, Category("Emulator")]
public class EmulatedElementwiseTests
{
    private static CpuBackend Cpu => CpuBackend.Instance;
    private static readonly int[][] Shapes = [[7], [3, 1, 5], [4, 6], [37, 29], []];
    private static readonly Layout[] Layouts = [Layout.Contiguous, Layout.Offset, Layout.Transposed, Layout.Strided];

    [Test]
    public void FillWritesEveryElementOfAnyLayout([Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype, [Values(0, -2.7, 3.5)] double value)
    {
        using var host = new EmulatedKernelHost();
        foreach (var shape in Shapes)
            foreach (var layout in Layouts)
            {
                var y = Make(Cpu, dtype, shape, layout, [9]);
                ElementwiseOps.Fill(host, y, value);
                double expected = dtype == DType.Int32 ? (int)value : dtype == DType.Float32 ? (float)value : value;
                Assert.That(Read(y), Is.All.EqualTo(expected), $"{dtype} {layout} [{string.Join(", ", shape)}]");
            }
    }

    [Test]
    public void CopyConvertsAsCSharpDoes([Values(DType.Float32, DType.Float64, DType.Int32)] DType from, [Values(DType.Float32, DType.Float64, DType.Int32)] DType to)
    {
        using var host = new EmulatedKernelHost();
        double[] values = [.. Noise(300, 1).Select(v => 100 * v), 3e9, -3e9, double.NaN, 2.5, -2.5];
        foreach (var layout in Layouts.Append(Layout.Broadcast))
        {
            var x = Make(Cpu, from, [13, 7], layout, values);
            var y = Make(Cpu, to, [13, 7], Layout.Transposed, [0]);
            ElementwiseOps.Copy(host, x, y);
            var expected = Read(x).Select(v => Convert(v, to)).ToArray();
            AssertClose(expected, Read(y), _ => 0, 0, $"copy {from} -> {to} {layout}");
        }
    }

    private static double Convert(double v, DType to) => to switch
    {
        DType.Int32 => double.IsNaN(v) ? 0 : (int)v,
        DType.Float32 => (float)v,
        _ => v,
    };

    // Float64 references of every unary function (PyTorch's definitions).
    private static double Unary(UnaryOp op, double x, double a, double b) => op switch
    {
        UnaryOp.Neg => -x,
        UnaryOp.Abs => Math.Abs(x),
        UnaryOp.Sign => x > 0 ? 1 : x < 0 ? -1 : x,
        UnaryOp.Exp => Math.Exp(x),
        UnaryOp.Log => Math.Log(x),
        UnaryOp.Sqrt => Math.Sqrt(x),
        UnaryOp.Sin => Math.Sin(x),
        UnaryOp.Cos => Math.Cos(x),
        UnaryOp.Tanh => Math.Tanh(x),
        UnaryOp.Sigmoid => 1 / (1 + Math.Exp(-x)),
        UnaryOp.Relu => Math.Max(x, 0),
        UnaryOp.LeakyRelu => x > 0 ? x : a * x,
        UnaryOp.Elu => x > 0 ? x : a * (Math.Exp(x) - 1),
        UnaryOp.Selu => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1)),
        UnaryOp.Silu => x / (1 + Math.Exp(-x)),
        UnaryOp.Gelu => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        UnaryOp.Softplus => a * x > b ? x : Math.Log(1 + Math.Exp(a * x)) / a,
        UnaryOp.PowScalar => Math.Pow(x, a),
        UnaryOp.Clamp => Math.Min(Math.Max(x, a), b),
        UnaryOp.Reciprocal => 1 / x,
        UnaryOp.Square => x * x,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    // Abramowitz–Stegun 7.1.26 is too coarse; a series/continued-fraction erf accurate to ~1e-15.
    private static double Erf(double x)
    {
        double ax = Math.Abs(x);
        if (ax < 3)
        {
            double term = ax, sum = ax;
            for (int n = 1; n < 200 && Math.Abs(term) > 1e-17 * sum; n++)
            {
                term *= -ax * ax / n;
                sum += term / (2 * n + 1);
            }
            return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc continued fraction for large |x|.
        double f = 0;
        for (int n = 60; n >= 1; n--) f = n / 2.0 / (ax + f);
        double erfc = Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f);
        return Math.Sign(x) * (1 - erfc);
    }

    private static (double A, double B) Parameters(UnaryOp op) => op switch
    {
        UnaryOp.LeakyRelu => (0.01, 0),
        UnaryOp.Elu => (1.3, 0),
        UnaryOp.Softplus => (2, 1.5),
        UnaryOp.PowScalar => (2.5, 0),
        UnaryOp.Clamp => (-0.3, 0.4),
        _ => (0, 0),
    };

    private static double[] Inputs(UnaryOp op, int seed)
    {
        var x = Noise(2048, seed).Select(v => 3 * v).ToArray();
        return op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.PowScalar or UnaryOp.Reciprocal ? x.Select(v => Math.Abs(v) + 0.05).ToArray() : x;
    }

    [Test]
    public void UnaryComputesTheDocumentedFunctions([Values] UnaryOp op, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        using var host = new EmulatedKernelHost();
        var (a, b) = Parameters(op);
        // Float32 kernels round inputs, parameters and results to float: a few ulp through the composite functions.
        double rtol = dtype == DType.Float32 ? 1e-5 : 1e-13, atol = dtype == DType.Float32 ? 1e-6 : 1e-14;
        foreach (var shape in Shapes)
            foreach (var layout in Layouts)
            {
                var x = Make(Cpu, dtype, shape, layout, Inputs(op, 3));
                var y = Make(Cpu, dtype, shape, Layout.Contiguous, [0]);
                ElementwiseOps.Unary(host, op, x, y, a, b);
                var expected = Read(x).Select(v => Unary(op, v, dtype == DType.Float32 ? (float)a : a, dtype == DType.Float32 ? (float)b : b)).ToArray();
                AssertClose(expected, Read(y), _ => atol, rtol, $"{op} {dtype} {layout} [{string.Join(", ", shape)}]");
            }
    }

    [Test]
    public void UnaryBackwardIsTheDerivative([Values] UnaryOp op)
    {
        using var host = new EmulatedKernelHost();
        var (a, b) = Parameters(op);
        var x = Make(Cpu, DType.Float64, [9, 11], Layout.Transposed, Inputs(op, 4));
        var gy = Make(Cpu, DType.Float64, [9, 11], Layout.Strided, Noise(300, 5));
        var gx = Make(Cpu, DType.Float64, [9, 11], Layout.Contiguous, [0]);
        ElementwiseOps.UnaryBackward(host, op, x, gy, gx, a, b);
        // Central differences of the float64 reference: error ~h² f''' ≈ 1e-10 relative.
        var xs = Read(x);
        var gys = Read(gy);
        var expected = xs.Select((v, i) =>
        {
            double h = 1e-5 * Math.Max(1, Math.Abs(v));
            return gys[i] * (Unary(op, v + h, a, b) - Unary(op, v - h, a, b)) / (2 * h);
        }).ToArray();
        AssertClose(expected, Read(gx), _ => 1e-7, 1e-6, $"d{op}/dx");
    }

    private static double Binary(BinaryOp op, double a, double b, DType dtype) => BinaryReference.Of(op, a, b, dtype);

    [Test]
    public void BinaryBroadcastsThroughStrides([Values] BinaryOp op, [Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        if (op == BinaryOp.Pow && dtype == DType.Int32) return;
        using var host = new EmulatedKernelHost();
        double scale = dtype == DType.Int32 ? 50 : 2;
        var av = Noise(500, 6).Select(v => op == BinaryOp.Pow ? Math.Abs(v) + 0.1 : Math.Round(scale * v, dtype == DType.Int32 ? 0 : 6)).ToArray();
        var bv = Noise(500, 7).Select((v, i) => i % 4 == 0 ? av[i] : op == BinaryOp.Div && dtype == DType.Int32 ? (Math.Round(scale * v) is 0 ? 3 : Math.Round(scale * v)) : Math.Round(scale * v, dtype == DType.Int32 ? 0 : 6)).ToArray();
        foreach (var (la, lb) in new[] { (Layout.Contiguous, Layout.Contiguous), (Layout.Transposed, Layout.Broadcast), (Layout.Broadcast, Layout.Strided), (Layout.Offset, Layout.Transposed) })
        {
            var a = Make(Cpu, dtype, [5, 3, 7], la, av);
            var b = Make(Cpu, dtype, [5, 3, 7], lb, bv);
            var y = Make(Cpu, dtype, [5, 3, 7], Layout.Contiguous, [0]);
            ElementwiseOps.Binary(host, op, a, b, y);
            var ar = Read(a);
            var br = Read(b);
            var expected = ar.Select((v, i) => Convert(Binary(op, v, br[i], dtype), dtype)).ToArray();
            double rtol = op == BinaryOp.Pow ? (dtype == DType.Float32 ? 1e-6 : 1e-14) : dtype == DType.Float32 ? 1e-7 : 0;
            AssertClose(expected, Read(y), _ => 0, rtol, $"{op} {dtype} {la}/{lb}");
        }
        Assert.That(host.TakeError()[0], Is.Zero);
    }

    [Test]
    public void BinaryScalarTakesTheScalarAsAnArgument([Values] BinaryOp op, [Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype, [Values] bool scalarFirst)
    {
        if (op == BinaryOp.Pow && dtype == DType.Int32) return;
        using var host = new EmulatedKernelHost();
        double scale = dtype == DType.Int32 ? 50 : 2;
        // Pow: positive bases; Int32 division: no zero divisor among the elements; every 4th element equals the scalar.
        double s = op == BinaryOp.Pow ? (scalarFirst ? 1.7 : -1.3) : dtype == DType.Int32 ? -3.9 : -0.75;
        double stored = dtype == DType.Int32 ? (int)s : dtype == DType.Float32 ? (float)s : s;
        var values = Noise(500, 8).Select((v, i) => i % 4 == 0 ? stored
            : op == BinaryOp.Pow && !scalarFirst ? Math.Abs(v) + 0.1
            : dtype == DType.Int32 ? (Math.Round(scale * v) is 0 ? 3 : Math.Round(scale * v)) : Math.Round(scale * v, 6)).ToArray();
        foreach (var shape in Shapes)
            foreach (var layout in Layouts.Append(Layout.Broadcast))
            {
                var a = Make(Cpu, dtype, shape, layout, values);
                var y = Make(Cpu, dtype, shape, layout == Layout.Transposed ? Layout.Strided : Layout.Contiguous, [0]);
                ElementwiseOps.BinaryScalar(host, op, a, s, scalarFirst, y);
                var expected = Read(a).Select(v => Convert(scalarFirst ? Binary(op, stored, v, dtype) : Binary(op, v, stored, dtype), dtype)).ToArray();
                double rtol = op == BinaryOp.Pow ? (dtype == DType.Float32 ? 1e-6 : 1e-14) : dtype == DType.Float32 ? 1e-7 : 0;
                AssertClose(expected, Read(y), _ => 0, rtol, $"{op} {dtype} scalarFirst={scalarFirst} {layout} [{string.Join(", ", shape)}]");
            }
        Assert.That(host.TakeError()[0], Is.Zero);
    }

    [Test]
    public void BinaryScalarInPlaceAndSpecialScalars([Values(DType.Float32, DType.Float64)] DType dtype,
        [Values(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0)] double s)
    {
        using var host = new EmulatedKernelHost();
        double[] values = [1, -2, 0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 7];
        foreach (var op in new[] { BinaryOp.Add, BinaryOp.Mul, BinaryOp.Div, BinaryOp.Maximum, BinaryOp.Less })
            foreach (bool scalarFirst in new[] { false, true })
            {
                var a = Make(Cpu, dtype, [values.Length], Layout.Contiguous, values);
                var before = Read(a);
                ElementwiseOps.BinaryScalar(host, op, a, s, scalarFirst, a);
                var expected = before.Select(v => scalarFirst ? Binary(op, s, v, dtype) : Binary(op, v, s, dtype)).ToArray();
                AssertClose(expected, Read(a), _ => 0, 0, $"{op} {dtype} with {s} in place, scalarFirst={scalarFirst}");
            }
    }

    [Test]
    public void BinaryScalarInt32DivisionByZeroIsReportedInTheErrorWord()
    {
        using var host = new EmulatedKernelHost();
        var a = Make(Cpu, DType.Int32, [4], Layout.Contiguous, [7, 0, 9, 10]);
        var y = Make(Cpu, DType.Int32, [4], Layout.Contiguous, [0]);
        ElementwiseOps.BinaryScalar(host, BinaryOp.Div, a, 90, scalarFirst: true, y);
        Assert.That(host.TakeError(), Is.EqualTo(new[] { 2, 6, 90, 0 }));
        Assert.That(Read(y), Is.EqualTo(new double[] { 12, 0, 10, 9 }));
    }

    [Test]
    public void Int32DivisionByZeroIsReportedInTheErrorWord()
    {
        using var host = new EmulatedKernelHost();
        var a = Make(Cpu, DType.Int32, [4], Layout.Contiguous, [7, 8, 9, 10]);
        var b = Make(Cpu, DType.Int32, [4], Layout.Contiguous, [1, 2, 0, 5]);
        var y = Make(Cpu, DType.Int32, [4], Layout.Contiguous, [0]);
        ElementwiseOps.Binary(host, BinaryOp.Div, a, b, y);
        Assert.That(host.TakeError(), Is.EqualTo(new[] { 2, 6, 9, 0 }));
        Assert.That(Read(y), Is.EqualTo(new double[] { 7, 4, 0, 2 }));
    }

    [Test]
    public void WhereSelectsByAnyConditionType([Values(DType.Float32, DType.Float64, DType.Int32)] DType condition)
    {
        using var host = new EmulatedKernelHost();
        var c = Make(Cpu, condition, [4, 6], Layout.Transposed, [0, 1, 0, -2, double.NaN, 0, 0.5]);
        var a = Make(Cpu, DType.Float32, [4, 6], Layout.Contiguous, Noise(24, 1));
        var b = Make(Cpu, DType.Float32, [4, 6], Layout.Broadcast, Noise(24, 2));
        var y = Make(Cpu, DType.Float32, [4, 6], Layout.Contiguous, [0]);
        ElementwiseOps.Where(host, c, a, b, y);
        var cs = Read(c);
        var ar = Read(a);
        var br = Read(b);
        Assert.That(Read(y), Is.EqualTo(cs.Select((v, i) => v != 0 ? ar[i] : br[i]).ToArray()));
    }
}
