using NUnit.Framework;

namespace Scratch.Tests.Cli;

public class CheckAndBenchTests
{
    [Test]
    public void CheckRunsTheRegistryOnTheCpu()
    {
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), "check", "--device", "cpu", "--filter", "Conv2d");
        Assert.That(code, Is.EqualTo(0), output + error);
        Assert.That(output, Does.Match(@"\n[1-9][0-9]* passed, 0 failed"));
        Assert.That(output, Does.Contain("gradcheck"));
    }

    [Test]
    public void CheckOnAnUnavailableDeviceSaysWhy()
    {
        if (Device.CudaAvailable) Assert.Ignore("CUDA is available here");
        var (code, _, error) = CliProcess.Run(TimeSpan.FromMinutes(1), "check", "--device", "cuda");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain("scratch: error:"));
        Assert.That(error, Does.Contain(Device.CudaUnavailableReason!));
    }

    [Test]
    public void BenchReportsGemmAndCnnStepAsJson()
    {
        var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), "bench", "--device", "cpu", "--gemm", "64", "--batch-size", "8", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        var lines = output.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(2));
        Assert.That(lines[0], Does.Contain("\"bench\":\"sgemm\"").And.Contain("\"gflops\":"));
        Assert.That(lines[1], Does.Contain("\"bench\":\"cnn_step\"").And.Contain("\"images_per_second\":"));
    }
}
