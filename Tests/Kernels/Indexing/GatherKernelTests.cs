using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Indexing;

[TestFixture]
public class GatherKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;

    private static BufferView Make(DType dtype, double[] values, int[] shape) => dtype switch
    {
        DType.Float32 => Buffers.Make(values.Select(v => (float)v).ToArray(), shape),
        DType.Float64 => Buffers.Make(values, shape),
        _ => Buffers.Make(values.Select(v => (int)Math.Round(v * 100)).ToArray(), shape),
    };

    [Test]
    public void GatherMatchesReference([Values] DType dtype, [Values(1, 4)] int inner)
    {
        int outer = 3, n = 5, m = 7;
        var xv = Make(dtype, Buffers.Noise(outer * n * inner, 1), [outer, n, inner]);
        var x = Buffers.ReadAsDouble(xv);
        var index = Buffers.RandomIndices(outer * m * inner, n, 2);
        var yv = Buffers.Empty(dtype, [outer, m, inner]);
        Cpu.Gather(xv, Buffers.Make(index, [outer, m, inner]), yv);

        var expected = new double[outer * m * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * m + j) * inner + i;
                    expected[at] = x[(o * n + index[at]) * inner + i];
                }
        Assert.That(Buffers.ReadAsDouble(yv), Is.EqualTo(expected));
    }

    [Test]
    public void ScatterAddMatchesReference([Values] DType dtype, [Values(1, 4, 1500)] int inner)
    {
        int outer = 2, n = 4, m = 9;   // m > n: indices repeat, so terms accumulate
        var yv = Make(dtype, Buffers.Noise(outer * n * inner, 3), [outer, n, inner]);
        var srcv = Make(dtype, Buffers.Noise(outer * m * inner, 4), [outer, m, inner]);
        var expected = Buffers.ReadAsDouble(yv);
        var src = Buffers.ReadAsDouble(srcv);
        var index = Buffers.RandomIndices(outer * m * inner, n, 5);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * m + j) * inner + i;
                    expected[(o * n + index[at]) * inner + i] += src[at];
                }
        Cpu.ScatterAdd(srcv, Buffers.Make(index, [outer, m, inner]), yv);
        double tol = dtype == DType.Float32 ? 1e-5 : 1e-12;
        Assert.That(Buffers.ReadAsDouble(yv), Is.EqualTo(expected).Within(tol));
    }

    [NonParallelizable] // changes the process-wide CpuParallel.ThreadCount
    [Test]
    public void ScatterAddDoesNotDependOnThreadCount()
    {
        int outer = 6, n = 3, m = 200, inner = 300;
        var src = Buffers.Make(Buffers.Noise(outer * m * inner, 6).Select(v => (float)(v * 1000)).ToArray(), [outer, m, inner]);
        var index = Buffers.Make(Buffers.RandomIndices(outer * m * inner, n, 7), [outer, m, inner]);
        float[] Run()
        {
            var y = Buffers.Make(new float[outer * n * inner], [outer, n, inner]);
            Cpu.ScatterAdd(src, index, y);
            return Buffers.Read<float>(y);
        }
        ThreadCounts.AssertSameResult(Run);
    }

    [TestCase(5)]
    [TestCase(-1)]
    public void GatherRejectsOutOfRangeIndex(int bad)
    {
        var x = Buffers.Make(new float[2 * 5], [2, 5, 1]);
        int[] index = [0, 1, 4, bad];
        var ex = Assert.Throws<IndexOutOfRangeException>(() => Cpu.Gather(x, Buffers.Make(index, [2, 2, 1]), Buffers.Empty(DType.Float32, [2, 2, 1])));
        Assert.That(ex!.Message, Does.Contain("gather").And.Contain($"index {bad}").And.Contain("[0, 5)"));
    }

    [Test]
    public void ScatterAddRejectsOutOfRangeIndexBeforeWriting()
    {
        var y = Buffers.Make(new double[] { 1, 2, 3 }, [1, 3, 1]);
        var src = Buffers.Make(new double[] { 10, 20 }, [1, 2, 1]);
        var ex = Assert.Throws<IndexOutOfRangeException>(() => Cpu.ScatterAdd(src, Buffers.Make(new[] { 0, 3 }, [1, 2, 1]), y));
        Assert.That(ex!.Message, Does.Contain("scatter_add").And.Contain("index 3").And.Contain("[0, 3)"));
        Assert.That(Buffers.Read<double>(y), Is.EqualTo(new double[] { 1, 2, 3 }));
    }

    [Test]
    public void RejectsMismatchedShapes()
    {
        var x = Buffers.Make(new float[2 * 5 * 3], [2, 5, 3]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Gather(x, Buffers.Make(new int[2 * 2 * 3], [2, 2, 3]), Buffers.Empty(DType.Float32, [2, 2, 4])));
        Assert.That(ex!.Message, Does.Contain("gather").And.Contain("[2, 2, 3]").And.Contain("[2, 2, 4]"));
        ex = Assert.Throws<ArgumentException>(() => Cpu.Gather(x, Buffers.Make(new float[2 * 2 * 3], [2, 2, 3]), Buffers.Empty(DType.Float32, [2, 2, 3])));
        Assert.That(ex!.Message, Does.Contain("index").And.Contain("int32"));
    }
}
