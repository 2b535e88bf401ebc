using NUnit.Framework;

namespace Scratch.Tests.Cli;

/// <summary>The CLI's GPU commands on the simulated GPU (ILGPU's CPU accelerator), as tools/gpu/run.sh uses them on a GPU.</summary>
public class GpuCommandTests
{
    [Test]
    public void CheckRunsTheRegistryOnTheSimulatedGpu()
    {
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(3), "check", "--device", "gpu-sim", "--filter", "Concat");
        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Contain("gpu-sim: CPUAccelerator"));
        Assert.That(output, Does.Match(@"\n[1-9][0-9]* passed, 0 failed"));
        Assert.That(output, Does.Contain("parity"));
    }

    [Test]
    public void SelfTestLoadsTheKernelsAndWritesTheirPtx()
    {
        var folder = Directory.CreateTempSubdirectory("scratch-selftest-").FullName;
        try
        {
            var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(3), "gpu-selftest", "--device", "gpu-sim", "--filter", "Concat", "--ptx", folder);
            Assert.That(code, Is.EqualTo(0), output + error);
            Assert.That(output, Does.Contain("float64: 5 samples ran, 0 failed"));
            Assert.That(output, Does.Contain("CopyKernels."));
            Assert.That(output, Does.Contain("self-test passed"));
            var files = Directory.GetFiles(folder, "*.ptx");
            Assert.That(files, Is.Not.Empty);
            Assert.That(File.ReadAllText(files[0]), Does.Contain(".entry"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void SelfTestNeedsAGpuDevice()
    {
        var (code, _, error) = CliProcess.Run(TimeSpan.FromMinutes(1), "gpu-selftest", "--device", "cpu");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain("needs a GPU device"));
    }

    [Test]
    public void SoakPrintsMemorySamplesAsJson()
    {
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), "bench", "--device", "cpu", "--soak", "6", "--sample-every", "3", "--batch-size", "8");
        Assert.That(code, Is.EqualTo(0), error);
        var lines = output.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(3)); // steps 1, 3 and 6
        Assert.That(lines, Has.All.Contains("\"bench\":\"soak\"").And.All.Contains("\"bytes_in_use\":"));
        Assert.That(lines[2], Does.Contain("\"step\":6"));
    }
}
