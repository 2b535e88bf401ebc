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
            // Resume to a fixed total, whenever the kill landed (mid-epoch, with dropout 0.2 drawing masks): the result
            // must be that of an uninterrupted run, bit for bit, weights and every epoch's metrics alike.
            int target = Math.Max(30, checkpoint.Epoch + 2);

            var (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), "train", "--resume", last, "--epochs", target.ToString(),
                "--device", "cpu", "--json"); // the README's resume line: the checkpoint knows the model and the data
            Assert.That(code, Is.EqualTo(0), error);
            Assert.That(output, Does.Contain($"(epoch {checkpoint.Epoch}, batch {checkpoint.BatchInEpoch}, step {checkpoint.Step})"));
            var resumed = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement;
            Assert.That(resumed.GetProperty("epochs").GetInt32(), Is.EqualTo(target));

            (code, output, error) = CliProcess.Run(TimeSpan.FromMinutes(2), "train", "--dataset", "wine", "--epochs", target.ToString(),
                "--out", outDir, "--run-name", "straight", "--device", "cpu", "--json");
            Assert.That(code, Is.EqualTo(0), error);
            var straight = JsonDocument.Parse(output.TrimEnd().Split('\n')[^1]).RootElement;
            Assert.That(resumed.GetProperty("test_accuracy").GetDouble(), Is.EqualTo(straight.GetProperty("test_accuracy").GetDouble()));
            Assert.That(resumed.GetProperty("test_loss").GetDouble(), Is.EqualTo(straight.GetProperty("test_loss").GetDouble()));

            var a = Checkpoint.Load(last);
            var b = Checkpoint.Load(Path.Combine(outDir, "straight", "checkpoints", "last.safetensors"));
            Assert.That(a.Epoch, Is.EqualTo(target));
            Assert.That(a.Step, Is.EqualTo(b.Step));
            foreach (var (name, weights) in b.Model)
                Assert.That(a.Model[name].ToArray<float>(), Is.EqualTo(weights.ToArray<float>()), name);
            Assert.That(a.History.Select(Metrics), Is.EqualTo(b.History.Select(Metrics)), "per-epoch metrics");
        }
        finally
        {
            if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        }
    }

    /// <summary>An epoch's record without its wall-clock time.</summary>
    private static (int, double, double?, double?, double?, double?) Metrics(EpochRecord r)
        => (r.Epoch, r.TrainLoss, r.ValidationLoss, r.TrainAccuracy, r.ValidationAccuracy, r.LearningRate);
}
