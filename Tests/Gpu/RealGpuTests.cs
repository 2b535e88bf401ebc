using NUnit.Framework;
using Scratch.Checks;
using Scratch.Kernels;
using Scratch.Tests.Support;
using Layout = Scratch.Tests.Support.Layout;

namespace Scratch.Tests.Gpu;

/// <summary>
/// What only a real GPU can show: the kernels loaded by ILGPU's CUDA accelerator and run on the device. Skipped
/// with the reason on a machine without one (every CI machine); failed instead with <c>SCRATCH_REQUIRE_GPU=1</c>.
/// </summary>
public class RealGpuTests : RealGpuTest
{
    [Test]
    public void FillAndCopyRoundTripOnTheDevice()
    {
        Assert.That(Gpu.IsSimulator, Is.False);
        double[] values = [1.5, -2.25, 3, 0, -0.0, 1e30, -7];
        var x = TestViews.Make(Gpu, DType.Float32, [7], Layout.Contiguous, values);
        var y = TestViews.Make(Gpu, DType.Float64, [7], Layout.Strided, [0]);
        Gpu.Copy(x, y);
        Assert.That(TestViews.Read(y), Is.EqualTo(values.Select(v => (double)(float)v).ToArray()));
        Gpu.Fill(y, 0.5);
        Assert.That(TestViews.Read(y), Is.All.EqualTo(0.5));
    }

    public static IEnumerable<TestCaseData> Samples() => OpRegistry.All.Select(s => new TestCaseData(s.Id).SetName($"Registry on cuda:0: {s.Id}"));

    [TestCaseSource(nameof(Samples))]
    public void SampleMatchesTheCpuOnCuda(string id)
    {
        var failures = OpChecks.Run(Device.Cuda(0), filter: null, gradients: true, only: id)
            .Where(r => !r.Passed)
            .Select(r => $"{r.Check}: {r.Detail}")
            .ToArray();
        Assert.That(failures, Is.Empty, $"{id} on cuda:0");
    }
}

/// <summary>The real-GPU gate itself: skip without a GPU, fail when one is required.</summary>
public class RequireGpuTests
{
    [Test]
    public void AnAvailableGpuPasses() => Assert.DoesNotThrow(() => RequireGpu.Check(true, null, required: true));

    [Test]
    public void NoGpuSkipsWithTheReason()
    {
        var skip = Assert.Throws<IgnoreException>(() => RequireGpu.Check(false, "libcuda.so.1 not found", required: false))!;
        Assert.That(skip.Message, Does.Contain("libcuda.so.1 not found"));
    }

    [Test]
    public void NoGpuFailsWhenRequired()
    {
        var failure = Assert.Throws<AssertionException>(() => RequireGpu.Check(false, "libcuda.so.1 not found", required: true))!;
        Assert.That(failure.Message, Does.Contain("SCRATCH_REQUIRE_GPU=1").And.Contain("libcuda.so.1 not found"));
    }
}
