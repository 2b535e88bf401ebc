using NUnit.Framework;
using Scratch.Kernels.Cpu;

namespace Scratch.Tests.Kernels.Random;

[TestFixture]
public class PhiloxTests
{
    // Known-answer vectors for philox4x32-10 from Random123 (kat_vectors).
    [TestCase(0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u,
        0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [TestCase(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [TestCase(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        uint r0, uint r1, uint r2, uint r3)
    {
        Assert.That(Philox.Block(c0, c1, c2, c3, k0, k1), Is.EqualTo((r0, r1, r2, r3)));
    }

    [Test]
    public void SeedAndCounterMapToKeyAndLowCounterWords()
    {
        ulong seed = 0x299f31d0_a4093822, counter = 0x85a308d3_243f6a88;
        Assert.That(Philox.Block(seed, counter), Is.EqualTo(Philox.Block(0x243f6a88, 0x85a308d3, 0, 0, 0xa4093822, 0x299f31d0)));
        Assert.That(Philox.Block(0, 0), Is.EqualTo((0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)));
    }
}
