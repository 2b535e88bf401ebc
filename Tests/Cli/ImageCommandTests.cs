using System.Text.Json;
using NUnit.Framework;
using Scratch.Tests.Training;

namespace Scratch.Tests.Cli;

/// <summary><c>scratch train --images</c> and <c>scratch predict</c> on an image folder made here.</summary>
public class ImageCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Horizontal against vertical stripes in random colours and sizes (System.Random), plus one corrupt file.</summary>
    private static void MakeFolder(string root)
    {
        var rng = new System.Random(11);
        foreach (string cls in new[] { "horizontal", "vertical" })
        {
            for (int i = 0; i < 24; i++)
            {
                int w = rng.Next(20, 40), h = rng.Next(20, 40), period = rng.Next(4, 7), phase = rng.Next(period);
                var colour = ((byte)rng.Next(128, 256), (byte)rng.Next(0, 256), (byte)rng.Next(0, 128));
                ImageFolderTests.WritePng(Path.Combine(root, cls, $"{i:D2}.png"), w, h, (x, y) =>
                {
                    bool on = ((cls == "horizontal" ? y : x) + phase) / (period / 2) % 2 == 0;
                    return on ? colour : ((byte)(255 - colour.Item1), (byte)(255 - colour.Item2), (byte)(255 - colour.Item3));
                });
            }
        }
        File.WriteAllText(Path.Combine(root, "vertical", "broken.png"), "not a png");
    }

    [Test]
    public void AnImageFolderTrainsAndPredicts()
    {
        using var dir = new TempDirectory();
        string images = Path.Combine(dir.Path, "stripes");
        MakeFolder(images);

        var (code, _, error) = CliProcess.Run(Timeout, "train", "--images", images, "--epochs", "1", "--out", dir.Path, "--device", "cpu");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(error, Does.Contain(Path.Combine(images, "vertical", "broken.png")).And.Contain("--bad-images skip"));
        Assert.That(error, Does.Not.Contain("   at "));

        string output;
        (code, output, error) = CliProcess.Run(Timeout, "train", "--images", images, "--bad-images", "skip", "--image-size", "16", "--epochs", "12",
            "--augment", "--out", dir.Path, "--run-name", "s", "--device", "cpu", "--json");
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("48 images of 2 classes").And.Contain("RGB 16x16").And.Contain("broken.png"));
        var json = JsonDocument.Parse(output.Split('\n').Last(l => l.StartsWith('{'))).RootElement;
        Assert.That(json.GetProperty("test_accuracy").GetDouble(), Is.InRange(0.7, 1.0));

        (code, _, error) = CliProcess.Run(Timeout, "predict", "--checkpoint", json.GetProperty("checkpoint").GetString()!, images,
            "--out", Path.Combine(dir.Path, "p.csv"), "--device", "cpu");
        Assert.That(code, Is.EqualTo(0), error);
        Assert.That(error, Does.Contain("skipped").And.Contain("broken.png"));
        var rows = File.ReadAllLines(Path.Combine(dir.Path, "p.csv"));
        Assert.That(rows[0], Is.EqualTo("source,class,top_2,p(horizontal),p(vertical)"));
        Assert.That(rows, Has.Length.EqualTo(49));
        int right = rows.Skip(1).Count(r => r.Split(',')[1] == Path.GetFileName(Path.GetDirectoryName(r.Split(',')[0])));
        Assert.That(right, Is.GreaterThanOrEqualTo(36), "most of the folder is predicted as its own class");
    }
}
