using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Normalization;

[TestFixture]
public class BatchNormKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;
    private const double Eps = 1e-5;

    // ---- naive float64 reference -------------------------------------------------------------

    private static (double[] Mean, double[] Var) Statistics(double[] x, int batch, int channels, int size)
    {
        var mean = new double[channels];
        var variance = new double[channels];
        int count = batch * size;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < size; s++) sum += x[(n * channels + c) * size + s];
            mean[c] = sum / count;
            double sq = 0;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < size; s++)
                {
                    double d = x[(n * channels + c) * size + s] - mean[c];
                    sq += d * d;
                }
            variance[c] = sq / count;
        }
        return (mean, variance);
    }

    private static double[] Normalize(double[] x, int batch, int channels, int size, double[] mean, double[] variance, double[]? weight, double[]? bias)
    {
        var y = new double[x.Length];
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
                for (int s = 0; s < size; s++)
                {
                    int at = (n * channels + c) * size + s;
                    y[at] = (x[at] - mean[c]) / Math.Sqrt(variance[c] + Eps) * (weight?[c] ?? 1) + (bias?[c] ?? 0);
                }
        return y;
    }

    private static double[] TrainingForward(double[] x, int batch, int channels, int size, double[]? weight, double[]? bias)
    {
        var (mean, variance) = Statistics(x, batch, channels, size);
        return Normalize(x, batch, channels, size, mean, variance, weight, bias);
    }

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

    // ---- forward -------------------------------------------------------------------------------

    [Test]
    public void TrainingForwardMatchesReference([Values] bool affine, [Values(1, 5, 37)] int size, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        int batch = 4, channels = 3;
        int[] shape = [batch, channels, size];
        var x = Buffers.RoundedTo(dtype, Buffers.Noise(batch * channels * size, 1).Select(v => 3 * v + 0.5).ToArray());
        var weight = affine ? Buffers.RoundedTo(dtype, [1.5, -0.5, 2]) : null;
        var bias = affine ? Buffers.RoundedTo(dtype, [0.1, 0.2, -0.3]) : null;
        var runningMean = Buffers.RoundedTo(dtype, [0.2, -0.1, 0.4]);
        var runningVar = Buffers.RoundedTo(dtype, [1.0, 0.7, 1.3]);
        const double momentum = 0.1;

        var yv = Buffers.Empty(dtype, shape);
        var meanV = Buffers.Empty(dtype, [channels]);
        var invStdV = Buffers.Empty(dtype, [channels]);
        var rmV = Buffers.MakeFloating(dtype, runningMean, [channels]);
        var rvV = Buffers.MakeFloating(dtype, runningVar, [channels]);
        Cpu.BatchNormForwardTraining(Buffers.MakeFloating(dtype, x, shape), weight is null ? null : Buffers.MakeFloating(dtype, weight, [channels]),
            bias is null ? null : Buffers.MakeFloating(dtype, bias, [channels]), yv, meanV, invStdV, rmV, rvV, momentum, Eps);

        var (mean, variance) = Statistics(x, batch, channels, size);
        double count = batch * size;
        var expectedRm = runningMean.Select((r, c) => (1 - momentum) * r + momentum * mean[c]).ToArray();
        var expectedRv = runningVar.Select((r, c) => (1 - momentum) * r + momentum * variance[c] * count / (count - 1)).ToArray();
        double tol = dtype == DType.Float32 ? 2e-6 : 1e-12;
        AssertClose(Buffers.ReadAsDouble(yv), Normalize(x, batch, channels, size, mean, variance, weight, bias), tol, tol, "y");
        AssertClose(Buffers.ReadAsDouble(meanV), mean, tol, tol, "save_mean");
        AssertClose(Buffers.ReadAsDouble(invStdV), variance.Select(v => 1 / Math.Sqrt(v + Eps)).ToArray(), tol, tol, "save_invstd");
        AssertClose(Buffers.ReadAsDouble(rmV), expectedRm, tol, tol, "running_mean");
        AssertClose(Buffers.ReadAsDouble(rvV), expectedRv, tol, tol, "running_var (unbiased)");
    }

    [Test]
    public void TrainingStatisticsWithoutRunningBuffers()
    {
        int[] shape = [3, 2, 4];
        var x = Buffers.Noise(24, 9);
        var meanV = Buffers.Empty(DType.Float64, [2]);
        var invStdV = Buffers.Empty(DType.Float64, [2]);
        var yv = Buffers.Empty(DType.Float64, shape);
        Cpu.BatchNormForwardTraining(Buffers.Make(x, shape), null, null, yv, meanV, invStdV, null, null, 0.1, Eps);
        var (mean, _) = Statistics(x, 3, 2, 4);
        AssertClose(Buffers.Read<double>(meanV), mean, 1e-14, 1e-12, "save_mean");
        AssertClose(Buffers.Read<double>(yv), TrainingForward(x, 3, 2, 4, null, null), 1e-12, 1e-12, "y");
    }

    [Test]
    public void Float32StatisticsStayAccurateForLargeOffsets()
    {
        // Mean 1000, spread 0.01, 100 000 values per channel: E[x²] − E[x]² in float32 would lose everything.
        int batch = 50, channels = 2, size = 2000;
        var x = Buffers.Noise(batch * channels * size, 4).Select(v => (double)(float)(1000 + 0.01 * v)).ToArray();
        var meanV = Buffers.Empty(DType.Float32, [channels]);
        var invStdV = Buffers.Empty(DType.Float32, [channels]);
        Cpu.BatchNormForwardTraining(Buffers.MakeFloating(DType.Float32, x, [batch, channels, size]), null, null,
            Buffers.Empty(DType.Float32, [batch, channels, size]), meanV, invStdV, null, null, 0.1, 0);
        var (mean, variance) = Statistics(x, batch, channels, size);
        AssertClose(Buffers.ReadAsDouble(meanV), mean, 0, 1e-7, "mean");
        AssertClose(Buffers.ReadAsDouble(invStdV), variance.Select(v => 1 / Math.Sqrt(v)).ToArray(), 0, 1e-6, "invstd");
    }

    [Test]
    public void InferenceMatchesReference([Values] bool affine, [Values(DType.Float32, DType.Float64)] DType dtype)
    {
        int batch = 3, channels = 4, size = 21;
        int[] shape = [batch, channels, size];
        var x = Buffers.RoundedTo(dtype, Buffers.Noise(batch * channels * size, 2));
        var mean = Buffers.RoundedTo(dtype, [0.1, -0.2, 0.3, 0.0]);
        var variance = Buffers.RoundedTo(dtype, [0.5, 1.5, 2.0, 0.25]);
        var weight = affine ? Buffers.RoundedTo(dtype, [1.0, 2.0, -1.0, 0.5]) : null;
        var bias = affine ? Buffers.RoundedTo(dtype, [0.0, 0.1, 0.2, 0.3]) : null;
        var yv = Buffers.Empty(dtype, shape);
        Cpu.BatchNormForwardInference(Buffers.MakeFloating(dtype, x, shape), weight is null ? null : Buffers.MakeFloating(dtype, weight, [channels]),
            bias is null ? null : Buffers.MakeFloating(dtype, bias, [channels]), Buffers.MakeFloating(dtype, mean, [channels]), Buffers.MakeFloating(dtype, variance, [channels]), yv, Eps);
        double tol = dtype == DType.Float32 ? 2e-6 : 1e-13;
        AssertClose(Buffers.ReadAsDouble(yv), Normalize(x, batch, channels, size, mean, variance, weight, bias), tol, tol, "y");
    }

    // ---- backward ------------------------------------------------------------------------------

    [Test]
    public void BackwardMatchesFiniteDifferences([Values] bool affine, [Values(1, 3)] int size)
    {
        int batch = 4, channels = 2, count = batch * channels * size;
        int[] shape = [batch, channels, size];
        var x = Buffers.Noise(count, 11).Select(v => 2 * v + 0.3).ToArray();
        var gy = Buffers.Noise(count, 12);
        var weight = affine ? new[] { 1.7, -0.6 } : null;
        var bias = affine ? new[] { 0.2, -0.4 } : null;

        var meanV = Buffers.Empty(DType.Float64, [channels]);
        var invStdV = Buffers.Empty(DType.Float64, [channels]);
        var xv = Buffers.Make(x, shape);
        var wv = weight is null ? (BufferView?)null : Buffers.Make(weight, [channels]);
        Cpu.BatchNormForwardTraining(xv, wv, bias is null ? null : Buffers.Make(bias, [channels]), Buffers.Empty(DType.Float64, shape),
            meanV, invStdV, null, null, 0.1, Eps);
        var gxv = Buffers.Empty(DType.Float64, shape);
        var gwv = Buffers.Empty(DType.Float64, [channels]);
        var gbv = Buffers.Empty(DType.Float64, [channels]);
        Cpu.BatchNormBackward(xv, Buffers.Make(gy, shape), wv, meanV, invStdV, gxv, gwv, gbv);

        // L = Σ gy·y(x, w, b); central differences of the float64 reference forward.
        const double h = 1e-6;
        double Loss(double[] xs, double[]? w, double[]? b)
        {
            var y = TrainingForward(xs, batch, channels, size, w, b);
            double sum = 0;
            for (int k = 0; k < count; k++) sum += gy[k] * y[k];
            return sum;
        }
        double[] Numeric(double[] values, Func<double[], double> loss)
        {
            var grad = new double[values.Length];
            for (int k = 0; k < values.Length; k++)
            {
                var plus = (double[])values.Clone();
                var minus = (double[])values.Clone();
                plus[k] += h;
                minus[k] -= h;
                grad[k] = (loss(plus) - loss(minus)) / (2 * h);
            }
            return grad;
        }
        AssertClose(Buffers.Read<double>(gxv), Numeric(x, xs => Loss(xs, weight, bias)), 1e-6, 1e-5, "gx");
        var w0 = weight ?? [1.0, 1.0];
        var b0 = bias ?? [0.0, 0.0];
        AssertClose(Buffers.Read<double>(gwv), Numeric(w0, w => Loss(x, w, b0)), 1e-6, 1e-5, "grad_weight");
        AssertClose(Buffers.Read<double>(gbv), Numeric(b0, b => Loss(x, w0, b)), 1e-6, 1e-5, "grad_bias");
    }

    [TestCase(6, 70, 1, DType.Float32)]
    [TestCase(6, 70, 1, DType.Float64)]
    [TestCase(3, 5, 40, DType.Float32)]
    public void BackwardMatchesAnalyticReference(int batch, int channels, int size, DType dtype)
    {
        int count = batch * channels * size, m = batch * size;
        int[] shape = [batch, channels, size];
        var x = Buffers.RoundedTo(dtype, Buffers.Noise(count, 51).Select(v => 3 * v + 1).ToArray());
        var gy = Buffers.RoundedTo(dtype, Buffers.Noise(count, 52));
        var weight = Buffers.RoundedTo(dtype, Buffers.Noise(channels, 53).Select(v => v + 1.5).ToArray());
        var bias = Buffers.RoundedTo(dtype, Buffers.Noise(channels, 54));

        var yv = Buffers.Empty(dtype, shape);
        var meanV = Buffers.Empty(dtype, [channels]);
        var invStdV = Buffers.Empty(dtype, [channels]);
        var xv = Buffers.MakeFloating(dtype, x, shape);
        var wv = Buffers.MakeFloating(dtype, weight, [channels]);
        Cpu.BatchNormForwardTraining(xv, wv, Buffers.MakeFloating(dtype, bias, [channels]), yv, meanV, invStdV, null, null, 0.1, Eps);
        var gxv = Buffers.Empty(dtype, shape);
        var gwv = Buffers.Empty(dtype, [channels]);
        var gbv = Buffers.Empty(dtype, [channels]);
        Cpu.BatchNormBackward(xv, Buffers.MakeFloating(dtype, gy, shape), wv, meanV, invStdV, gxv, gwv, gbv);

        // gx = w·invstd·(gy − mean(gy) − x̂·mean(gy·x̂)); gw = Σ gy·x̂; gb = Σ gy.
        var (mean, variance) = Statistics(x, batch, channels, size);
        var gx = new double[count];
        var gw = new double[channels];
        var gb = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double invStd = 1 / Math.Sqrt(variance[c] + Eps), sumGy = 0, sumGyXhat = 0;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < size; s++)
                {
                    int at = (n * channels + c) * size + s;
                    sumGy += gy[at];
                    sumGyXhat += gy[at] * (x[at] - mean[c]) * invStd;
                }
            gw[c] = sumGyXhat;
            gb[c] = sumGy;
            for (int n = 0; n < batch; n++)
                for (int s = 0; s < size; s++)
                {
                    int at = (n * channels + c) * size + s;
                    double xhat = (x[at] - mean[c]) * invStd;
                    gx[at] = weight[c] * invStd * (gy[at] - sumGy / m - xhat * sumGyXhat / m);
                }
        }
        AssertClose(Buffers.ReadAsDouble(yv), Normalize(x, batch, channels, size, mean, variance, weight, bias), 2e-6, 2e-6, "y");
        double tol = dtype == DType.Float32 ? 2e-5 : 1e-11;
        AssertClose(Buffers.ReadAsDouble(gxv), gx, tol, tol, "gx");
        AssertClose(Buffers.ReadAsDouble(gwv), gw, tol, tol, "grad_weight");
        AssertClose(Buffers.ReadAsDouble(gbv), gb, tol, tol, "grad_bias");
    }

    [Test]
    public void BackwardFloat32MatchesFloat64([Values(1, 49)] int size)
    {
        int batch = 8, channels = 5, count = batch * channels * size;
        int[] shape = [batch, channels, size];
        var x = Buffers.RoundedTo(DType.Float32, Buffers.Noise(count, 21).Select(v => 4 * v - 1).ToArray());
        var gy = Buffers.RoundedTo(DType.Float32, Buffers.Noise(count, 22));
        var weight = Buffers.RoundedTo(DType.Float32, [0.5, 1.5, -2, 1, 0.25]);
        double[] Run(DType dtype, out double[] gw, out double[] gb)
        {
            var mean = Buffers.Empty(dtype, [channels]);
            var invStd = Buffers.Empty(dtype, [channels]);
            var xv = Buffers.MakeFloating(dtype, x, shape);
            var wv = Buffers.MakeFloating(dtype, weight, [channels]);
            Cpu.BatchNormForwardTraining(xv, wv, null, Buffers.Empty(dtype, shape), mean, invStd, null, null, 0.1, Eps);
            var gx = Buffers.Empty(dtype, shape);
            var gwv = Buffers.Empty(dtype, [channels]);
            var gbv = Buffers.Empty(dtype, [channels]);
            Cpu.BatchNormBackward(xv, Buffers.MakeFloating(dtype, gy, shape), wv, mean, invStd, gx, gwv, gbv);
            gw = Buffers.ReadAsDouble(gwv);
            gb = Buffers.ReadAsDouble(gbv);
            return Buffers.ReadAsDouble(gx);
        }
        var gx64 = Run(DType.Float64, out var gw64, out var gb64);
        var gx32 = Run(DType.Float32, out var gw32, out var gb32);
        AssertClose(gx32, gx64, 1e-5, 1e-4, "gx");
        AssertClose(gw32, gw64, 1e-5, 1e-5, "grad_weight");
        AssertClose(gb32, gb64, 1e-5, 1e-5, "grad_bias");
    }

    [Test]
    public void BackwardWithoutParameterGradients()
    {
        int[] shape = [2, 2, 3];
        var x = Buffers.Make(Buffers.Noise(12, 30), shape);
        var mean = Buffers.Empty(DType.Float64, [2]);
        var invStd = Buffers.Empty(DType.Float64, [2]);
        Cpu.BatchNormForwardTraining(x, null, null, Buffers.Empty(DType.Float64, shape), mean, invStd, null, null, 0.1, Eps);
        var gx = Buffers.Empty(DType.Float64, shape);
        Cpu.BatchNormBackward(x, Buffers.Make(Buffers.Noise(12, 31), shape), null, mean, invStd, gx, null, null);
        // Σ over each channel of gx is 0: shifting a whole channel of x does not change y.
        var g = Buffers.Read<double>(gx);
        for (int c = 0; c < 2; c++)
            Assert.That(g.Where((_, k) => (k / 3) % 2 == c).Sum(), Is.EqualTo(0).Within(1e-12), $"channel {c}");
        Assert.That(g.Any(v => Math.Abs(v) > 1e-3), "gx must not be all zero");
    }

    [NonParallelizable] // changes the process-wide CpuParallel.ThreadCount
    [TestCase(16, 24, 300)]
    [TestCase(256, 200, 1)]
    public void ResultDoesNotDependOnThreadCount(int batch, int channels, int size)
    {
        int[] shape = [batch, channels, size];
        int count = batch * channels * size;
        var x = Buffers.MakeFloating(DType.Float32, Buffers.Noise(count, 40), shape);
        var gy = Buffers.MakeFloating(DType.Float32, Buffers.Noise(count, 41), shape);
        float[] Run()
        {
            var y = Buffers.Empty(DType.Float32, shape);
            var mean = Buffers.Empty(DType.Float32, [channels]);
            var invStd = Buffers.Empty(DType.Float32, [channels]);
            var gx = Buffers.Empty(DType.Float32, shape);
            Cpu.BatchNormForwardTraining(x, null, null, y, mean, invStd, null, null, 0.1, Eps);
            Cpu.BatchNormBackward(x, gy, null, mean, invStd, gx, null, null);
            return Buffers.Read<float>(y).Concat(Buffers.Read<float>(gx)).ToArray();
        }
        ThreadCounts.AssertSameResult(Run);
    }

    // ---- bad input -----------------------------------------------------------------------------

    [Test]
    public void RejectsBadInput()
    {
        var x = Buffers.Make(new float[2 * 3 * 4], [2, 3, 4]);
        var ex = Assert.Throws<ArgumentException>(() => Cpu.BatchNormForwardTraining(x, Buffers.Make(new float[2], [2]), null,
            Buffers.Empty(DType.Float32, [2, 3, 4]), Buffers.Empty(DType.Float32, [3]), Buffers.Empty(DType.Float32, [3]), null, null, 0.1, Eps));
        Assert.That(ex!.Message, Does.Contain("batch_norm").And.Contain("weight").And.Contain("[2, 3, 4]"));

        var single = Buffers.Make(new float[3], [1, 3, 1]);
        ex = Assert.Throws<ArgumentException>(() => Cpu.BatchNormForwardTraining(single, null, null, Buffers.Empty(DType.Float32, [1, 3, 1]),
            Buffers.Empty(DType.Float32, [3]), Buffers.Empty(DType.Float32, [3]), null, null, 0.1, Eps));
        Assert.That(ex!.Message, Does.Contain("more than one value per channel"));

        ex = Assert.Throws<ArgumentException>(() => Cpu.BatchNormBackward(x, Buffers.Empty(DType.Float64, [2, 3, 4]), null,
            Buffers.Empty(DType.Float32, [3]), Buffers.Empty(DType.Float32, [3]), Buffers.Empty(DType.Float32, [2, 3, 4]), null, null));
        Assert.That(ex!.Message, Does.Contain("batch_norm_backward").And.Contain("gy float64"));
    }
}
