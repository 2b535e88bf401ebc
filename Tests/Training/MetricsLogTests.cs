using System.Text.Json;
using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class MetricsLogTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void WritesCsvAndJsonLines()
    {
        string run = Path.Combine(_dir.Path, "run1");
        var log = new MetricsLog(run);
        log.Append(("epoch", 1), ("train_loss", 0.5), ("lr", 1e-3f), ("phase", "warm, up"));
        log.Append(("epoch", 2), ("train_loss", double.NaN), ("phase", "main"));

        Assert.That(File.ReadAllLines(Path.Combine(run, "metrics.csv")), Is.EqualTo(new[]
        {
            "epoch,train_loss,lr,phase",
            "1,0.5,0.001,\"warm, up\"",
            "2,NaN,,main",
        }));
        var lines = File.ReadAllLines(Path.Combine(run, "metrics.jsonl"));
        Assert.That(lines, Has.Length.EqualTo(2));
        using var first = JsonDocument.Parse(lines[0]);
        Assert.That(first.RootElement.GetProperty("epoch").GetInt32(), Is.EqualTo(1));
        Assert.That(first.RootElement.GetProperty("train_loss").GetDouble(), Is.EqualTo(0.5));
        Assert.That(first.RootElement.GetProperty("lr").GetDouble(), Is.EqualTo(0.001).Within(1e-10));
        Assert.That(first.RootElement.GetProperty("phase").GetString(), Is.EqualTo("warm, up"));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.That(second.RootElement.GetProperty("train_loss").GetString(), Is.EqualTo("NaN"));
        Assert.That(second.RootElement.TryGetProperty("lr", out _), Is.False);
    }

    [Test]
    public void ResumingAppendsUnderTheExistingHeader()
    {
        new MetricsLog(_dir.Path).Append(("epoch", 1), ("loss", 2.0));
        var resumed = new MetricsLog(_dir.Path);
        Assert.That(resumed.Columns, Is.EqualTo(new[] { "epoch", "loss" }));
        resumed.Append(("loss", 1.5), ("epoch", 2));
        Assert.That(File.ReadAllLines(resumed.CsvPath), Is.EqualTo(new[] { "epoch,loss", "1,2", "2,1.5" }));
    }

    [Test]
    public void UnknownColumnIsRejectedAndNothingIsWritten()
    {
        var log = new MetricsLog(_dir.Path, ["epoch", "loss"]);
        log.Append(("epoch", 1), ("loss", 2.0));
        var e = Assert.Throws<ArgumentException>(() => log.Append(("epoch", 2), ("accuracy", 0.5)))!;
        Assert.That(e.Message, Does.Contain("adds [accuracy]"));
        Assert.Throws<ArgumentException>(() => log.Append(("epoch", 2), ("loss", new object())));
        Assert.That(File.ReadAllLines(log.CsvPath), Has.Length.EqualTo(2));
        Assert.That(File.ReadAllLines(log.JsonLinesPath), Has.Length.EqualTo(1));
    }

    [Test]
    public void DeclaredColumnsMustMatchAnExistingFile()
    {
        new MetricsLog(_dir.Path, ["epoch", "loss"]).Append(("epoch", 1));
        Assert.That(File.ReadAllLines(Path.Combine(_dir.Path, "metrics.csv")), Is.EqualTo(new[] { "epoch,loss", "1," }));
        Assert.Throws<InvalidDataException>(() => _ = new MetricsLog(_dir.Path, ["epoch", "accuracy"]));
    }

    [Test]
    public void TimeSpansAreSeconds()
    {
        var log = new MetricsLog(_dir.Path);
        log.Append(("seconds", TimeSpan.FromMilliseconds(1500)));
        Assert.That(File.ReadAllLines(log.CsvPath)[1], Is.EqualTo("1.5"));
        Assert.That(File.ReadAllText(log.JsonLinesPath).Trim(), Is.EqualTo("{\"seconds\":1.5}"));
    }
}
