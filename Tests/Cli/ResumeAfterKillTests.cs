using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Cli;

[NonParallelizable]
public class ResumeAfterKillTests
{
    [Test]
    public void TrainingKilledWithSigkillResumesFromItsLastCheckpoint()
    {
        string outDir = Path.Combine(Path.GetTempPath(), "scratch-kill-" + Guid.NewGuid().ToString("N"));
        string last = Path.Combine(outDir, "run", "checkpoints", "last.safetensors");
        try
        {
            // A run far too long to finish, checkpointing every 3 steps.
            using (var process = Process.Start(CliProcess.StartInfo("train", "--dataset", "wine", "--epochs", "100000", "--checkpoint-every", "3",
                       "--out", outDir, "--run-name", "run", "--device", "cpu"))!)
            {
                process.StandardOutput.ReadToEndAsync();
                process.StandardError.ReadToEndAsync();
                var clock = Stopwatch.StartNew();
                while (!File.Exists(last) || Checkpoint.Load(last).Epoch < 3)
                {
                    Assert.That(process.HasExited, Is.False, "the training run ended before it could be killed");
                    Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(2)), "no checkpoint appeared");
                    Thread.Sleep(50);
                }
                process.Kill(); // SIGKILL on Unix: no chance to clean up
                process.WaitForExit();
            }

            var checkpoint = Checkpoint.Load(last); // never corrupt: written to a temporary file and renamed
            Assert.That(checkpoint.Epoch, Is.GreaterThanOrEqualTo(3));
            // Resume to a fixed total, whenever the kill landed: resuming is exact, so the result is that
            // of an uninterrupted 30-epoch run (wine reaches over 92 % test accuracy in 25 epochs on seeds 0-3).
            int target = Math.Max(30, checkpoint.Epoch + 2);

            var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), "train", "--dataset", "wine", "--epochs", target.ToString(),
                "--resume", last, "--out", outDir, "--device", "cpu", "--json");
            Assert.That(code, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain($"(epoch {checkpoint.Epoch}, batch {checkpoint.BatchInEpoch}, step {checkpoint.Step})"));
            var result = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement;
            Assert.That(result.GetProperty("epochs").GetInt32(), Is.EqualTo(target));
            Assert.That(result.GetProperty("test_accuracy").GetDouble(), Is.GreaterThan(0.9));
            Assert.That(Checkpoint.Load(last).Epoch, Is.EqualTo(target));
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }
}
