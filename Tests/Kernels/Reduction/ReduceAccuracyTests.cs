using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Reduction;

public class ReduceAccuracyTests
{
    private static readonly CpuBackend Cpu = CpuBackend.Instance;

    [Test]
    public void TenMillionTenthsInFloat32_SumWithin1e3Relative()
    {
        const int n = 10_000_000;
        var data = new float[n];
        Array.Fill(data, 0.1f);
        var x = Buffers.Make(data, [n]);

        var y = Buffers.Empty(DType.Float32, []);
        Cpu.Reduce(ReduceOp.Sum, x, 1, y);
        double expected = n * (double)0.1f;
        Assert.That(Buffers.Read<float>(y)[0], Is.EqualTo(expected).Within(1e-3 * expected), "one row");

        Cpu.Reduce(ReduceOp.Mean, x, 1, y);
        Assert.That(Buffers.Read<float>(y)[0], Is.EqualTo(0.1f).Within(1e-4), "mean");

        // The same memory as 16 columns of 625 000 rows (logical [16, 625000], strides [1, 16]).
        var columns = new BufferView(x.Buffer, 0, [16, n / 16], [1, 16]);
        var yc = Buffers.Empty(DType.Float32, [16]);
        Cpu.Reduce(ReduceOp.Sum, columns, 1, yc);
        double column = n / 16 * (double)0.1f;
        Assert.That(Buffers.Read<float>(yc), Is.All.EqualTo(column).Within(1e-4 * column), "columns");
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        // One long row (blocks split across threads), many rows, few long columns (row blocks), many columns.
        yield return new TestCaseData(new[] { 1 << 18 }, new long[] { 1 }, 1).SetArgDisplayNames("one row");
        yield return new TestCaseData(new[] { 64, 4096 }, new long[] { 4096, 1 }, 1).SetArgDisplayNames("rows");
        yield return new TestCaseData(new[] { 16, 16384 }, new long[] { 1, 16 }, 1).SetArgDisplayNames("few columns");
        yield return new TestCaseData(new[] { 4096, 64 }, new long[] { 1, 4096 }, 1).SetArgDisplayNames("many columns");
    }

    [TestCaseSource(nameof(Layouts))]
    public void Results_DoNotDependOnThreadCount(int[] shape, long[] strides, int reducedDims)
    {
        long count = BufferView.ElementCount(shape);
        var rng = new System.Random(7);
        var data = new float[count];
        for (long i = 0; i < count; i++) data[i] = (float)(rng.NextDouble() * 2 - 1) * (i % 7 == 0 ? 1000 : 1);
        var x = new BufferView(Buffers.Make(data, [(int)count]).Buffer, 0, shape, strides);
        int[] outShape = shape[..^reducedDims];

        int threads = CpuParallel.ThreadCount;
        try
        {
            foreach (var op in new[] { ReduceOp.Sum, ReduceOp.LogSumExp, ReduceOp.Max, ReduceOp.ArgMin })
            {
                var dtype = op == ReduceOp.ArgMin ? DType.Int32 : DType.Float32;
                CpuParallel.ThreadCount = 1;
                var one = Buffers.Empty(dtype, outShape);
                Cpu.Reduce(op, x, reducedDims, one);
                CpuParallel.ThreadCount = 2;
                var two = Buffers.Empty(dtype, outShape);
                Cpu.Reduce(op, x, reducedDims, two);
                CpuParallel.ThreadCount = 5;
                var five = Buffers.Empty(dtype, outShape);
                Cpu.Reduce(op, x, reducedDims, five);
                if (dtype == DType.Int32)
                {
                    Assert.That(Buffers.Read<int>(two), Is.EqualTo(Buffers.Read<int>(one)), op.ToString());
                    Assert.That(Buffers.Read<int>(five), Is.EqualTo(Buffers.Read<int>(one)), op.ToString());
                }
                else
                {
                    Assert.That(Buffers.Read<float>(two), Is.EqualTo(Buffers.Read<float>(one)), op.ToString());
                    Assert.That(Buffers.Read<float>(five), Is.EqualTo(Buffers.Read<float>(one)), op.ToString());
                }
            }
        }
        finally
        {
            CpuParallel.ThreadCount = threads;
        }
    }

    [Test]
    public void LargeFloat32Sums_MatchFloat64Reference()
    {
        // 2^20 values with wildly different magnitudes: the float32 sum stays near the float64 one.
        const int n = 1 << 20;
        var rng = new System.Random(11);
        var data = new float[n];
        double exact = 0, magnitude = 0;
        for (int i = 0; i < n; i++)
        {
            data[i] = (float)((rng.NextDouble() - 0.3) * (i % 3 == 0 ? 100 : 1));
            exact += data[i];
            magnitude += Math.Abs(data[i]);
        }
        var y = Buffers.Empty(DType.Float32, []);
        Cpu.Reduce(ReduceOp.Sum, Buffers.Make(data, [n]), 1, y);
        Assert.That(Buffers.Read<float>(y)[0], Is.EqualTo(exact).Within(1e-6 * magnitude));
    }
}
