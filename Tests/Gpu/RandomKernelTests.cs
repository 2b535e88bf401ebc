using NUnit.Framework;
using Scratch.Kernels;
using Scratch.Tests.Support;

namespace Scratch.Tests.Gpu;

/// <summary>
/// The Philox stream on the simulated GPU: raw 32-bit words against the independent <see cref="PhiloxReference"/>
/// (recovered exactly from float64 uniforms), and every distribution against the CPU backend, bit for bit, at zero
/// and non-zero offsets, in any layout.
/// </summary>
public sealed class RandomKernelTests : SimulatedGpuTest
{
    [Test]
    public void WordsMatchTheReference([Values(0UL, 42UL, 0xFFFFFFFF_00000001UL)] ulong seed, [Values(0UL, 7UL, 0x1_0000_0000UL - 2)] ulong offset)
    {
        // A float64 uniform on (0, 1) is (r + 0.5)·2^-32 exactly, so r comes back exactly.
        const int blocks = 100;
        var y = TestViews.Make(Gpu, DType.Float64, [4 * blocks], Layout.Contiguous, [0]);
        Gpu.Random(RandomDistribution.Uniform, y, seed, offset, 0, 1);
        var words = Read(y).Select(u => (uint)(u * 4294967296.0 - 0.5)).ToArray();
        for (int b = 0; b < blocks; b++)
            Assert.That(words.AsSpan(4 * b, 4).ToArray(), Is.EqualTo(PhiloxReference.Block(seed, offset + (ulong)b)), $"block {offset + (ulong)b}");
    }

    [Test]
    public void EveryDistributionIsBitIdenticalToTheCpu([Values] RandomDistribution distribution, [Values(DType.Float32, DType.Float64)] DType dtype,
        [Values(Layout.Contiguous, Layout.Transposed, Layout.Strided, Layout.Offset)] Layout layout)
    {
        // On the simulator Box–Muller's log, sqrt and cos are .NET's, as on the CPU, so Normal is bit-identical too.
        // (On a GPU they are ILGPU's device functions, which may differ in the last bit: see docs.)
        var (a, b) = distribution switch { RandomDistribution.Uniform => (-2.0, 3.0), RandomDistribution.Normal => (1.5, 2.0), _ => (0.3, 0.0) };
        foreach (ulong offset in new[] { 0UL, 99UL, 0xFFFF_FFFFUL })
        {
            foreach (var shape in new[] { new[] { 1 }, [7], [13, 5], [3, 4, 9] })
            {
                var (yc, yg) = Pair(dtype, shape, layout, [0]);
                Cpu.Random(distribution, yc, 1234, offset, a, b);
                Gpu.Random(distribution, yg, 1234, offset, a, b);
                AssertClose(yc, yg, 0, 0, $"{distribution} {dtype} {layout} [{string.Join(", ", shape)}] offset {offset}");
            }
        }
    }

    [Test]
    public void BadArgumentsFailAsOnTheCpu()
    {
        foreach (IBackend backend in new IBackend[] { Cpu, Gpu })
        {
            var broadcast = TestViews.Make(backend, DType.Float32, [4, 3], Layout.Broadcast, [0]);
            Assert.That(() => backend.Random(RandomDistribution.Uniform, broadcast, 1, 0, 0, 1), Throws.ArgumentException.With.Message.Contains("must not broadcast"));
            var ok = TestViews.Make(backend, DType.Float32, [4], Layout.Contiguous, [0]);
            Assert.That(() => backend.Random(RandomDistribution.Bernoulli, ok, 1, 0, 1.5, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => backend.Random(RandomDistribution.Uniform, ok, 1, 0, 2, 1), Throws.TypeOf<ArgumentOutOfRangeException>());
            var ints = TestViews.Make(backend, DType.Int32, [4], Layout.Contiguous, [0]);
            Assert.That(() => backend.Random(RandomDistribution.Normal, ints, 1, 0, 0, 1), Throws.ArgumentException.With.Message.Contains("must be float32 or float64"));
            var empty = TestViews.Make(backend, DType.Float32, [0, 3], Layout.Contiguous, [0]);
            Assert.That(() => backend.Random(RandomDistribution.Normal, empty, 1, 0, 0, 1), Throws.Nothing);
        }
    }
}
