using NUnit.Framework;
using Scratch.Kernels.Gpu;

namespace Scratch.Tests.Support;

/// <summary>
/// The gate of every test that needs a real NVIDIA GPU (category <see cref="Category"/>): where none is found
/// such a test reports itself skipped with the reason, or, with <c>SCRATCH_REQUIRE_GPU=1</c> (set it on a GPU
/// machine), fails with it, so a GPU run whose driver was not found cannot pass by skipping everything.
/// </summary>
public static class RequireGpu
{
    /// <summary>The NUnit category of tests that need a real GPU.</summary>
    public const string Category = "Gpu";

    /// <summary>The environment variable that turns "skipped: no GPU" into a failure.</summary>
    public const string Variable = "SCRATCH_REQUIRE_GPU";

    /// <summary>True when <c>SCRATCH_REQUIRE_GPU=1</c>.</summary>
    public static bool Required => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>CUDA device 0's backend; skips (or fails, when required) with the reason when there is none.</summary>
    public static GpuBackend Cuda()
    {
        Check(GpuRuntime.CudaAvailable, GpuRuntime.CudaUnavailableReason, Required);
        return GpuRuntime.Cuda();
    }

    /// <summary>Fails when a GPU is required and none is available; does nothing otherwise.</summary>
    public static void FailIfRequired()
    {
        if (Required && !GpuRuntime.CudaAvailable) Assert.Fail(Message(GpuRuntime.CudaUnavailableReason));
    }

    /// <summary>Passes when <paramref name="available"/>; otherwise fails (when <paramref name="required"/>) or skips, naming <paramref name="reason"/>.</summary>
    public static void Check(bool available, string? reason, bool required)
    {
        if (available) return;
        if (required) Assert.Fail(Message(reason));
        Assert.Ignore($"no GPU: {reason ?? "unknown reason"}");
    }

    private static string Message(string? reason) => $"{Variable}=1 but no GPU can be used: {reason ?? "unknown reason"}";
}

/// <summary>Base of the tests that run on a real GPU (cuda:0): skipped with the reason without one, failed with <c>SCRATCH_REQUIRE_GPU=1</c>.</summary>
[Category(RequireGpu.Category)]
public abstract class RealGpuTest
{
    /// <summary>The backend of cuda:0.</summary>
    protected GpuBackend Gpu { get; private set; } = null!;

    [OneTimeSetUp]
    public void FindGpu() => Gpu = RequireGpu.Cuda();

    [TearDown]
    public void SynchronizeAfterEachTest()
    {
        if (Gpu is not null) Gpu.Synchronize();
    }
}
