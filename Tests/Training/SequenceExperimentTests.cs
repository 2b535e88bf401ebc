using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

/// <summary><c>--dataset fashion-mnist-rows</c> with the sequence models, end to end on a tiny fake Fashion-MNIST.</summary>
public class SequenceExperimentTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    /// <summary>Images of 6 rows × 5 columns whose class is the row that is bright (so a sequence model can learn it).</summary>
    private string FakeFashionMnist(int train, int test)
    {
        string dir = Path.Combine(_dir.Path, "fmnist");
        Directory.CreateDirectory(dir);
        void Write(string images, string labels, int count)
        {
            var pixels = new byte[count * 30];
            var classes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                classes[i] = (byte)(i % 6);
                for (int c = 0; c < 5; c++) pixels[i * 30 + classes[i] * 5 + c] = (byte)(200 + c * 10);
            }
            IdxWriter.WriteImages(Path.Combine(dir, images + ".gz"), new IdxImages(count, 6, 5, pixels));
            IdxWriter.WriteLabels(Path.Combine(dir, labels + ".gz"), classes);
        }
        Write(FashionMnist.TrainImages, FashionMnist.TrainLabels, train);
        Write(FashionMnist.TestImages, FashionMnist.TestLabels, test);
        return dir;
    }

    private sealed class Silent : IExperimentObserver
    {
        public void Info(string label, string value) { }
        public void ModelSummary(string summary) { }
        public void TrainingStarted(Trainer trainer, int epochs) { }
        public void TrainingFinished(Trainer trainer) { }
    }

    [Test]
    public void RowsAreSequencesOfRowsByColumns()
    {
        var options = ExperimentOptions.ForDataset(ExperimentData.FashionMnistRows) with { Data = FakeFashionMnist(60, 12) };
        Assert.That(options.Model, Is.EqualTo("lstm"));
        Assert.That(options.Epochs, Is.EqualTo(5));
        var data = ExperimentData.Load(options);
        Assert.That(data.InputShape, Is.EqualTo(new[] { 6, 5 }));
        Assert.That(data.Test.Count, Is.EqualTo(12));
        Assert.That(data.Description, Does.Contain("6 rows × 5 features"));
    }

    [TestCase("lstm", "recurrent.weight_hh_l0")]
    [TestCase("gru", "recurrent.weight_hh_l0")]
    [TestCase("rnn", "recurrent.weight_hh_l0")]
    [TestCase("conv1d", "1.weight")]
    public void TrainsEvaluatesAndSavesEachSequenceModel(string model, string parameter)
    {
        string data = FakeFashionMnist(240, 48);
        var options = ExperimentOptions.ForDataset(ExperimentData.FashionMnistRows, model, epochs: 8, batchSize: 16) with
        {
            Data = data, Out = Path.Combine(_dir.Path, "runs"), Device = "cpu", Lr = 0.01,
        };
        var result = Experiment.Run(options, new Silent());
        Assert.That(result.History, Has.Count.EqualTo(8));
        Assert.That(result.Test.Accuracy, Is.GreaterThan(0.9), $"{model} on a task that reading the rows solves");
        var checkpoint = Checkpoint.Load(result.CheckpointPath);
        Assert.That(checkpoint.Model.Keys, Does.Contain(parameter));

        var (again, _, _) = Experiment.Evaluate(result.CheckpointPath, data, "cpu");
        Assert.That(again.Accuracy, Is.EqualTo(result.Test.Accuracy));
    }

    [Test]
    public void SequenceModelsNeedSequences()
    {
        var error = Assert.Throws<ArgumentException>(() => Models.Create("lstm", [1, 28, 28], 10, 0, new Generator(0)));
        Assert.That(error!.Message, Does.Contain("[T, F]").And.Contain("[1, 28, 28]").And.Contain("fashion-mnist-rows"));
        Assert.That(Models.Create("mlp", [28, 28], 10, 0, new Generator(0)).ParameterCount(), Is.GreaterThan(0));
    }
}
