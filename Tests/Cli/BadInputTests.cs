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

    [TestCase("--gemm 0", "bench", "--gemm", "0")]
    [TestCase("--threads 0", "train", "--threads", "0")]
    [TestCase("--threads -1", "train", "--threads", "-1")]
    [TestCase("--threads 1000", "train", "--threads", "1000")]
    [TestCase("--dropout -0.5", "train", "--dropout", "-0.5")]
    [TestCase("--val-fraction NaN", "train", "--val-fraction", "nan")]
    public void AnOutOfRangeValueGetsOneLineNamingTheOption(string expected, params string[] args)
    {
        var (code, _, error) = CliProcess.Run(Timeout, args);
        Assert.That(code, Is.EqualTo(2), error);
        Assert.That(error.Trim(), Does.StartWith($"scratch: error: {expected}:"));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void MissingDataFolderFailsWithOneClearLineAndNoStackTrace()
    {
        string missing = Path.Combine(Path.GetTempPath(), "scratch-missing-" + Guid.NewGuid().ToString("N"));
        var (code, _, error) = CliProcess.Run(Timeout, "train", "--data", missing, "--epochs", "1");
        Assert.That(code, Is.Not.EqualTo(0));
        var errors = error.Split('\n').Where(l => l.StartsWith("scratch: error:", StringComparison.Ordinal)).ToArray();
        Assert.That(errors, Has.Length.EqualTo(1), error);
        Assert.That(errors[0], Does.Contain(missing));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public void CorruptDataFileIsNamed()
    {
        string dir = Directory.CreateTempSubdirectory("scratch-corrupt-").FullName;
        try
        {
            // Labels are valid; the training images promise one 28x28 image but hold no pixels.
            byte[] labels = [0, 0, 8, 1, 0, 0, 0, 1, 0];
            byte[] truncatedImages = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28];
            File.WriteAllBytes(Path.Combine(dir, "train-images-idx3-ubyte"), truncatedImages);
            File.WriteAllBytes(Path.Combine(dir, "train-labels-idx1-ubyte"), labels);
            File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"), truncatedImages);
            File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), labels);
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
            Assert.That(error, Does.Contain("--dataset breast-cancer").And.Contain("was trained with wine"));
            Assert.That(error, Does.Not.Contain("   at "));
        }
        finally
        {
            Directory.Delete(outDir, recursive: true);
        }
    }
}
