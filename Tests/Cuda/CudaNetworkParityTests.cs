using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Cuda;

/// <summary>Pooling, indexing, batch norm and the optimizer steps: CUDA against the CPU reference.</summary>
[TestFixture, Category("Gpu")]
public class CudaNetworkParityTests : CudaParityTest
{
    [Test]
    public void MaxPoolMatches([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // Small integers make ties; a NaN tests that it wins its window.
        double[] values = [.. Noise(600, 1).Select(v => Math.Round(4 * v)), double.NaN];
        foreach (var (xShape, p) in PoolCases.All)
        {
            int[] yShape = [xShape[0], xShape[1], p.OutputHeight(xShape[2]), p.OutputWidth(xShape[3])];
            var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, values);
            var (yc, yg) = Output(dtype, yShape);
            var (ic, ig) = Output(DType.Int32, yShape);
            Cpu.MaxPool2dForward(xc, yc, ic, p);
            Gpu.MaxPool2dForward(xg, yg, ig, p);
            AssertClose(yc, yg, 0, 0, $"max pool {dtype} {p}");
            AssertClose(ic, ig, 0, 0, $"max pool indices {dtype} {p}");

            var (gc, gg) = Pair(dtype, yShape, Layout.Contiguous, Noise(256, 2));
            var (dc, dg) = Output(dtype, xShape);
            Cpu.MaxPool2dBackward(gc, ic, dc, p);
            Gpu.MaxPool2dBackward(gg, ig, dg, p);
            // Overlapping windows may add several gradients into one element, in the same (output) order on both sides.
            AssertClose(dc, dg, 0, 4 * U32, $"max pool backward {dtype} {p}");
        }
    }

    [Test]
    public void AvgPoolMatches([Values(DType.Float32, DType.Float64)] DType dtype)
    {
        // At most 25 terms summed and one division per value: a few ulp.
        double tolerance = (dtype == DType.Float32 ? U32 : U64) * 32;
        foreach (var (xShape, p) in PoolCases.All)
        {
            int[] yShape = [xShape[0], xShape[1], p.OutputHeight(xShape[2]), p.OutputWidth(xShape[3])];
            var (xc, xg) = Pair(dtype, xShape, Layout.Contiguous, Noise(600, 3));
            var (yc, yg) = Output(dtype, yShape);
            Cpu.AvgPool2dForward(xc, yc, p);
            Gpu.AvgPool2dForward(xg, yg, p);
            AssertClose(yc, yg, tolerance, tolerance, $"avg pool {dtype} {p}");

            var (gc, gg) = Pair(dtype, yShape, Layout.Contiguous, Noise(256, 4));
            var (dc, dg) = Output(dtype, xShape);
            Cpu.AvgPool2dBackward(gc, dc, p);
            Gpu.AvgPool2dBackward(gg, dg, p);
            AssertClose(dc, dg, tolerance, tolerance, $"avg pool backward {dtype} {p}");
        }
    }

    [Test]
    public void IndexingMatches([Values(DType.Float32, DType.Float64, DType.Int32)] DType dtype)
    {
        // Indices repeat, so the accumulating ops add several sources into one target, in j order on
        // both sides: equal up to the last bit for exact inputs; 4 ulp allowed for float rounding order.
        double rtol = dtype == DType.Float32 ? 4 * U32 : dtype == DType.Float64 ? 4 * U64 : 0;
        var data = Noise(1000, 5).Select(v => dtype == DType.Int32 ? Math.Round(100 * v) : v).ToArray();
        var indices = Noise(1000, 6).Select(v => Math.Floor((v + 1) / 2 * 5)).ToArray(); // in [0, 5)

        var (xc, xg) = Pair(dtype, [3, 5, 4], Layout.Contiguous, data);
        var (ic, ig) = Pair(DType.Int32, [3, 7, 4], Layout.Contiguous, indices);
        var (yc, yg) = Output(dtype, 3, 7, 4);
        Cpu.Gather(xc, ic, yc);
        Gpu.Gather(xg, ig, yg);
        AssertClose(yc, yg, 0, 0, $"gather {dtype}");

        var (sc, sg) = Pair(dtype, [3, 5, 4], Layout.Contiguous, data);
        Cpu.ScatterAdd(yc, ic, sc);
        Gpu.ScatterAdd(yg, ig, sg);
        AssertClose(sc, sg, 0, rtol, $"scatter_add {dtype}");

        var (vc, vg) = Pair(DType.Int32, [6], Layout.Contiguous, [4, 0, 4, 2, 1, 4]);
        var (zc, zg) = Output(dtype, 3, 6, 4);
        Cpu.IndexSelect(xc, vc, zc);
        Gpu.IndexSelect(xg, vg, zg);
        AssertClose(zc, zg, 0, 0, $"index_select {dtype}");

        var (ac, ag) = Pair(dtype, [3, 5, 4], Layout.Contiguous, data);
        Cpu.IndexAdd(zc, vc, ac);
        Gpu.IndexAdd(zg, vg, ag);
        AssertClose(ac, ag, 0, rtol, $"index_add {dtype}");

        var (oc, og) = Output(dtype, 6, 5);
        Cpu.OneHot(vc, oc);
        Gpu.OneHot(vg, og);
        AssertClose(oc, og, 0, 0, $"one_hot {dtype}");
    }

    [Test]
    public void OutOfRangeIndicesThrowAtTheNextSynchronisation()
    {
        var x = Make(Gpu, DType.Float32, [1, 5, 1], Layout.Contiguous, [1]);
        var index = Make(Gpu, DType.Int32, [1, 3, 1], Layout.Contiguous, [0, 5, 1]);
        var y = Make(Gpu, DType.Float32, [1, 3, 1], Layout.Contiguous, [0]);
        Gpu.Gather(x, index, y);
        var error = Assert.Throws<IndexOutOfRangeException>(() => Gpu.Synchronize())!;
        Assert.That(error.Message, Does.Contain("gather").And.Contain("5"));
        var classes = Make(Gpu, DType.Int32, [2], Layout.Contiguous, [1, -1]);
        var hot = Make(Gpu, DType.Float32, [2, 3], Layout.Contiguous, [0]);
        Gpu.OneHot(classes, hot);
        Assert.Throws<IndexOutOfRangeException>(() => Buffers.Read<float>(hot));
    }

    private static readonly int[][] NormShapes = [[8, 3, 25], [4, 5, 1], [2, 1, 1000], [3, 300, 2]];

    [Test]
    public void BatchNormMatches([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool affine)
    {
        // Normalised outputs are O(1); the statistics are means over ≤ 2000 values: the CPU's float32
        // pairwise sums are within ~log2(n)·u relative, the GPU's double sums exact to float32, and the
        // normalisation adds a few roundings: 2e-5 absolute/relative for float32 (1e-12 for float64).
        double tolerance = dtype == DType.Float32 ? 2e-5 : 1e-12;
        foreach (var shape in NormShapes)
        {
            int c = shape[1];
            var (xc, xg) = Pair(dtype, shape, Layout.Contiguous, Noise(1 << 12, 7).Select(v => 3 + 2 * v).ToArray());
            var (wc, wg) = Pair(dtype, [c], Layout.Contiguous, Noise(c, 8));
            var (bc, bg) = Pair(dtype, [c], Layout.Contiguous, Noise(c, 9));
            var (yc, yg) = Output(dtype, shape);
            var (mc, mg) = Output(dtype, c);
            var (sc, sg) = Output(dtype, c);
            var (rmc, rmg) = Pair(dtype, [c], Layout.Contiguous, [0.5]);
            var (rvc, rvg) = Pair(dtype, [c], Layout.Contiguous, [2]);
            Cpu.BatchNormForwardTraining(xc, affine ? wc : null, affine ? bc : null, yc, mc, sc, rmc, rvc, 0.1, 1e-5);
            Gpu.BatchNormForwardTraining(xg, affine ? wg : null, affine ? bg : null, yg, mg, sg, rmg, rvg, 0.1, 1e-5);
            string what = $"{dtype} [{string.Join(", ", shape)}] affine {affine}";
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
            if (affine)
            {
                // Sums over N·S gradients: the reduction bound of CudaReductionParityTests with Σ|gy·x̂| ≤ N·S·3.
                long count = (long)shape[0] * shape[2];
                double sums = (64 + Math.Log2(count)) * (dtype == DType.Float32 ? U32 : U64) * count * 3;
                AssertClose(gwc, gwg, sums + tolerance, tolerance, $"batch norm gWeight {what}");
                AssertClose(gbc, gbg, sums + tolerance, tolerance, $"batch norm gBias {what}");
            }
        }
    }

    [Test]
    public void SgdMatches([Values(DType.Float32, DType.Float64)] DType dtype, [Values(0.0, 0.9)] double momentum, [Values] bool nesterov, [Values] bool first)
    {
        if (nesterov && momentum == 0) return;
        var p = new SgdUpdateParams(0.1, momentum, 0.1, 1e-2, nesterov, first);
        var (pc, pg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 1));
        var (gc, gg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 2));
        var (bc, bg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 3));
        Cpu.SgdUpdate(pc, gc, momentum != 0 ? bc : null, p);
        Gpu.SgdUpdate(pg, gg, momentum != 0 ? bg : null, p);
        // A handful of multiply-adds that the GPU may fuse: a few ulp of the O(1) values.
        double tolerance = 8 * (dtype == DType.Float32 ? U32 : U64);
        AssertClose(pc, pg, tolerance, tolerance, $"sgd param {p}");
        if (momentum != 0) AssertClose(bc, bg, tolerance, tolerance, $"sgd momentum buffer {p}");
    }

    [Test]
    public void AdamMatches([Values(DType.Float32, DType.Float64)] DType dtype, [Values] bool decoupled, [Values] bool amsgrad)
    {
        var p = new AdamUpdateParams(1e-2, 0.9, 0.999, 1e-8, 0.05, 3, decoupled, amsgrad);
        var (pc, pg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 1));
        var (gc, gg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 2));
        var (mc, mg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 3).Select(v => 0.1 * v).ToArray());
        var (vc, vg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 4).Select(v => 0.01 * Math.Abs(v)).ToArray());
        var (xc, xg) = Pair(dtype, [1001], Layout.Contiguous, Noise(2000, 5).Select(v => 0.01 * Math.Abs(v)).ToArray());
        Cpu.AdamUpdate(pc, gc, mc, vc, amsgrad ? xc : null, p);
        Gpu.AdamUpdate(pg, gg, mg, vg, amsgrad ? xg : null, p);
        // The step m/(√v/c + eps) divides by a small √v: a few ulp of it, times lr, on O(1) parameters.
        double tolerance = 16 * (dtype == DType.Float32 ? U32 : U64);
        AssertClose(pc, pg, tolerance, tolerance, $"adam param {p}");
        AssertClose(mc, mg, tolerance, tolerance, $"adam m {p}");
        AssertClose(vc, vg, tolerance, tolerance, $"adam v {p}");
        if (amsgrad) AssertClose(xc, xg, tolerance, tolerance, $"adam max v {p}");
    }
}
