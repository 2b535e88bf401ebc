using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Cuda;

/// <summary>
/// The Philox stream on the GPU: raw words against Random123's known-answer vectors and the independent
/// <see cref="PhiloxReference"/>, and every distribution against the CPU backend (bit for bit where the contract says so).
/// </summary>
[TestFixture, Category("Gpu")]
public class CudaRandomTests : CudaParityTest
{
    [Test]
    public void ReferenceMatchesRandom123KnownAnswers()
    {
        // kat_vectors of Random123 for philox4x32_10 with counter (0, 0, 0, 0), key (0, 0).
        Assert.That(PhiloxReference.Block(0, 0), Is.EqualTo(new uint[] { 0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8 }));
    }

    [Test]
    public void DeviceWordsMatchTheReference([Values(0UL, 42UL, 0xFFFFFFFF_00000001UL)] ulong seed, [Values(0UL, 7UL, 0x1_0000_0000UL - 2)] ulong offset)
    {
        var words = Gpu.PhiloxWords(seed, offset, 1000);
        for (int b = 0; b < 1000; b++)
            Assert.That(words.AsSpan(4 * b, 4).ToArray(), Is.EqualTo(PhiloxReference.Block(seed, offset + (ulong)b)), $"block {offset + (ulong)b}");
    }

    [Test]
    public void UniformAndBernoulliAreBitIdenticalToTheCpu([Values(RandomDistribution.Uniform, RandomDistribution.Bernoulli)] RandomDistribution distribution,
        [Values(DType.Float32, DType.Float64)] DType dtype, [Values(Layout.Contiguous, Layout.Transposed, Layout.Strided)] Layout layout)
    {
        var (a, b) = distribution == RandomDistribution.Uniform ? (-2.0, 3.0) : (0.3, 0.0);
        foreach (var shape in new[] { new[] { 1 }, [7], [13, 5], [3, 4, 9] })
        {
            var (yc, yg) = Pair(dtype, shape, layout, [0]);
            Cpu.Random(distribution, yc, 1234, 99, a, b);
            Gpu.Random(distribution, yg, 1234, 99, a, b);
            AssertClose(yc, yg, 0, 0, $"{distribution} {dtype} {layout} [{string.Join(", ", shape)}]");
        }
    }

    [Test]
    public void NormalMatchesTheCpuToTheLastBits([Values(DType.Float32, DType.Float64)] DType dtype, [Values(Layout.Contiguous, Layout.Transposed)] Layout layout)
    {
        // Box–Muller goes through log, sqrt and cos, whose last-bit rounding differs between CUDA's
        // libdevice (≤ 1–2 ulp) and .NET's libm: allow 4 ulp of double before rounding to the output.
        double rtol = dtype == DType.Float32 ? 2 * U32 : 8 * U64;
        foreach (var shape in new[] { new[] { 1 }, [7], [13, 5], [100, 33] })
        {
            var (yc, yg) = Pair(dtype, shape, layout, [0]);
            Cpu.Random(RandomDistribution.Normal, yc, 77, 5, 1.5, 2.0);
            Gpu.Random(RandomDistribution.Normal, yg, 77, 5, 1.5, 2.0);
            AssertClose(yc, yg, 1e-300, rtol, $"normal {dtype} {layout} [{string.Join(", ", shape)}]");
        }
    }

    [Test]
    public void BroadcastOutputsAreRejected()
    {
        var y = Make(Gpu, DType.Float32, [4, 3], Layout.Broadcast, [0]);
        Assert.Throws<ArgumentException>(() => Gpu.Random(RandomDistribution.Uniform, y, 1, 0, 0, 1));
        var ok = Make(Gpu, DType.Float32, [4], Layout.Contiguous, [0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Gpu.Random(RandomDistribution.Bernoulli, ok, 1, 0, 1.5, 0));
    }
}
