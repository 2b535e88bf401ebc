using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Gather, ScatterAdd, IndexSelect, IndexAdd and OneHot on the simulated GPU against the CPU reference, every
/// dtype. Copies are exact, and the accumulating kernels add each element's terms in the CPU's order, so the
/// results must be bit-identical (atol = rtol = 0), also with many duplicate indices.
/// </summary>
public sealed class IndexingKernelTests : SimulatedGpuTest
{
    private static readonly DType[] All = [DType.Float32, DType.Float64, DType.Int32];

    private static double[] Values(DType dtype, int seed) =>
        Noise(4096, seed).Select(v => dtype == DType.Int32 ? Math.Round(50 * v) : v).ToArray();

    private static double[] Indices(int count, int bound, int seed) => Buffers.RandomIndices(count, bound, seed).Select(i => (double)i).ToArray();

    // [outer, n, inner] and m: inner 1 (class dim last), a wide inner, one outer slice with many duplicates.
    private static readonly (int Outer, int N, int Inner, int M)[] Shapes = [(3, 5, 1, 7), (2, 4, 6, 3), (1, 3, 5, 20), (4, 1, 2, 2)];

    [Test]
    public void GatherAndScatterAddAreBitIdentical([ValueSource(nameof(All))] DType dtype)
    {
        foreach (var (outer, n, inner, m) in Shapes)
        {
            string what = $"{dtype} [{outer}, {n}, {inner}] m {m}";
            var (xc, xg) = Pair(dtype, [outer, n, inner], Layout.Contiguous, Values(dtype, 1));
            var (ic, ig) = Pair(DType.Int32, [outer, m, inner], Layout.Contiguous, Indices(outer * m * inner, n, 2));
            var (yc, yg) = Output(dtype, outer, m, inner);
            Cpu.Gather(xc, ic, yc);
            Gpu.Gather(xg, ig, yg);
            AssertClose(yc, yg, 0, 0, "gather " + what);

            var (sc, sg) = Pair(dtype, [outer, m, inner], Layout.Contiguous, Values(dtype, 3));
            var (ac, ag) = Pair(dtype, [outer, n, inner], Layout.Contiguous, Values(dtype, 4));
            Cpu.ScatterAdd(sc, ic, ac);
            Gpu.ScatterAdd(sg, ig, ag);
            AssertClose(ac, ag, 0, 0, "scatter_add " + what);
        }
    }

    [Test]
    public void IndexSelectAndIndexAddAreBitIdentical([ValueSource(nameof(All))] DType dtype)
    {
        foreach (var (outer, n, inner, m) in Shapes)
        {
            string what = $"{dtype} [{outer}, {n}, {inner}] m {m}";
            var (xc, xg) = Pair(dtype, [outer, n, inner], Layout.Offset, Values(dtype, 5));
            var (ic, ig) = Pair(DType.Int32, [m], Layout.Offset, Indices(m, n, 6));
            var (yc, yg) = Output(dtype, outer, m, inner);
            Cpu.IndexSelect(xc, ic, yc);
            Gpu.IndexSelect(xg, ig, yg);
            AssertClose(yc, yg, 0, 0, "index_select " + what);

            var (sc, sg) = Pair(dtype, [outer, m, inner], Layout.Contiguous, Values(dtype, 7));
            var (ac, ag) = Pair(dtype, [outer, n, inner], Layout.Offset, Values(dtype, 8));
            Cpu.IndexAdd(sc, ic, ac);
            Gpu.IndexAdd(sg, ig, ag);
            AssertClose(ac, ag, 0, 0, "index_add " + what);
        }
    }

    [Test]
    public void IndexAddOfManyTermsIsBitIdenticalInFloat32()
    {
        // 64 float32 terms into each of 2 rows: any other order of additions would round differently.
        var values = Noise(4096, 9).Select(v => v * 1e3).ToArray();
        var (sc, sg) = Pair(DType.Float32, [1, 128, 3], Layout.Contiguous, values);
        var (ic, ig) = Pair(DType.Int32, [128], Layout.Contiguous, Indices(128, 2, 10));
        var (ac, ag) = Pair(DType.Float32, [1, 2, 3], Layout.Contiguous, [0.1]);
        Cpu.IndexAdd(sc, ic, ac);
        Gpu.IndexAdd(sg, ig, ag);
        AssertClose(ac, ag, 0, 0, "index_add of 128 rows into 2");
    }

    [Test]
    public void OneHotMatches([ValueSource(nameof(All))] DType dtype)
    {
        var (ic, ig) = Pair(DType.Int32, [9], Layout.Offset, Indices(9, 4, 11));
        var (yc, yg) = Output(dtype, 9, 4);
        Cpu.OneHot(ic, yc);
        Gpu.OneHot(ig, yg);
        AssertClose(yc, yg, 0, 0, $"one_hot {dtype}");
    }

    private static IEnumerable<(string Name, Action<IBackend> Call)> BadIndexCalls()
    {
        yield return ("gather", b => b.Gather(V(b, DType.Float32, 2, 3, 1), I(b, [2, 2, 1], [0, 3, 1, 2]), V(b, DType.Float32, 2, 2, 1)));
        yield return ("scatter_add", b => b.ScatterAdd(V(b, DType.Float64, 2, 2, 1), I(b, [2, 2, 1], [0, 1, -1, 2]), V(b, DType.Float64, 2, 3, 1)));
        yield return ("index_select", b => b.IndexSelect(V(b, DType.Int32, 1, 3, 2), I(b, [2], [1, 3]), V(b, DType.Int32, 1, 2, 2)));
        yield return ("index_add", b => b.IndexAdd(V(b, DType.Float32, 1, 2, 2), I(b, [2], [-2, 0]), V(b, DType.Float32, 1, 3, 2)));
        yield return ("index_add of nothing", b => b.IndexAdd(V(b, DType.Float32, 1, 2, 0), I(b, [2], [5, 0]), V(b, DType.Float32, 1, 3, 0)));
        yield return ("one_hot", b => b.OneHot(I(b, [3], [0, 4, 1]), V(b, DType.Float32, 3, 4)));
    }

    private static BufferView V(IBackend b, DType dtype, params int[] shape) => TestViews.Make(b, dtype, shape, Layout.Contiguous, [1]);

    private static BufferView I(IBackend b, int[] shape, double[] values) => TestViews.Make(b, DType.Int32, shape, Layout.Contiguous, values);

    [Test]
    public void AnIndexOutOfRangeThrowsAsOnTheCpu()
    {
        foreach (var (name, call) in BadIndexCalls())
        {
            Assert.That(() => call(Cpu), Throws.TypeOf<IndexOutOfRangeException>(), "cpu " + name);
            Assert.That(() =>
            {
                call(Gpu);
                Gpu.Synchronize();
            }, Throws.TypeOf<IndexOutOfRangeException>(), "gpu " + name);
            Assert.That(() => Gpu.Synchronize(), Throws.Nothing, "the error is reported once");
        }
    }

    [Test]
    public void BadShapesFailAsOnTheCpu()
    {
        foreach (IBackend b in new IBackend[] { Cpu, Gpu })
        {
            Assert.That(() => b.Gather(V(b, DType.Float32, 2, 3, 1), I(b, [2, 2, 1], [0]), V(b, DType.Float64, 2, 2, 1)),
                Throws.ArgumentException.With.Message.Contains("gather: y must be float32"));
            Assert.That(() => b.ScatterAdd(V(b, DType.Float32, 2, 2, 2), I(b, [2, 2, 1], [0]), V(b, DType.Float32, 2, 3, 1)),
                Throws.ArgumentException.With.Message.Contains("must have the same shape"));
            Assert.That(() => b.IndexSelect(V(b, DType.Float32, 1, 3, 2), I(b, [3], [0]), V(b, DType.Float32, 1, 2, 2)),
                Throws.ArgumentException.With.Message.Contains("must be [outer, n, inner], [m] and [outer, m, inner]"));
            Assert.That(() => b.IndexAdd(V(b, DType.Float32, 1, 2, 2), V(b, DType.Float32, 2), V(b, DType.Float32, 1, 3, 2)),
                Throws.ArgumentException.With.Message.Contains("index must be int32"));
            Assert.That(() => b.OneHot(I(b, [3], [0]), V(b, DType.Float32, 2, 4)), Throws.ArgumentException.With.Message.Contains("one row per index"));
        }
    }
}
