using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Indexing;

[TestFixture]
public class IndexSelectKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;

    [Test]
    public void IndexSelectMatchesReference([Values(1, 3)] int outer, [Values(1, 5, 33)] int inner)
    {
        int n = 6, m = 9;
        var x = Buffers.Noise(outer * n * inner, 1);
        var index = Buffers.RandomIndices(m, n, 2);
        var y64 = Buffers.Empty(DType.Float64, [outer, m, inner]);
        Cpu.IndexSelect(Buffers.Make(x, [outer, n, inner]), Buffers.Make(index, [m]), y64);
        var yInt = Buffers.Empty(DType.Int32, [outer, m, inner]);
        var xInt = x.Select(v => (int)(v * 1000)).ToArray();
        Cpu.IndexSelect(Buffers.Make(xInt, [outer, n, inner]), Buffers.Make(index, [m]), yInt);

        var expected = new double[outer * m * inner];
        var expectedInt = new int[outer * m * inner];
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                {
                    expected[(o * m + j) * inner + i] = x[(o * n + index[j]) * inner + i];
                    expectedInt[(o * m + j) * inner + i] = xInt[(o * n + index[j]) * inner + i];
                }
        Assert.That(Buffers.Read<double>(y64), Is.EqualTo(expected));
        Assert.That(Buffers.Read<int>(yInt), Is.EqualTo(expectedInt));
    }

    [Test]
    public void IndexAddMatchesReference([Values(1, 3)] int outer, [Values(1, 5, 33)] int inner, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        int n = 4, m = 11;
        var y0 = Buffers.Noise(outer * n * inner, 3);
        var src = Buffers.Noise(outer * m * inner, 4);
        var index = Buffers.RandomIndices(m, n, 5);
        var expected = (double[])y0.Clone();
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < m; j++)
                for (int i = 0; i < inner; i++)
                    expected[(o * n + index[j]) * inner + i] += src[(o * m + j) * inner + i];

        double[] actual;
        if (dtype == DType.Float64)
        {
            var y = Buffers.Make(y0, [outer, n, inner]);
            Cpu.IndexAdd(Buffers.Make(src, [outer, m, inner]), Buffers.Make(index, [m]), y);
            actual = Buffers.Read<double>(y);
        }
        else
        {
            var y = Buffers.Make(y0.Select(v => (float)v).ToArray(), [outer, n, inner]);
            Cpu.IndexAdd(Buffers.Make(src.Select(v => (float)v).ToArray(), [outer, m, inner]), Buffers.Make(index, [m]), y);
            actual = Buffers.Read<float>(y).Select(v => (double)v).ToArray();
        }
        Assert.That(actual, Is.EqualTo(expected).Within(dtype == DType.Float32 ? 1e-5 : 1e-12));
    }

    [Test]
    public void IndexAddInt32Accumulates()
    {
        var y = Buffers.Make(new[] { 1, 2, 3, 4 }, [1, 2, 2]);
        Cpu.IndexAdd(Buffers.Make(new[] { 10, 20, 30, 40, 50, 60 }, [1, 3, 2]), Buffers.Make(new[] { 1, 1, 0 }, [3]), y);
        Assert.That(Buffers.Read<int>(y), Is.EqualTo(new[] { 1 + 50, 2 + 60, 3 + 10 + 30, 4 + 20 + 40 }));
    }

    [NonParallelizable] // changes the process-wide CpuParallel.ThreadCount
    [Test]
    public void IndexAddDoesNotDependOnThreadCount([Values(1, 5)] int outer)
    {
        // An embedding gradient: few destination rows, many repeated source rows.
        int n = 50, m = 4000, inner = 64;
        var src = Buffers.Make(Buffers.Noise(outer * m * inner, 6).Select(v => (float)(v * 1000)).ToArray(), [outer, m, inner]);
        var index = Buffers.Make(Buffers.RandomIndices(m, n, 7), [m]);
        float[] Run()
        {
            var y = Buffers.Make(new float[outer * n * inner], [outer, n, inner]);
            Cpu.IndexAdd(src, index, y);
            return Buffers.Read<float>(y);
        }
        ThreadCounts.AssertSameResult(Run);
    }

    [Test]
    public void RejectsOutOfRangeIndex()
    {
        var x = Buffers.Make(new float[2 * 3 * 2], [2, 3, 2]);
        var ex = Assert.Throws<IndexOutOfRangeException>(() => Cpu.IndexSelect(x, Buffers.Make(new[] { 2, 7 }, [2]), Buffers.Empty(DType.Float32, [2, 2, 2])));
        Assert.That(ex!.Message, Does.Contain("index_select").And.Contain("index 7").And.Contain("[0, 3)"));

        var y = Buffers.Make(new float[] { 1, 2, 3, 4, 5, 6 }, [1, 3, 2]);
        ex = Assert.Throws<IndexOutOfRangeException>(() => Cpu.IndexAdd(Buffers.Make(new float[4], [1, 2, 2]), Buffers.Make(new[] { 0, -2 }, [2]), y));
        Assert.That(ex!.Message, Does.Contain("index_add").And.Contain("index -2").And.Contain("[0, 3)"));
        Assert.That(Buffers.Read<float>(y), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void RejectsMismatchedShapes()
    {
        var x = Buffers.Make(new float[2 * 3 * 2], [2, 3, 2]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.IndexSelect(x, Buffers.Make(new[] { 0, 1 }, [2]), Buffers.Empty(DType.Float32, [2, 3, 2])));
        Assert.That(ex!.Message, Does.Contain("index_select").And.Contain("[2, 3, 2]").And.Contain("[2]"));
    }
}
