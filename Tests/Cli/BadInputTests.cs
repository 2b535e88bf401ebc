using NUnit.Framework;

namespace Scratch.Tests.Cli;

public class BadInputTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    [Test]
    public void UnknownOptionFailsWithAMessage()
    {
        var (code, output, error) = CliProcess.Run(Timeout, "train", "--no-such-option");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(output + error, Does.Contain("--no-such-option"));
    }

    [Test]
    public void MissingDataFolderFailsWithOneClearLineAndNoStackTrace()
    {
        string missing = Path.Combine(Path.GetTempPath(), "scratch-missing-" + Guid.NewGuid().ToString("N"));
        var (code, _, error) = CliProcess.Run(Timeout, "train", "--data", missing, "--epochs", "1");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.StartWith("scratch: error:"));
        Assert.That(error, Does.Contain(missing));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void CorruptDataFileIsNamed()
    {
        string dir = Directory.CreateTempSubdirectory("scratch-corrupt-").FullName;
        try
        {
            foreach (var name in new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
                File.WriteAllBytes(Path.Combine(dir, name), [0, 0, 8, 3, 0, 0, 0, 1]);
            var (code, _, error) = CliProcess.Run(Timeout, "train", "--data", dir, "--epochs", "1");
            Assert.That(code, Is.Not.EqualTo(0));
            Assert.That(error, Does.Contain("train-images-idx3-ubyte"));
            Assert.That(error, Does.Not.Contain("   at "));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void CheckpointOfAnotherModelIsRejectedClearly()
    {
        string outDir = Directory.CreateTempSubdirectory("scratch-other-").FullName;
        try
        {
            var (code, _, error) = CliProcess.Run(Timeout, "train", "--dataset", "wine", "--epochs", "1", "--out", outDir, "--run-name", "w", "--device", "cpu");
            Assert.That(code, Is.EqualTo(0), error);
            string checkpoint = Path.Combine(outDir, "w", "checkpoints", "last.safetensors");
            (code, _, error) = CliProcess.Run(Timeout, "train", "--dataset", "breast-cancer", "--resume", checkpoint, "--out", outDir, "--device", "cpu");
            Assert.That(code, Is.Not.EqualTo(0));
            Assert.That(error, Does.Contain("checkpoint was written for model 'mlp' on 'wine'"));
            Assert.That(error, Does.Not.Contain("   at "));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}
