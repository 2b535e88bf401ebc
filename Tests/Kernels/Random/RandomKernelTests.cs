using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Kernels.Cpu;
using Scratch.Tests.Support;

namespace Scratch.Tests.Kernels.Random;

[TestFixture]
public class RandomKernelTests
{
    private static readonly IBackend Cpu = CpuBackend.Instance;
    private const double TwoToMinus32 = 1.0 / 4294967296.0;

    private static double[] Draw(RandomDistribution distribution, int count, ulong seed, ulong offset, double a, double b)
    {
        var y = Buffers.Empty(DType.Float64, [count]);
        Cpu.Random(distribution, y, seed, offset, a, b);
        return Buffers.Read<double>(y);
    }

    private static float[] Draw32(RandomDistribution distribution, int count, ulong seed, ulong offset, double a, double b)
    {
        var y = Buffers.Empty(DType.Float32, [count]);
        Cpu.Random(distribution, y, seed, offset, a, b);
        var values = new float[count];
        Cpu.Download<float>(y.Buffer, 0, values);
        return values;
    }

    private static uint Word(ulong seed, ulong block, int word)
    {
        var (r0, r1, r2, r3) = Philox.Block(seed, block);
        return word switch { 0 => r0, 1 => r1, 2 => r2, _ => r3 };
    }

    // ---- the documented stream, element by element ----------------------------------------------

    [Test]
    public void UniformFollowsTheDocumentedStream()
    {
        ulong seed = 0x1234_5678_9abc_def0, offset = 17;
        double a = -2, b = 3;
        var y = Draw(RandomDistribution.Uniform, 11, seed, offset, a, b);
        for (int i = 0; i < y.Length; i++)
        {
            double u = (Word(seed, offset + (ulong)(i / 4), i % 4) + 0.5) * TwoToMinus32;
            Assert.That(y[i], Is.EqualTo(a + (b - a) * u), $"element {i}");
        }
    }

    [Test]
    public void NormalFollowsTheDocumentedStream()
    {
        ulong seed = 42, offset = 5;
        double mean = 1.5, std = 0.25;
        var y = Draw(RandomDistribution.Normal, 7, seed, offset, mean, std);
        for (int i = 0; i < y.Length; i++)
        {
            ulong block = offset + (ulong)(i / 2);
            double u1 = (Word(seed, block, 2 * (i % 2)) + 0.5) * TwoToMinus32;
            double u2 = (Word(seed, block, 2 * (i % 2) + 1) + 0.5) * TwoToMinus32;
            double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            Assert.That(y[i], Is.EqualTo(mean + std * z).Within(1e-15), $"element {i}");
        }
    }

    [Test]
    public void BernoulliFollowsTheDocumentedStream()
    {
        ulong seed = 7, offset = 0;
        var y = Draw(RandomDistribution.Bernoulli, 40, seed, offset, 0.3, 0);
        for (int i = 0; i < y.Length; i++)
        {
            double u = (Word(seed, offset + (ulong)(i / 4), i % 4) + 0.5) * TwoToMinus32;
            Assert.That(y[i], Is.EqualTo(u < 0.3 ? 1.0 : 0.0), $"element {i}");
        }
    }

    [Test]
    public void Float32IsTheRoundedFloat64Stream([Values] RandomDistribution distribution)
    {
        var y64 = Draw(distribution, 1001, 9, 3, 0.4, 2);
        var y32 = Draw32(distribution, 1001, 9, 3, 0.4, 2);
        Assert.That(y32, Is.EqualTo(y64.Select(v => (float)v).ToArray()));
    }

    // ---- moments --------------------------------------------------------------------------------

    /// <summary>Sample mean, variance, skewness and kurtosis.</summary>
    private static (double Mean, double Variance, double Skew, double Kurtosis) Moments(float[] values)
    {
        double sum = 0;
        foreach (float v in values) sum += v;
        double mean = sum / values.Length, m2 = 0, m3 = 0, m4 = 0;
        foreach (float v in values)
        {
            double d = v - mean, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        int n = values.Length;
        double variance = m2 / (n - 1), biased = m2 / n;
        return (mean, variance, m3 / n / Math.Pow(biased, 1.5), m4 / n / (biased * biased));
    }

    [Test]
    public void UniformMoments()
    {
        const int n = 1_000_000;
        double a = -2, b = 3;
        var y = Draw32(RandomDistribution.Uniform, n, 123, 0, a, b);
        var (mean, variance, _, _) = Moments(y);
        double expectedVar = (b - a) * (b - a) / 12;
        // Five standard errors: var of the sample variance for a uniform is (b−a)^4/180/n.
        Assert.That(mean, Is.EqualTo((a + b) / 2).Within(5 * Math.Sqrt(expectedVar / n)));
        Assert.That(variance, Is.EqualTo(expectedVar).Within(5 * Math.Sqrt(Math.Pow(b - a, 4) / 180 / n)));
        Assert.That(y.Min(), Is.GreaterThanOrEqualTo((float)a));
        Assert.That(y.Max(), Is.LessThanOrEqualTo((float)b));
    }

    [Test]
    public void NormalMoments()
    {
        const int n = 1_000_000;
        double mu = 1, sigma = 2;
        var y = Draw32(RandomDistribution.Normal, n, 321, 1000, mu, sigma);
        var (mean, variance, skew, kurtosis) = Moments(y);
        Assert.That(mean, Is.EqualTo(mu).Within(5 * sigma / Math.Sqrt(n)));
        // The sample variance of a normal has variance 2σ⁴/(n − 1).
        Assert.That(variance, Is.EqualTo(sigma * sigma).Within(5 * Math.Sqrt(2 * Math.Pow(sigma, 4) / n)));
        Assert.That(skew, Is.EqualTo(0).Within(5 * Math.Sqrt(6.0 / n)));
        Assert.That(kurtosis, Is.EqualTo(3).Within(5 * Math.Sqrt(24.0 / n)));
    }

    [Test]
    public void BernoulliFrequency([Values(0.0, 0.3, 1.0)] double p)
    {
        const int n = 1_000_000;
        var y = Draw32(RandomDistribution.Bernoulli, n, 77, 0, p, 0);
        double ones = 0;
        foreach (float v in y)
        {
            if (v != 0 && v != 1) Assert.Fail($"bernoulli produced {v}");
            ones += v;
        }
        double frequency = ones / n;
        Assert.That(frequency, Is.EqualTo(p).Within(5 * Math.Sqrt(p * (1 - p) / n) + 1e-12));
    }

    // ---- (seed, offset) streams -----------------------------------------------------------------

    [Test]
    public void SameSeedAndOffsetReproduce()
    {
        var first = Draw(RandomDistribution.Normal, 1000, 5, 12, 0, 1);
        var second = Draw(RandomDistribution.Normal, 1000, 5, 12, 0, 1);
        Assert.That(second, Is.EqualTo(first));
        Assert.That(Draw(RandomDistribution.Normal, 1000, 6, 12, 0, 1), Is.Not.EqualTo(first), "another seed");
    }

    [Test]
    public void AdvancingTheOffsetContinuesTheStream([Values(RandomDistribution.Uniform, RandomDistribution.Normal)] RandomDistribution distribution)
    {
        // A draw of n elements uses ⌈n/4⌉ (uniform) or ⌈n/2⌉ (normal) blocks; the caller advances by that.
        int perBlock = distribution == RandomDistribution.Normal ? 2 : 4;
        const int n = 24;
        var whole = Draw(distribution, 2 * n, 99, 0, 0, 1);
        var first = Draw(distribution, n, 99, 0, 0, 1);
        var second = Draw(distribution, n, 99, (ulong)(n / perBlock), 0, 1);
        Assert.That(first.Concat(second).ToArray(), Is.EqualTo(whole));
        Assert.That(first.Intersect(second), Is.Empty, "the two draws share no value");
    }

    [Test]
    public void OffsetsGiveDisjointStreams()
    {
        var a = Draw(RandomDistribution.Uniform, 4000, 1, 0, 0, 1);
        var b = Draw(RandomDistribution.Uniform, 4000, 1, 1000, 0, 1);
        Assert.That(a.Intersect(b), Is.Empty);
        // A partial last block: 10 elements use 3 blocks; the next draw starts on block 3.
        var c = Draw(RandomDistribution.Uniform, 10, 1, 0, 0, 1);
        Assert.That(c, Is.EqualTo(a.Take(10).ToArray()));
        var d = Draw(RandomDistribution.Uniform, 4, 1, 3, 0, 1);
        Assert.That(d, Is.EqualTo(a.Skip(12).Take(4).ToArray()));
    }

    // ---- layout and threads ---------------------------------------------------------------------

    [Test]
    public void StridedViewGetsRowMajorElements()
    {
        // A transposed [3, 4] view of a [4, 3] buffer: element i in row-major order of the view.
        var buffer = Cpu.Allocate(DType.Float64, 12);
        var view = new BufferView(buffer, 0, [3, 4], [1, 3]);
        Cpu.Random(RandomDistribution.Uniform, view, 11, 4, 0, 1);
        Assert.That(Buffers.Read<double>(view), Is.EqualTo(Draw(RandomDistribution.Uniform, 12, 11, 4, 0, 1)));

        // Every other element with an offset: the gaps keep their values.
        var data = Enumerable.Repeat(-1.0, 21).ToArray();
        var holder = Buffers.Make(data, [21]);
        var sparse = new BufferView(holder.Buffer, 1, [10], [2]);
        Cpu.Random(RandomDistribution.Normal, sparse, 12, 0, 0, 1);
        var all = Buffers.Read<double>(holder);
        Assert.That(Enumerable.Range(0, 10).Select(i => all[1 + 2 * i]).ToArray(), Is.EqualTo(Draw(RandomDistribution.Normal, 10, 12, 0, 0, 1)));
        Assert.That(Enumerable.Range(0, 11).Select(i => all[2 * i]), Is.All.EqualTo(-1.0));
    }

    [NonParallelizable] // changes the process-wide CpuParallel.ThreadCount
    [Test]
    public void ResultDoesNotDependOnThreadCount()
    {
        var view = new BufferView(Cpu.Allocate(DType.Float32, 100 * 200), 0, [200, 100], [1, 200]);
        float[] Run(RandomDistribution distribution)
        {
            Cpu.Random(distribution, view, 3, 8, 0, 1);
            return Buffers.Read<float>(view);
        }
        foreach (var distribution in Enum.GetValues<RandomDistribution>())
            ThreadCounts.AssertSameResult(() => Run(distribution), message: distribution.ToString());
    }

    [Test]
    public void RejectsBadParameters()
    {
        var y = Buffers.Empty(DType.Float32, [4]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.Random(RandomDistribution.Bernoulli, y, 0, 0, 1.5, 0));
        Assert.That(ex!.Message, Does.Contain("bernoulli").And.Contain("1.5"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.Random(RandomDistribution.Normal, y, 0, 0, 0, -1));
        Assert.That(ex!.Message, Does.Contain("normal"));
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => Cpu.Random(RandomDistribution.Uniform, y, 0, 0, 2, 1));
        Assert.That(ex!.Message, Does.Contain("uniform"));
        var ae = Assert.Throws<ArgumentException>(() => Cpu.Random(RandomDistribution.Uniform, Buffers.Empty(DType.Int32, [4]), 0, 0, 0, 1));
        Assert.That(ae!.Message, Does.Contain("float32 or float64"));
    }
}
