using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>Batch norm (training, inference, backward) on the simulated GPU against the CPU reference.</summary>
public sealed class BatchNormKernelTests : SimulatedGpuTest
{
    // Per-segment channels (S > 1), the [N, C] case (S == 1), one channel of many values, many channels (groups stride).
    private static readonly int[][] Shapes = [[8, 3, 25], [4, 5, 1], [2, 1, 300], [3, 40, 2]];

    [Test]
    public void MatchesTheCpu([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool affine, [Values] bool running)
    {
        // Both backends sum in float64 (in different orders: differences of a few float64 ulps), and compute the
        // per-channel constants with the same float64 formulas, rounded to T once. The elementwise passes are a
        // product and a sum in T: a float32 output of O(1) differs by a few ulps at most (a constant may round
        // the other way, or the GPU may fuse a multiply-add), so 2e-5 absolute/relative; float64 1e-12.
        double tolerance = dtype == DType.Float32 ? 2e-5 : 1e-12;
        foreach (var shape in Shapes)
        {
            int c = shape[1];
            var (xc, xg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 12, 7).Select(v => 3 + 2 * v).ToArray());
            var (wc, wg) = Pair(dtype, [c], Layout.Contiguous, Noise(c, 8));
            var (bc, bg) = Pair(dtype, [c], Layout.Contiguous, Noise(c, 9));
            var (yc, yg) = Output(dtype, shape);
            var (mc, mg) = Output(dtype, c);
            var (sc, sg) = Output(dtype, c);
            var (rmc, rmg) = Pair(dtype, [c], Layout.Offset, [0.5]);
            var (rvc, rvg) = Pair(dtype, [c], Layout.Offset, [2]);
            Cpu.BatchNormForwardTraining(xc, affine ? wc : null, affine ? bc : null, yc, mc, sc, running ? rmc : null, running ? rvc : null, 0.1, 1e-5);
            Gpu.BatchNormForwardTraining(xg, affine ? wg : null, affine ? bg : null, yg, mg, sg, running ? rmg : null, running ? rvg : null, 0.1, 1e-5);
            string what = $"{dtype} [{string.Join(", ", shape)}] affine {affine} running {running}";
            AssertClose(yc, yg, tolerance, tolerance, $"batch norm y {what}");
            AssertClose(mc, mg, tolerance, tolerance, $"batch norm mean {what}");
            AssertClose(sc, sg, tolerance, tolerance, $"batch norm inverse std {what}");
            AssertClose(rmc, rmg, tolerance, tolerance, $"batch norm running mean {what}");
            AssertClose(rvc, rvg, tolerance, tolerance, $"batch norm running variance {what}");

            var (ic, ig) = Output(dtype, shape);
            Cpu.BatchNormForwardInference(xc, affine ? wc : null, affine ? bc : null, rmc, rvc, ic, 1e-5);
            Gpu.BatchNormForwardInference(xg, affine ? wg : null, affine ? bg : null, rmg, rvg, ig, 1e-5);
            AssertClose(ic, ig, tolerance, tolerance, $"batch norm inference {what}");

            var (gc, gg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 12, 10));
            var (dc, dg) = Output(dtype, shape);
            var (gwc, gwg) = Output(dtype, c);
            var (gbc, gbg) = Output(dtype, c);
            Cpu.BatchNormBackward(xc, gc, affine ? wc : null, mc, sc, dc, affine ? gwc : null, affine ? gbc : null);
            Gpu.BatchNormBackward(xg, gg, affine ? wg : null, mg, sg, dg, affine ? gwg : null, affine ? gbg : null);
            AssertClose(dc, dg, tolerance, tolerance, $"batch norm gx {what}");
            // Sums over N·S gradients, in float64 on both backends: only the final rounding to T differs.
            AssertClose(gwc, gwg, tolerance, tolerance, $"batch norm gWeight {what}");
            AssertClose(gbc, gbg, tolerance, tolerance, $"batch norm gBias {what}");
        }
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        foreach (IBackend b in new IBackend[] { Cpu, Gpu })
        {
            BufferView V(DType dtype, params int[] shape) => TestViews.Make(b, dtype, shape, Layout.Contiguous, [1]);
            var x = V(DType.Float32, 2, 3, 4);
            var c3 = V(DType.Float32, 3);
            Assert.That(() => b.BatchNormForwardTraining(x, null, null, x, c3, c3, null, null, 0.1, -1),
                Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("eps must be >= 0"));
            var one = V(DType.Float32, 1, 3, 1);
            Assert.That(() => b.BatchNormForwardTraining(one, null, null, one, c3, c3, null, null, 0.1, 1e-5),
                Throws.ArgumentException.With.Message.Contains("more than one value per channel"));
            Assert.That(() => b.BatchNormForwardInference(x, V(DType.Float32, 4), null, c3, c3, x, 1e-5),
                Throws.ArgumentException.With.Message.Contains("weight float32[4] must hold one float32 per channel"));
            Assert.That(() => b.BatchNormBackward(x, V(DType.Float64, 2, 3, 4), null, c3, c3, x, null, null),
                Throws.ArgumentException.With.Message.Contains("gy float64[2, 3, 4] must match"));
            Assert.That(() => b.BatchNormForwardInference(V(DType.Int32, 2, 3, 4), null, null, c3, c3, x, 1e-5),
                Throws.ArgumentException.With.Message.Contains("must be float32 or float64"));
        }
    }
}
