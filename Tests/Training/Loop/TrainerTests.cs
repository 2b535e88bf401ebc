using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training.Loop;

public class TrainerTests
{
    /// <summary>Two Gaussian blobs in 2-D, labels 0/1, made with System.Random (not the code under test).</summary>
    private static TensorDataset Blobs(int n, int seed)
    {
        var rng = new System.Random(seed);
        var x = new float[n * 2];
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = i % 2;
            x[2 * i] = (float)(rng.NextDouble() - 0.5 + (y[i] == 1 ? 1.5 : -1.5));
            x[2 * i + 1] = (float)(rng.NextDouble() - 0.5);
        }
        return new TensorDataset(NDArray.FromArray(x, [n, 2]), NDArray.FromArray(y));
    }

    private static (Trainer Trainer, Module Model) NewTrainer(string optimizer = "momentum")
    {
        var model = Models.Mlp(2, [8], 2, 0, new Generator(5));
        var opt = OptimizerFactory.Create(optimizer, model.Parameters(), 0.05, 0);
        return (new Trainer(model, opt, (o, t) => Losses.CrossEntropy(o, t)), model);
    }

    [Test]
    public void FitLearnsASeparableProblemAndRecordsEachEpoch()
    {
        var (trainer, _) = NewTrainer();
        var data = new DataLoader(Blobs(64, 1), 16, shuffle: true, seed: 1);
        var history = trainer.Fit(data, new DataLoader(Blobs(32, 2), 16), epochs: 5);
        Assert.That(history.Select(r => r.Epoch), Is.EqualTo(new[] { 1, 2, 3, 4, 5 }));
        Assert.That(trainer.Step, Is.EqualTo(20));
        Assert.That(history[^1].TrainLoss, Is.LessThan(history[0].TrainLoss));
        Assert.That(trainer.Evaluate(new DataLoader(Blobs(32, 3), 16)).Accuracy, Is.GreaterThan(0.95));
    }

    [Test]
    public void ResumingFromAMidEpochCheckpointGivesBitIdenticalParameters()
    {
        var train = new DataLoader(Blobs(64, 1), 8, shuffle: true, seed: 7);
        var (straight, straightModel) = NewTrainer("adam");
        straight.Fit(train, null, epochs: 3);

        string dir = Path.Combine(Path.GetTempPath(), "scratch-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (first, _) = NewTrainer("adam");
            var saver = new CheckpointCallback(dir, () => new Dictionary<string, string>(), everySteps: 11);
            first.Callbacks.Add(saver);
            first.Callbacks.Add(new StopAtStep(11));
            Assert.Throws<OperationCanceledException>(() => first.Fit(train, null, epochs: 3));
            var checkpoint = Checkpoint.Load(saver.LastPath);
            Assert.That((checkpoint.Epoch, checkpoint.BatchInEpoch, checkpoint.Step), Is.EqualTo((1, 3, 11L)));

            var (second, secondModel) = NewTrainer("adam");
            secondModel.LoadStateDict(checkpoint.Model);
            second.Optimizer.LoadStateDict(checkpoint.Optimizer!);
            second.RestorePosition(checkpoint.Epoch, checkpoint.BatchInEpoch, checkpoint.Step, checkpoint.History, checkpoint.PartialEpoch);
            second.Fit(train, null, epochs: 3);

            Assert.That(second.Step, Is.EqualTo(straight.Step));
            // The epoch cut by the crash reports the means over all its batches, those before the resume included.
            Assert.That(second.History.Select(r => (r.Epoch, r.TrainLoss, r.TrainAccuracy)), Is.EqualTo(straight.History.Select(r => (r.Epoch, r.TrainLoss, r.TrainAccuracy))));
            foreach (var ((name, a), (_, b)) in straightModel.StateDict().Zip(secondModel.StateDict()))
                Assert.That(b.ToArray<float>(), Is.EqualTo(a.ToArray<float>()), name);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights()
    {
        var (trainer, model) = NewTrainer();
        var stopper = new EarlyStopping(patience: 1, restoreBestWeights: true);
        double[] losses = [1.0, 0.5, 0.6, 0.7, 0.4];
        float[]? bestWeights = null;
        for (int epoch = 1; epoch <= losses.Length && !trainer.StopRequested; epoch++)
        {
            // Change the weights each epoch so "restore" has something to undo.
            foreach (var p in model.Parameters()) p.Data.AddInPlace(0.1);
            if (epoch == 2) bestWeights = model.Parameters().First().ToArray<float>();
            stopper.OnEpochEnd(trainer, new EpochRecord(epoch, 0, ValidationLoss: losses[epoch - 1]));
        }
        Assert.That(trainer.StopRequested, Is.True);
        Assert.That(stopper.StoppedEpoch, Is.EqualTo(3), "best at 2; with patience 1 the first epoch without improvement (3) stops training");
        Assert.That(stopper.BestEpoch, Is.EqualTo(2));
        stopper.OnTrainEnd(trainer);
        Assert.That(model.Parameters().First().ToArray<float>(), Is.EqualTo(bestWeights));
    }

    [Test]
    public void CheckpointRejectsAFileThatIsNotACheckpoint()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "not a checkpoint");
            var e = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
            Assert.That(e!.Message, Does.Contain(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Stops training abruptly at a given step, as a crash would.</summary>
    private sealed class StopAtStep(long step) : TrainerCallback
    {
        public override void OnBatchEnd(Trainer trainer, BatchProgress progress)
        {
            if (trainer.Step == step) throw new OperationCanceledException("simulated crash");
        }

        public override void OnTrainBegin(Trainer trainer) { }
    }
}
