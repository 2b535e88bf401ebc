using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Indexing;

[TestFixture]
public class OneHotKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;

    [Test]
    public void EncodesEachIndex([Values] DType dtype)
    {
        int[] index = [2, 0, 3, 3, 1];
        int classes = 4;
        // Start from 7s: the kernel must overwrite every element, not only set the ones.
        var sevens = Enumerable.Repeat(7, index.Length * classes).ToArray();
        var y = dtype switch
        {
            DType.Float32 => Buffers.Make(sevens.Select(v => (float)v).ToArray(), [index.Length, classes]),
            DType.Float64 => Buffers.Make(sevens.Select(v => (double)v).ToArray(), [index.Length, classes]),
            _ => Buffers.Make(sevens, [index.Length, classes]),
        };
        Cpu.OneHot(Buffers.Make(index, [index.Length]), y);
        double[] actual = dtype switch
        {
            DType.Float32 => Buffers.Read<float>(y).Select(v => (double)v).ToArray(),
            DType.Float64 => Buffers.Read<double>(y),
            _ => Buffers.Read<int>(y).Select(v => (double)v).ToArray(),
        };
        for (int k = 0; k < index.Length; k++)
            for (int c = 0; c < classes; c++)
                Assert.That(actual[k * classes + c], Is.EqualTo(index[k] == c ? 1.0 : 0.0), $"row {k}, class {c}");
    }

    [Test]
    public void LargeInputMatchesReference()
    {
        int rows = 20000, classes = 10;
        var rng = new System.Random(3);
        var index = Enumerable.Range(0, rows).Select(_ => rng.Next(classes)).ToArray();
        var y = Buffers.Empty(DType.Float32, [rows, classes]);
        Cpu.OneHot(Buffers.Make(index, [rows]), y);
        var expected = new float[rows * classes];
        for (int k = 0; k < rows; k++) expected[k * classes + index[k]] = 1;
        var actual = Buffers.Read<float>(y);
        int mismatch = Enumerable.Range(0, expected.Length).FirstOrDefault(k => actual[k] != expected[k], -1);
        Assert.That(mismatch, Is.EqualTo(-1), "first element that differs");
    }

    [Test]
    public void RejectsOutOfRangeIndex()
    {
        var ex = Assert.Throws<IndexOutOfRangeException>(() =>
            Cpu.OneHot(Buffers.Make(new[] { 1, 10 }, [2]), Buffers.Empty(DType.Float32, [2, 10])));
        Assert.That(ex!.Message, Does.Contain("one_hot").And.Contain("index 10").And.Contain("[0, 10)"));
    }
}
