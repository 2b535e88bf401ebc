using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Max and average pooling (forward, backward) on the simulated GPU against the CPU reference. The GPU computes
/// every output with the CPU's operations in the CPU's order (the backward gathers in the CPU's scatter order),
/// so the results must be bit-identical: atol = rtol = 0.
/// </summary>
public sealed class PoolingKernelTests : SimulatedGpuTest
{
    /// <summary>Plain 2×2 (the CPU's float32 2×2 routine), padded overlapping windows, padding excluded from the
    /// average, stride 1 (every input in many windows), one window per plane.</summary>
    private static readonly (int[] X, Pool2dParams P)[] Cases =
    [
        ([2, 3, 8, 8], new Pool2dParams(2, 2, 2, 2)),
        ([2, 3, 9, 7], new Pool2dParams(3, 3, 2, 2, 1, 1)),
        ([1, 2, 9, 7], new Pool2dParams(3, 2, 1, 2, 1, 1, CountIncludePad: false)),
        ([1, 2, 6, 5], new Pool2dParams(3, 3, 1, 1, 1, 1)),
        ([3, 1, 5, 5], new Pool2dParams(5, 5, 1, 1)),
        ([1, 1, 7, 6], new Pool2dParams(2, 3, 3, 2)),
    ];

    private static int[] OutShape(int[] x, Pool2dParams p) => [x[0], x[1], p.OutputHeight(x[2]), p.OutputWidth(x[3])];

    [Test]
    public void MaxPoolIsBitIdentical([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool ties)
    {
        foreach (var (xShape, p) in Cases)
        {
            int[] yShape = OutShape(xShape, p);
            // With ties, values come from {-1, 0, 1}: windows hold equal maxima, and the first must win.
            var values = Noise(2048, 11).Select(v => ties ? Math.Round(v) : v).ToArray();
            var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, values);
            var (yc, yg) = Output(dtype, yShape);
            var (ic, ig) = Output(DType.Int32, yShape);
            Cpu.MaxPool2dForward(xc, yc, ic, p);
            Gpu.MaxPool2dForward(xg, yg, ig, p);
            string what = $"max pool {dtype} {p} ties {ties}";
            AssertClose(yc, yg, 0, 0, what);
            AssertClose(ic, ig, 0, 0, what + " indices");

            var (gc, gg) = Pair(dtype, yShape, Layout.Contiguous, Noise(2048, 12));
            var (dc, dg) = Output(dtype, xShape);
            Cpu.MaxPool2dBackward(gc, ic, dc, p);
            Gpu.MaxPool2dBackward(gg, ig, dg, p);
            AssertClose(dc, dg, 0, 0, what + " backward");
        }
    }

    [Test]
    public void MaxPoolNaNAndInfinityAsOnTheCpu([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // A NaN after a finite maximum, two NaNs in one window (the first wins), and windows of −∞ only.
        int[] xShape = [1, 1, 4, 4];
        double n = double.NaN, m = double.NegativeInfinity;
        double[] values = [1, 5, m, m, n, 2, m, m, 3, n, n, 4, 0, 0, 7, double.PositiveInfinity];
        foreach (var p in new[] { new Pool2dParams(2, 2, 2, 2), new Pool2dParams(3, 3, 1, 1, 1, 1) })
        {
            int[] yShape = OutShape(xShape, p);
            var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, values);
            var (yc, yg) = Output(dtype, yShape);
            var (ic, ig) = Output(DType.Int32, yShape);
            Cpu.MaxPool2dForward(xc, yc, ic, p);
            Gpu.MaxPool2dForward(xg, yg, ig, p);
            AssertClose(yc, yg, 0, 0, $"max pool of non-finite values {p}");
            AssertClose(ic, ig, 0, 0, $"max pool indices of non-finite values {p}");
        }
    }

    [Test]
    public void AvgPoolIsBitIdentical([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        foreach (var (xShape, p) in Cases.Concat([([1, 2, 6, 5], new Pool2dParams(3, 3, 2, 1, 1, 1, CountIncludePad: false))]))
        {
            int[] yShape = OutShape(xShape, p);
            var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, Noise(2048, 13));
            var (yc, yg) = Output(dtype, yShape);
            Cpu.AvgPool2dForward(xc, yc, p);
            Gpu.AvgPool2dForward(xg, yg, p);
            AssertClose(yc, yg, 0, 0, $"avg pool {dtype} {p}");

            var (gc, gg) = Pair(dtype, yShape, Layout.Contiguous, Noise(2048, 14));
            var (dc, dg) = Output(dtype, xShape);
            Cpu.AvgPool2dBackward(gc, dc, p);
            Gpu.AvgPool2dBackward(gg, dg, p);
            AssertClose(dc, dg, 0, 0, $"avg pool backward {dtype} {p}");
        }
    }

    [Test]
    public void OffsetViews()
    {
        var p = new Pool2dParams(3, 3, 2, 2, 1, 1);
        int[] xShape = [1, 2, 5, 5], yShape = OutShape(xShape, p);
        var (xc, xg) = Pair(DType.Float64, xShape, Layout.Offset, Noise(64, 15));
        var (yc, yg) = Pair(DType.Float64, yShape, Layout.Offset, [0]);
        var (ic, ig) = Pair(DType.Int32, yShape, Layout.Offset, [0]);
        Cpu.MaxPool2dForward(xc, yc, ic, p);
        Gpu.MaxPool2dForward(xg, yg, ig, p);
        AssertClose(yc, yg, 0, 0, "max pool on offset views");
        var (dc, dg) = Pair(DType.Float64, xShape, Layout.Offset, [0]);
        Cpu.MaxPool2dBackward(yc, ic, dc, p);
        Gpu.MaxPool2dBackward(yg, ig, dg, p);
        AssertClose(dc, dg, 0, 0, "max pool backward on offset views");
        Cpu.AvgPool2dForward(xc, yc, p);
        Gpu.AvgPool2dForward(xg, yg, p);
        AssertClose(yc, yg, 0, 0, "avg pool on offset views");
    }

    [Test]
    public void AnIndexOutsideThePlaneFailsAsOnTheCpu()
    {
        var p = new Pool2dParams(2, 2, 2, 2);
        foreach (IBackend backend in new IBackend[] { Cpu, Gpu })
        {
            var gy = TestViews.Make(backend, DType.Float32, [1, 1, 2, 2], Layout.Contiguous, [1]);
            var indices = TestViews.Make(backend, DType.Int32, [1, 1, 2, 2], Layout.Contiguous, [0, 2, 8, 16]);
            var gx = TestViews.Make(backend, DType.Float32, [1, 1, 4, 4], Layout.Contiguous, [0]);
            Assert.That(() =>
            {
                backend.MaxPool2dBackward(gy, indices, gx, p);
                backend.Synchronize();
            }, Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("16"), backend.Name);
        }
    }

    [Test]
    public void BadGeometryFailsAsOnTheCpu()
    {
        foreach (IBackend backend in new IBackend[] { Cpu, Gpu })
        {
            var x = TestViews.Make(backend, DType.Float32, [1, 1, 4, 4], Layout.Contiguous, [1]);
            var y = TestViews.Make(backend, DType.Float32, [1, 1, 2, 2], Layout.Contiguous, [1]);
            var wrong = TestViews.Make(backend, DType.Float32, [1, 1, 3, 2], Layout.Contiguous, [1]);
            var idx = TestViews.Make(backend, DType.Int32, [1, 1, 2, 2], Layout.Contiguous, [0]);
            var idxF = TestViews.Make(backend, DType.Float32, [1, 1, 2, 2], Layout.Contiguous, [0]);
            var strided = TestViews.Make(backend, DType.Float32, [1, 1, 4, 4], Layout.Strided, [1]);
            var ints = TestViews.Make(backend, DType.Int32, [1, 1, 4, 4], Layout.Contiguous, [1]);
            var intsOut = TestViews.Make(backend, DType.Int32, [1, 1, 2, 2], Layout.Contiguous, [1]);
            var p = new Pool2dParams(2, 2, 2, 2);
            Assert.That(() => backend.MaxPool2dForward(x, wrong, idx, p), Throws.ArgumentException.With.Message.Contains("should be [1, 1, 2, 2]"));
            Assert.That(() => backend.MaxPool2dForward(x, y, idxF, p), Throws.ArgumentException.With.Message.Contains("indices must be int32"));
            Assert.That(() => backend.AvgPool2dForward(strided, y, p), Throws.ArgumentException.With.Message.Contains("must be contiguous"));
            Assert.That(() => backend.AvgPool2dForward(ints, intsOut, p), Throws.TypeOf<NotSupportedException>());
            Assert.That(() => backend.AvgPool2dBackward(y, x, new Pool2dParams(2, 2, 0, 2)), Throws.ArgumentException.With.Message.Contains("invalid parameters"));
            Assert.That(() => backend.MaxPool2dBackward(y, idx, x, new Pool2dParams(2, 2, 2, 2, 2, 0)), Throws.ArgumentException.With.Message.Contains("at most half"));
        }
    }
}
