using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>Softmax and log-softmax (forward, backward) on the simulated GPU against the CPU reference.</summary>
public sealed class SoftmaxKernelTests : SimulatedGpuTest
{
    // Rows (inner == 1) shorter than a warp, of several elements per thread (700 > 256 threads), a row of one,
    // column paths (inner > 1) including n == 1, and many short rows (groups stride over rows).
    private static readonly int[][] Shapes = [[4, 10, 1], [2, 700, 1], [3, 7, 5], [1, 1, 1], [5, 1, 3], [40, 33, 1], [2, 3, 40]];

    [Test]
    public void MatchesTheCpu([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool log)
    {
        // Softmax's outputs lie in [0, 1], each from one exp and one product with 1/Σ (Σ in float64 on both
        // backends, summed in another order): a few ulps, so rtol 1e-5 and atol 1e-7 for float32. Log-softmax's
        // outputs are x − m − log Σ: an absolute error of the log term, so atol 1e-5 (float32). Float64: the
        // exp implementations differ by an ulp or two, so 1e-13 / 1e-12.
        double atol = dtype == DType.Float32 ? (log ? 1e-5 : 1e-7) : 1e-13;
        double rtol = dtype == DType.Float32 ? 1e-5 : 1e-12;
        foreach (var shape in Shapes)
        {
            string what = $"softmax(log {log}) {dtype} [{string.Join(", ", shape)}]";
            var (xc, xg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 12, 3).Select(v => 8 * v).ToArray());
            var (yc, yg) = Output(dtype, shape);
            Cpu.Softmax(xc, yc, log);
            Gpu.Softmax(xg, yg, log);
            AssertClose(yc, yg, atol, rtol, what);

            var (gc, gg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 12, 4));
            var (dc, dg) = Output(dtype, shape);
            Cpu.SoftmaxBackward(yc, gc, dc, log);
            Gpu.SoftmaxBackward(yg, gg, dg, log);
            AssertClose(dc, dg, dtype == DType.Float32 ? 1e-5 : 1e-12, rtol, what + " backward");
        }
    }

    [Test]
    public void OffsetViewsAndInPlace([Values] bool log)
    {
        int[] shape = [3, 9, 1];
        var (xc, xg) = Pair(DType.Float64, shape, Layout.Offset, Noise(64, 7));
        Cpu.Softmax(xc, xc, log);
        Gpu.Softmax(xg, xg, log);
        AssertClose(xc, xg, 1e-13, 1e-12, "in-place softmax on an offset view");

        int[] columns = [2, 4, 3];
        var (cc, cg) = Pair(DType.Float64, columns, Layout.Offset, Noise(64, 8));
        Cpu.Softmax(cc, cc, log);
        Gpu.Softmax(cg, cg, log);
        AssertClose(cc, cg, 1e-13, 1e-12, "in-place column softmax on an offset view");
    }

    [Test]
    public void NaNAndInfinityPropagateAsOnTheCpu([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool log, [Values(1, 4)] int inner)
    {
        // Row 0 holds a NaN, row 1 a +∞, row 2 a −∞ among finite values, row 3 only −∞.
        double[] values =
        [
            0.5, double.NaN, -1, 2,
            1, double.PositiveInfinity, 3, -2,
            0.25, double.NegativeInfinity, 1.5, -0.5,
            double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity,
        ];
        int[] shape = inner == 1 ? [4, 4, 1] : [1, 4, 4];
        if (inner != 1) values = Enumerable.Range(0, 16).Select(i => values[(i % 4) * 4 + i / 4]).ToArray();
        var (xc, xg) = Pair(dtype, shape, Layout.Contiguous, values);
        var (yc, yg) = Output(dtype, shape);
        Cpu.Softmax(xc, yc, log);
        Gpu.Softmax(xg, yg, log);
        AssertClose(yc, yg, 1e-6, 1e-5, $"softmax(log {log}) of non-finite values");
    }

    [Test]
    public void EmptyViewsDoNothing()
    {
        var x = TestViews.Make(Gpu, DType.Float32, [0, 5, 1], Layout.Contiguous, [1]);
        Gpu.Softmax(x, x, false);
        Gpu.SoftmaxBackward(x, x, x, true);
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        foreach (IBackend backend in new IBackend[] { Cpu, Gpu })
        {
            var rank2 = TestViews.Make(backend, DType.Float32, [2, 3], Layout.Contiguous, [1]);
            var ints = TestViews.Make(backend, DType.Int32, [2, 3, 1], Layout.Contiguous, [1]);
            var strided = TestViews.Make(backend, DType.Float32, [2, 3, 1], Layout.Strided, [1]);
            var ok = TestViews.Make(backend, DType.Float32, [2, 3, 1], Layout.Contiguous, [1]);
            var other = TestViews.Make(backend, DType.Float64, [2, 3, 1], Layout.Contiguous, [1]);
            Assert.That(() => backend.Softmax(rank2, rank2, false), Throws.ArgumentException.With.Message.Contains("softmax: x must have 3 dims"));
            Assert.That(() => backend.Softmax(ints, ints, true), Throws.ArgumentException.With.Message.Contains("log_softmax: x must be float32 or float64"));
            Assert.That(() => backend.Softmax(strided, ok, false), Throws.ArgumentException.With.Message.Contains("must be contiguous"));
            Assert.That(() => backend.Softmax(ok, other, false), Throws.ArgumentException.With.Message.Contains("must match"));
            Assert.That(() => backend.SoftmaxBackward(ok, ok, other, false), Throws.ArgumentException.With.Message.Contains("softmax_backward: gx float64"));
        }
    }
}
