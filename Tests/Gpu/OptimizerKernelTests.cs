using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// The fused SGD and Adam/AdamW steps on the simulated GPU against the CPU reference. The kernel uses the CPU's own
/// per-step constants and its per-element expressions in the same order, and the simulator rounds every operation
/// as the CPU does, so the results must be bit-identical (atol = rtol = 0). (A GPU compiler may fuse a
/// multiply-add: a few ulps there.)
/// </summary>
public sealed class OptimizerKernelTests : SimulatedGpuTest
{
    [Test]
    public void SgdIsBitIdentical([Values(DType.Float32, DType.Float64)] DType dtype, [Values(0.0, 0.9)] double momentum, [Values] bool nesterov,
        [Values] bool first, [Values(0.0, 1e-2)] double weightDecay)
    {
        if (nesterov && momentum == 0) return;
        var p = new SgdUpdateParams(0.1, momentum, 0.1, weightDecay, nesterov, first);
        var (pc, pg) = Pair(dtype, [301], Layout.Offset, Noise(2000, 1));
        var (gc, gg) = Pair(dtype, [301], Layout.Contiguous, Noise(2000, 2));
        var (bc, bg) = Pair(dtype, [301], Layout.Offset, Noise(2000, 3));
        Cpu.SgdUpdate(pc, gc, momentum != 0 ? bc : null, p);
        Gpu.SgdUpdate(pg, gg, momentum != 0 ? bg : null, p);
        AssertClose(pc, pg, 0, 0, $"sgd param {p}");
        AssertClose(bc, bg, 0, 0, $"sgd momentum buffer {p}");
    }

    [Test]
    public void AdamIsBitIdentical([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool decoupled, [Values] bool amsgrad, [Values(1, 7)] int step)
    {
        var p = new AdamUpdateParams(1e-2, 0.9, 0.999, 1e-8, 0.05, step, decoupled, amsgrad);
        var (pc, pg) = Pair(dtype, [301], Layout.Contiguous, Noise(2000, 1));
        var (gc, gg) = Pair(dtype, [301], Layout.Offset, Noise(2000, 2));
        var (mc, mg) = Pair(dtype, [301], Layout.Contiguous, Noise(2000, 3).Select(v => 0.1 * v).ToArray());
        var (vc, vg) = Pair(dtype, [301], Layout.Offset, Noise(2000, 4).Select(v => 0.01 * Math.Abs(v)).ToArray());
        var (xc, xg) = Pair(dtype, [301], Layout.Contiguous, Noise(2000, 5).Select(v => 0.01 * Math.Abs(v)).ToArray());
        Cpu.AdamUpdate(pc, gc, mc, vc, amsgrad ? xc : null, p);
        Gpu.AdamUpdate(pg, gg, mg, vg, amsgrad ? xg : null, p);
        AssertClose(pc, pg, 0, 0, $"adam param {p}");
        AssertClose(mc, mg, 0, 0, $"adam m {p}");
        AssertClose(vc, vg, 0, 0, $"adam v {p}");
        AssertClose(xc, xg, 0, 0, $"adam max v {p}");
    }

    [Test]
    public void BadInputFailsAsOnTheCpu()
    {
        foreach (IBackend b in new IBackend[] { Cpu, Gpu })
        {
            BufferView V(DType dtype, params int[] shape) => TestViews.Make(b, dtype, shape, Layout.Contiguous, [1]);
            var x = V(DType.Float32, 5);
            Assert.That(() => b.SgdUpdate(x, x, null, new SgdUpdateParams(0.1, 0.9)), Throws.ArgumentException.With.Message.Contains("needs a momentum buffer"));
            Assert.That(() => b.SgdUpdate(x, V(DType.Float32, 4), null, new SgdUpdateParams(0.1)), Throws.ArgumentException.With.Message.Contains("sgd_update: grad"));
            Assert.That(() => b.AdamUpdate(x, x, x, x, null, new AdamUpdateParams(0.1, 0.9, 0.99, 1e-8, 0, 0)), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => b.AdamUpdate(x, x, x, x, null, new AdamUpdateParams(0.1, 0.9, 0.99, 1e-8, 0, 1, Amsgrad: true)),
                Throws.ArgumentException.With.Message.Contains("amsgrad needs"));
            Assert.That(() => b.AdamUpdate(x, x, V(DType.Float64, 5), x, null, new AdamUpdateParams(0.1, 0.9, 0.99, 1e-8, 0, 1)),
                Throws.ArgumentException.With.Message.Contains("exp_avg float64"));
            var strided = TestViews.Make(b, DType.Float32, [5], Layout.Strided, [1]);
            Assert.That(() => b.SgdUpdate(strided, x, null, new SgdUpdateParams(0.1)), Throws.ArgumentException.With.Message.Contains("must be contiguous"));
        }
    }
}
