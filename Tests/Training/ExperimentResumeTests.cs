using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

/// <summary>
/// Experiment.Run on the small wine table: what a resume keeps, where a run writes, and how a crafted or
/// reused checkpoint or folder is refused.
/// </summary>
[NonParallelizable]
public class ExperimentResumeTests
{
    private sealed class Quiet : IExperimentObserver
    {
        public List<(string Label, string Value)> Lines { get; } = [];
        public void Info(string label, string value) => Lines.Add((label, value));
        public void ModelSummary(string summary) { }
        public void TrainingStarted(Trainer trainer, int epochs) { }
        public void TrainingFinished(Trainer trainer) { }
    }

    private static ExperimentOptions Wine(string outDir, int epochs) => ExperimentOptions.ForDataset("wine", epochs: epochs) with
    {
        Out = outDir, RunName = "run", Device = "cpu",
    };

    private static string Last(string runDirectory) => Path.Combine(runDirectory, "checkpoints", "last.safetensors");

    [Test]
    public void AResumeKeepsTheLoopOptionsOfTheCheckpointAndTheGivenOnes()
    {
        using var dir = new TempDirectory();
        var first = Experiment.Run(Wine(dir.Path, 1) with { ClipNorm = 0.5, Patience = 3, CheckpointEvery = 2 }, new Quiet());
        // As the CLI's `train --resume X --epochs 2 --patience 4`: only epochs and patience given.
        var resumed = new ExperimentOptions { Resume = Last(first.RunDirectory), Epochs = 2, Patience = 4, Given = new HashSet<string> { "resume", "epochs", "patience" } };
        var second = Experiment.Run(resumed, new Quiet());
        Assert.That(second.RunDirectory, Is.EqualTo(first.RunDirectory));
        var config = Checkpoint.Load(Last(second.RunDirectory)).Config;
        Assert.That((config["model"], config["dataset"], config["clip_norm"], config["patience"], config["checkpoint_every"], config["epochs"]),
            Is.EqualTo(("mlp", "wine", "0.5", "4", "2", "2")));
        Assert.That(second.History.Select(r => r.Epoch), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void AGivenOptionThatTheCheckpointFixesIsRefused()
    {
        using var dir = new TempDirectory();
        var first = Experiment.Run(Wine(dir.Path, 1), new Quiet());
        var resumed = new ExperimentOptions { Resume = Last(first.RunDirectory), Epochs = 2, Lr = 0.5, Given = new HashSet<string> { "resume", "epochs", "lr" } };
        var e = Assert.Throws<ArgumentException>(() => Experiment.Run(resumed, new Quiet()));
        Assert.That(e!.Message, Does.Contain("--lr 0.5").And.Contain("0.001"));
    }

    [Test]
    public void ACraftedRunDirInTheCheckpointIsNotWhereTheRunWrites()
    {
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        var first = Experiment.Run(Wine(dir.Path, 1), new Quiet());
        var checkpoint = Checkpoint.Load(Last(first.RunDirectory));
        var config = checkpoint.Config.ToDictionary();
        config["run_dir"] = elsewhere.Path;
        Rewrite(checkpoint, config, Last(first.RunDirectory));
        var second = Experiment.Run(new ExperimentOptions { Resume = Last(first.RunDirectory), Epochs = 2, Given = new HashSet<string> { "resume", "epochs" } }, new Quiet());
        Assert.That(second.RunDirectory, Is.EqualTo(first.RunDirectory));
        Assert.That(Directory.EnumerateFileSystemEntries(elsewhere.Path), Is.Empty);
    }

    [TestCase("seed", "-1")]
    [TestCase("batch_size", "99999999999")]
    [TestCase("scheduler", "cosine")] // the saved state is of no scheduler; the crafted one finds none of its keys
    public void ACraftedConfigGivesAClearError(string key, string value)
    {
        using var dir = new TempDirectory();
        var first = Experiment.Run(Wine(dir.Path, 1) with { Scheduler = key == "scheduler" ? "plateau" : "none" }, new Quiet());
        var checkpoint = Checkpoint.Load(Last(first.RunDirectory));
        var config = checkpoint.Config.ToDictionary();
        config[key] = value;
        Rewrite(checkpoint, config, Last(first.RunDirectory));
        var e = Assert.Throws<InvalidDataException>(() =>
            Experiment.Run(new ExperimentOptions { Resume = Last(first.RunDirectory), Epochs = 2, Given = new HashSet<string> { "resume", "epochs" } }, new Quiet()));
        Assert.That(e!.Message, Does.Contain(Last(first.RunDirectory)));
    }

    [Test]
    public void ReusingARunNameIsRefusedAndDefaultNamesAreUnique()
    {
        using var dir = new TempDirectory();
        Experiment.Run(Wine(dir.Path, 1), new Quiet());
        var e = Assert.Throws<IOException>(() => Experiment.Run(Wine(dir.Path, 1), new Quiet()));
        Assert.That(e!.Message, Does.Contain("--run-name 'run'").And.Contain("already holds a run"));

        var a = RunFolder.Open(Wine(dir.Path, 1) with { RunName = null });
        var b = RunFolder.Open(Wine(dir.Path, 1) with { RunName = null });
        Assert.That(a.Path, Is.Not.EqualTo(b.Path));
        a.Dispose();
        b.Dispose();
    }

    [TestCase("../../x")]
    [TestCase("..")]
    [TestCase("a/b")]
    public void ARunNameMustStayInsideOut(string name)
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<ArgumentException>(() => RunFolder.Open(Wine(dir.Path, 1) with { RunName = name }));
        Assert.That(e!.Message, Does.Contain("--run-name"));
    }

    [Test]
    public void ALockedRunFolderIsRefusedAndOrphanTemporaryFilesAreRemoved()
    {
        using var dir = new TempDirectory();
        var options = Wine(dir.Path, 1);
        string orphan = Path.Combine(dir.Path, "run", "checkpoints", "last.safetensors.tmp-0123456789ab");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        File.WriteAllText(orphan, "half a checkpoint");
        string keep = Path.Combine(dir.Path, "run", "checkpoints", "best.safetensors");
        File.WriteAllText(keep, "not touched");
        var resume = options with { Resume = Path.Combine(dir.Path, "run", "checkpoints", "last.safetensors"), RunName = null };
        using (var held = RunFolder.Open(resume))
        {
            Assert.That(File.Exists(orphan), Is.False);
            Assert.That(File.Exists(keep), Is.True);
            var e = Assert.Throws<IOException>(() => RunFolder.Open(resume));
            Assert.That(e!.Message, Does.Contain("in use by another scratch process"));
        }
        using var again = RunFolder.Open(resume); // released on dispose
    }

    [TestCase("Epochs", 0, "--epochs")]
    [TestCase("Dropout", -0.5, "--dropout")]
    [TestCase("ValidationFraction", double.NaN, "--val-fraction")]
    [TestCase("Patience", -1, "--patience")]
    [TestCase("ClipNorm", -1.0, "--clip-norm")]
    [TestCase("CheckpointEvery", -3, "--checkpoint-every")]
    [TestCase("Lr", double.PositiveInfinity, "--lr")]
    public void AnOutOfRangeOptionIsNamed(string property, object value, string option)
    {
        var options = new ExperimentOptions();
        var info = typeof(ExperimentOptions).GetProperty(property)!;
        info.SetValue(options, Convert.ChangeType(value, info.PropertyType, System.Globalization.CultureInfo.InvariantCulture));
        var e = Assert.Throws<ArgumentException>(options.Validate);
        Assert.That(e!.Message, Does.StartWith(option + " "));
    }

    [Test]
    public void LrZeroWarns()
    {
        using var dir = new TempDirectory();
        var observer = new Quiet();
        Experiment.Run(Wine(dir.Path, 1) with { Lr = 0 }, observer);
        Assert.That(observer.Lines, Has.Some.Matches<(string Label, string Value)>(l => l.Label == "warning" && l.Value.Contains("--lr 0")));
    }

    private static void Rewrite(Checkpoint checkpoint, Dictionary<string, string> config, string path)
        => new Checkpoint
        {
            Model = checkpoint.Model, Optimizer = checkpoint.Optimizer, Scheduler = checkpoint.Scheduler, Epoch = checkpoint.Epoch,
            BatchInEpoch = checkpoint.BatchInEpoch, Step = checkpoint.Step, History = checkpoint.History, Config = config, Extra = checkpoint.Extra,
            PartialEpoch = checkpoint.PartialEpoch, GeneratorState = checkpoint.GeneratorState,
        }.Save(path);
}
