using NUnit.Framework;
using Scratch.Checks;

namespace Scratch.Tests.Gpu;

/// <summary>
/// Every op-registry sample through the public Tensor API on the simulated GPU device: forward values
/// against the float64 reference in both dtypes, float32 outputs and input gradients against the CPU
/// backend (<see cref="OpChecks.ParityTolerance"/>), and a float64 gradient check in the fast vᵀJu mode (the
/// full Jacobian costs too many launches on the simulator; a failing projection falls back to the full
/// check, which names the element).
/// </summary>
[TestFixture, Category("GpuSimulator")]
public class GpuRegistryTests
{
    public static IEnumerable<TestCaseData> Samples() => OpRegistry.All.Select(s => new TestCaseData(s.Id).SetName($"Registry on gpu-sim: {s.Id}"));

    [TestCaseSource(nameof(Samples))]
    public void SampleMatchesTheCpuOnTheSimulatedGpu(string id)
    {
        var failures = OpChecks.Run(Device.SimulatedGpu, filter: null, gradients: true, fastGradients: true, only: id)
            .Where(r => !r.Passed)
            .Select(r => $"{r.Check}: {r.Detail}")
            .ToArray();
        Assert.That(failures, Is.Empty, $"{id} on gpu-sim");
    }
}
