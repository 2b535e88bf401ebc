using System.Globalization;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using Scratch.Tests.Training;
using Scratch.Training;

namespace Scratch.Tests.Cli;

/// <summary><c>scratch train --init-from … --new-head --freeze …</c> through the real command.</summary>
public class FineTuneCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Points in the plane labelled by angle sector into <paramref name="classes"/> classes (System.Random).</summary>
    private static string Sectors(int rows, int classes, int seed)
    {
        var rng = new System.Random(seed);
        var text = new StringBuilder("a,b,label\n");
        for (int i = 0; i < rows; i++)
        {
            double a = rng.NextDouble() * 2 - 1, b = rng.NextDouble() * 2 - 1;
            int label = (int)((Math.Atan2(b, a) + Math.PI) / (2 * Math.PI) * classes) % classes;
            text.Append(CultureInfo.InvariantCulture, $"{a:F3},{b:F3},c{label}\n");
        }
        return text.ToString();
    }

    [Test]
    public void FineTuningLoadsWhatFitsReplacesTheHeadAndKeepsFrozenWeights()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("three.csv"), Sectors(300, 3, 1));
        File.WriteAllText(dir.File("two.csv"), Sectors(200, 2, 2));
        var (code, output, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("three.csv"), "--target", "label", "--epochs", "5",
            "--out", dir.Path, "--run-name", "pre", "--device", "cpu", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        string pretrained = Path.Combine(dir.Path, "pre", "checkpoints", "last.safetensors");

        (code, _, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("two.csv"), "--target", "label", "--epochs", "1",
            "--init-from", pretrained, "--out", dir.Path, "--run-name", "no-head", "--device", "cpu");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain("--new-head").And.Contain("body.7.weight"));
        Assert.That(error, Does.Not.Contain("   at "));

        (code, output, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("two.csv"), "--target", "label", "--epochs", "4",
            "--init-from", pretrained, "--new-head", "--freeze", "body.1", "--out", dir.Path, "--run-name", "tuned", "--device", "cpu", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        output = System.Text.RegularExpressions.Regex.Replace(output, @"\s+", " "); // the console wraps long lines
        Assert.That(output, Does.Contain("4 tensors loaded, 2 re-initialised (body.7.weight, body.7.bias), 0 skipped"));
        Assert.That(output, Does.Contain("2 tensors under body.1"));
        var tuned = Checkpoint.Load(Path.Combine(dir.Path, "tuned", "checkpoints", "last.safetensors")).Model;
        var before = Checkpoint.Load(pretrained).Model;
        Assert.That(tuned["body.1.weight"].ToArray<float>(), Is.EqualTo(before["body.1.weight"].ToArray<float>()), "frozen");
        Assert.That(tuned["body.4.weight"].ToArray<float>(), Is.Not.EqualTo(before["body.4.weight"].ToArray<float>()), "trained on");
        Assert.That(tuned["body.7.weight"].Shape, Is.EqualTo(new[] { 1, 32 }), "a binary head: one logit");

        (code, output, error) = CliProcess.Run(Timeout, "train", "--csv", dir.File("two.csv"), "--target", "label", "--epochs", "3",
            "--init-from", pretrained, "--new-head", "--freeze", "body.1", "--unfreeze-after", "1", "--freeze-lr-factor", "0.1",
            "--out", dir.Path, "--run-name", "thawed", "--device", "cpu");
        Assert.That(code, Is.EqualTo(0), error);
        var thawed = Checkpoint.Load(Path.Combine(dir.Path, "thawed", "checkpoints", "last.safetensors")).Model;
        Assert.That(thawed["body.1.weight"].ToArray<float>(), Is.Not.EqualTo(before["body.1.weight"].ToArray<float>()), "unfrozen after epoch 1");
    }
}
