using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Softmax;

[TestFixture]
public class SoftmaxKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;

    private static void AssertClose(double[] actual, double[] expected, double atol, double rtol, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what);
        for (int k = 0; k < expected.Length; k++)
        {
            double tol = atol + rtol * Math.Abs(expected[k]);
            if (!(Math.Abs(actual[k] - expected[k]) <= tol))
                Assert.Fail($"{what}: element {k} is {actual[k]}, expected {expected[k]} (tolerance {tol})");
        }
    }

    private static double[] Scaled(int count, int seed, double scale) => Buffers.Noise(count, seed).Select(v => v * scale).ToArray();

    private static double[] RunForward<T>(double[] x, int[] shape, bool log) where T : unmanaged
    {
        var xv = Make<T>(x, shape);
        var yv = Buffers.Empty(xv.DType, shape);
        Cpu.Softmax(xv, yv, log);
        return ToDouble(Buffers.Read<T>(yv));
    }

    private static BufferView Make<T>(double[] values, int[] shape) where T : unmanaged
        => typeof(T) == typeof(float)
            ? Buffers.Make(values.Select(v => (float)v).ToArray(), shape)
            : Buffers.Make(values, shape);

    private static double[] ToDouble<T>(T[] values) where T : unmanaged
        => values switch
        {
            float[] f => f.Select(v => (double)v).ToArray(),
            double[] d => d,
            _ => throw new ArgumentException("unexpected element type"),
        };

    // ---- forward ----------------------------------------------------------------------------

    private static readonly int[][] Shapes =
    [
        [128, 10, 1],   // logits: softmax over the last dim
        [2, 3000, 1],   // long rows: several summation blocks, vector body and tail
        [1, 1, 1],
        [3, 7, 5],      // softmax over a middle dim
        [2, 4, 300],    // more columns than one column block
        [1, 9, 17],
    ];

    [Test]
    public void ForwardMatchesReference([ValueSource(nameof(Shapes))] int[] shape, [Values] bool log)
    {
        int count = shape[0] * shape[1] * shape[2];
        var x = Scaled(count, 11, 8);
        var expected = SoftmaxReference.Forward(x, shape[0], shape[1], shape[2], log);
        AssertClose(RunForward<double>(x, shape, log), expected, 1e-14, 1e-12, "float64");
        var x32 = x.Select(v => (double)(float)v).ToArray();
        var expected32 = SoftmaxReference.Forward(x32, shape[0], shape[1], shape[2], log);
        // float32 rounds each e^(x − max) term: log-softmax near 0 carries about one ulp of 1.0 absolute.
        AssertClose(RunForward<float>(x32, shape, log), expected32, 5e-7, 3e-6, "float32");
    }

    [Test]
    public void SoftmaxRowsSumToOne()
    {
        int[] shape = [16, 1000, 1];
        var y = RunForward<float>(Scaled(16000, 3, 20), shape, log: false);
        for (int o = 0; o < 16; o++)
            Assert.That(y.Skip(o * 1000).Take(1000).Sum(), Is.EqualTo(1.0).Within(1e-5));
    }

    [Test]
    public void LargeInputsDoNotOverflow([Values] bool log)
    {
        double[] x = [1000, 1001, 1002, -1000, -999, -998];
        int[] shape = [2, 3, 1];
        var expected = SoftmaxReference.Forward([0, 1, 2, 0, 1, 2], 2, 3, 1, log);
        AssertClose(RunForward<float>(x, shape, log), expected, 1e-6, 1e-6, "float32");
        AssertClose(RunForward<double>(x, shape, log), expected, 1e-15, 1e-13, "float64");
    }

    [Test]
    public void MaskedEntriesGetZeroProbability([Values(1, 3)] int inner, [Values] bool log)
    {
        // -inf marks masked positions (attention masks); every third entry along n is masked.
        int n = 20;
        int[] shape = [2, n, inner];
        var x = Scaled(2 * n * inner, 13, 3);
        for (int k = 0; k < x.Length; k++)
            if ((k / inner) % n % 3 == 0) x[k] = double.NegativeInfinity;
        var expected = SoftmaxReference.Forward(x, 2, n, inner, log);
        var actual = RunForward<float>(x.Select(v => (double)(float)v).ToArray(), shape, log);
        for (int k = 0; k < x.Length; k++)
        {
            if (double.IsNegativeInfinity(x[k]))
                Assert.That(actual[k], Is.EqualTo(log ? double.NegativeInfinity : 0.0), $"masked element {k}");
            else
                Assert.That(actual[k], Is.EqualTo(expected[k]).Within(1e-5), $"element {k}");
        }
    }

    // ---- backward ---------------------------------------------------------------------------

    [Test]
    public void BackwardMatchesFormulaAndFiniteDifferences([Values(1, 3)] int inner, [Values] bool log)
    {
        int outer = 2, n = 5, count = outer * n * inner;
        int[] shape = [outer, n, inner];
        var x = Scaled(count, 5, 2);
        var gy = Buffers.Noise(count, 6);

        var yv = Buffers.Make(RunForward<double>(x, shape, log), shape);
        var gxv = Buffers.Empty(DType.Float64, shape);
        Cpu.SoftmaxBackward(yv, Buffers.Make(gy, shape), gxv, log);
        var gx = Buffers.Read<double>(gxv);

        AssertClose(gx, SoftmaxReference.Backward(SoftmaxReference.Forward(x, outer, n, inner, log), gy, outer, n, inner, log), 1e-14, 1e-12, "formula");

        // L = Σ gy·f(x); dL/dx by central differences of the reference forward.
        const double h = 1e-6;
        var numeric = new double[count];
        for (int k = 0; k < count; k++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[k] += h;
            minus[k] -= h;
            var yp = SoftmaxReference.Forward(plus, outer, n, inner, log);
            var ym = SoftmaxReference.Forward(minus, outer, n, inner, log);
            double lp = 0, lm = 0;
            for (int t = 0; t < count; t++)
            {
                lp += gy[t] * yp[t];
                lm += gy[t] * ym[t];
            }
            numeric[k] = (lp - lm) / (2 * h);
        }
        AssertClose(gx, numeric, 1e-7, 1e-5, "finite differences");
    }

    [Test]
    public void BackwardFloat32MatchesReference([ValueSource(nameof(Shapes))] int[] shape, [Values] bool log)
    {
        int count = shape[0] * shape[1] * shape[2];
        var y = SoftmaxReference.Forward(Scaled(count, 8, 4), shape[0], shape[1], shape[2], log).Select(v => (double)(float)v).ToArray();
        var gy = Buffers.Noise(count, 9).Select(v => (double)(float)v).ToArray();
        var gxv = Buffers.Empty(DType.Float32, shape);
        Cpu.SoftmaxBackward(Make<float>(y, shape), Make<float>(gy, shape), gxv, log);
        var expected = SoftmaxReference.Backward(y, gy, shape[0], shape[1], shape[2], log);
        // A row of 3000 sums 3000 terms: allow for the float32 rounding of that sum.
        AssertClose(ToDouble(Buffers.Read<float>(gxv)), expected, 1e-6, 1e-5, "float32");
    }

    // ---- threads and bad input --------------------------------------------------------------

    [NonParallelizable] // changes the process-wide CpuParallel.ThreadCount
    [Test]
    public void ResultDoesNotDependOnThreadCount([Values(1, 40)] int inner, [Values] bool log)
    {
        // Rows: several chunks of rows; columns: several (outer, column block) units per chunk.
        int[] shape = inner == 1 ? [640, 100, 1] : [32, 100, inner];
        int count = shape[0] * shape[1] * shape[2];
        var x = Buffers.Make(Scaled(count, 2, 10).Select(v => (float)v).ToArray(), shape);
        var gy = Buffers.Make(Buffers.Noise(count, 4).Select(v => (float)v).ToArray(), shape);
        float[] Run()
        {
            var y = Buffers.Empty(DType.Float32, shape);
            var gx = Buffers.Empty(DType.Float32, shape);
            Cpu.Softmax(x, y, log);
            Cpu.SoftmaxBackward(y, gy, gx, log);
            return Buffers.Read<float>(y).Concat(Buffers.Read<float>(gx)).ToArray();
        }
        ThreadCounts.AssertSameResult(Run, many: Math.Max(4, CpuParallel.ThreadCount));
    }

    [Test]
    public void RejectsBadViews()
    {
        var x = Buffers.Make(new float[12], [2, 3, 2]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.Softmax(x, Buffers.Empty(DType.Float32, [2, 2, 3]), false));
        Assert.That(ex!.Message, Does.Contain("softmax").And.Contain("[2, 3, 2]").And.Contain("[2, 2, 3]"));

        var transposed = x.WithLayout([2, 2, 3], [6, 1, 2], 0);
        ex = Assert.Throws<ArgumentException>(() => Cpu.Softmax(transposed, Buffers.Empty(DType.Float32, [2, 2, 3]), true));
        Assert.That(ex!.Message, Does.Contain("log_softmax").And.Contain("contiguous"));

        ex = Assert.Throws<ArgumentException>(() => Cpu.Softmax(Buffers.Make(new int[12], [2, 3, 2]), Buffers.Empty(DType.Int32, [2, 3, 2]), false));
        Assert.That(ex!.Message, Does.Contain("float32 or float64"));

        ex = Assert.Throws<ArgumentException>(() => Cpu.SoftmaxBackward(x, Buffers.Empty(DType.Float64, [2, 3, 2]), Buffers.Empty(DType.Float32, [2, 3, 2]), false));
        Assert.That(ex!.Message, Does.Contain("softmax_backward").And.Contain("gy float64"));
    }
}
