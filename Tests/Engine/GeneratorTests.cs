using NUnit.Framework;
using Scratch.Checks.Reference;

namespace Scratch.Tests.Engine;

/// <summary>Generator reproducibility, and the draws against a naive Philox4x32-10 written in the test.</summary>
[TestFixture]
public class GeneratorTests
{
    [Test]
    public void ReferencePhiloxMatchesTheRandom123KnownAnswers()
    {
        Assert.That(RefPhilox.Block(0, 0, 0, 0, 0, 0), Is.EqualTo(new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }));
        Assert.That(RefPhilox.Block(uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue),
            Is.EqualTo(new uint[] { 0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd }));
        Assert.That(RefPhilox.Block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0),
            Is.EqualTo(new uint[] { 0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1 }));
    }

    [Test]
    public void SameSeedGivesTheSameNumbers()
    {
        Assert.That(NDArray.Rand([7, 3], new Generator(42)).ToArray<float>(), Is.EqualTo(NDArray.Rand([7, 3], new Generator(42)).ToArray<float>()));
        Assert.That(NDArray.Randn([9], new Generator(42), dtype: DType.Float64).ToArray<double>(),
            Is.EqualTo(NDArray.Randn([9], new Generator(42), dtype: DType.Float64).ToArray<double>()));
        Assert.That(NDArray.Bernoulli([50], 0.3, new Generator(5)).ToArray<float>(), Is.EqualTo(NDArray.Bernoulli([50], 0.3, new Generator(5)).ToArray<float>()));
        Assert.That(NDArray.RandpermHost(20, new Generator(9)), Is.EqualTo(NDArray.RandpermHost(20, new Generator(9))));
    }

    [Test]
    public void DifferentSeedsAndSuccessiveDrawsDiffer()
    {
        var g = new Generator(1);
        var first = NDArray.Rand([8], g, dtype: DType.Float64).ToArray<double>();
        var second = NDArray.Rand([8], g, dtype: DType.Float64).ToArray<double>();
        Assert.That(second, Is.Not.EqualTo(first));
        Assert.That(NDArray.Rand([8], new Generator(2), dtype: DType.Float64).ToArray<double>(), Is.Not.EqualTo(first));
    }

    [Test]
    public void OffsetAdvancesByTheBlocksUsed()
    {
        var g = new Generator(3);
        NDArray.Rand([5], g);
        Assert.That(g.Offset, Is.EqualTo(2UL), "uniform: ceil(5 / 4) blocks");
        NDArray.Randn([5], g);
        Assert.That(g.Offset, Is.EqualTo(5UL), "normal: ceil(5 / 2) blocks");
        NDArray.Bernoulli([4], 0.5, g);
        Assert.That(g.Offset, Is.EqualTo(6UL));
    }

    [Test]
    public void StateRoundTripsAndReplays()
    {
        var g = new Generator(11);
        NDArray.Rand([3], g);
        var (seed, offset) = g.GetState();
        var expected = NDArray.Rand([6], g, dtype: DType.Float64).ToArray<double>();
        var h = new Generator(0);
        h.SetState(seed, offset);
        Assert.That(NDArray.Rand([6], h, dtype: DType.Float64).ToArray<double>(), Is.EqualTo(expected));
    }

    [Test]
    public void UniformFollowsTheDocumentedStream()
    {
        var values = NDArray.Rand([10], new Generator(0x1234_5678_9ABC), low: -2, high: 3, dtype: DType.Float64).ToArray<double>();
        for (int i = 0; i < values.Length; i++)
            Assert.That(values[i], Is.EqualTo(-2 + 5 * RefPhilox.Uniform01(0x1234_5678_9ABC, 0, i)).Within(1e-12), $"element {i}");
    }

    [Test]
    public void UniformRespectsTheGeneratorOffsetAndRoundsToFloat32()
    {
        var g = new Generator(77);
        g.Advance(3);
        var values = NDArray.Rand([6], g).ToArray<float>();
        for (int i = 0; i < values.Length; i++)
            Assert.That(values[i], Is.EqualTo((float)RefPhilox.Uniform01(77, 3, i)), $"element {i}");
    }

    [Test]
    public void NormalFollowsTheDocumentedStream()
    {
        var values = NDArray.Randn([7], new Generator(21), mean: 1, std: 0.5, dtype: DType.Float64).ToArray<double>();
        for (int i = 0; i < values.Length; i++)
            Assert.That(values[i], Is.EqualTo(1 + 0.5 * RefPhilox.Normal(21, 0, i)).Within(1e-12), $"element {i}");
    }

    [Test]
    public void BernoulliFollowsTheDocumentedStream()
    {
        var values = NDArray.Bernoulli([40], 0.3, new Generator(8), DType.Float64).ToArray<double>();
        for (int i = 0; i < values.Length; i++)
            Assert.That(values[i], Is.EqualTo(RefPhilox.Uniform01(8, 0, i) < 0.3 ? 1.0 : 0.0), $"element {i}");
        Assert.Throws<ArgumentOutOfRangeException>(() => NDArray.Bernoulli([2], 1.5));
    }

    [Test]
    public void DrawsIntoNonTrivialShapesAreRowMajor()
    {
        var flat = NDArray.Rand([12], new Generator(4), dtype: DType.Float64).ToArray<double>();
        var shaped = NDArray.Rand([3, 4], new Generator(4), dtype: DType.Float64).ToArray<double>();
        Assert.That(shaped, Is.EqualTo(flat));
    }

    [Test]
    public void StatisticsAreRoughlyRight()
    {
        var u = NDArray.Rand([20000], new Generator(6), dtype: DType.Float64).ToArray<double>();
        Assert.That(u, Is.All.GreaterThan(0.0).And.LessThan(1.0));
        Assert.That(u.Average(), Is.EqualTo(0.5).Within(0.01));
        var z = NDArray.Randn([20000], new Generator(6), dtype: DType.Float64).ToArray<double>();
        double mean = z.Average();
        Assert.That(mean, Is.EqualTo(0).Within(0.03));
        Assert.That(Math.Sqrt(z.Average(v => (v - mean) * (v - mean))), Is.EqualTo(1).Within(0.03));
    }

    [Test]
    public void RandpermIsAPermutationFromSortedPhiloxKeys()
    {
        var perm = NDArray.Randperm(10, new Generator(12)).ToArray<int>();
        Assert.That(perm.OrderBy(i => i), Is.EqualTo(Enumerable.Range(0, 10)));
        var keys = Enumerable.Range(0, 10).Select(i => RefPhilox.Uniform01(12, 0, i)).ToArray();
        var expected = Enumerable.Range(0, 10).OrderBy(i => keys[i]).ToArray();
        Assert.That(perm, Is.EqualTo(expected));
        Assert.That(NDArray.Randperm(0).Shape, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void NextIntStaysInRange()
    {
        var g = new Generator(13);
        var draws = Enumerable.Range(0, 200).Select(_ => g.NextInt(7)).ToArray();
        Assert.That(draws, Is.All.InRange(0, 6));
        Assert.That(draws.Distinct().Count(), Is.EqualTo(7));
    }

    [Test]
    public void ManualSeedResetsTheDefaultGenerator()
    {
        Generator.ManualSeed(99);
        var a = NDArray.Rand([4]).ToArray<float>();
        Generator.ManualSeed(99);
        Assert.That(NDArray.Rand([4]).ToArray<float>(), Is.EqualTo(a));
    }

    [Test]
    public void RandomNeedsAFloatDType()
    {
        Assert.Throws<ArgumentException>(() => NDArray.Rand([2], dtype: DType.Int32));
    }
}
