using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training.Loop;

/// <summary>
/// What the training loop must get right beyond learning: divergence stops it before the weights or a checkpoint
/// take a non-finite value, evaluation runs in eval mode, clipping is applied, and the best checkpoint survives a resume.
/// </summary>
public class TrainerSafetyTests
{
    /// <summary>8 points in 2-D, labels 0/1, by hand.</summary>
    private static TensorDataset Points()
    {
        var x = new float[] { -1, 0.5f, -0.8f, -0.2f, -1.2f, 0.1f, -0.9f, 0.4f, 1, -0.3f, 0.7f, 0.6f, 1.3f, 0.2f, 0.9f, -0.5f };
        return new TensorDataset(NDArray.FromArray(x, [8, 2]), NDArray.FromArray(new[] { 0, 0, 0, 0, 1, 1, 1, 1 }));
    }

    private static Module Model() => Models.Mlp(2, [4], 2, 0, new Generator(3));

    private static float[][] Weights(Module model) => model.Parameters().Select(p => p.ToArray<float>()).ToArray();

    [Test]
    public void ANaNLossStopsAtOnceWithoutTouchingTheWeightsOrTheCheckpoint()
    {
        using var dir = new TempDirectory();
        var model = Model();
        Trainer? trainer = null;
        trainer = new Trainer(model, new SGD(model.Parameters(), 0.1), (o, t) =>
        {
            var loss = Losses.CrossEntropy(o, t);
            return trainer!.Step == 2 ? loss * double.NaN : loss; // the third batch's loss is NaN
        });
        var saver = new CheckpointCallback(dir.Path, () => new Dictionary<string, string>(), everySteps: 1);
        trainer.Callbacks.Add(saver);
        float[][]? afterTwo = null;
        trainer.BatchEnded += p => { if (p.Step == 2) afterTwo = Weights(model); };

        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(new DataLoader(Points(), 2), null, epochs: 1));
        Assert.That((e!.Step, e.Epoch, e.Batch), Is.EqualTo((3L, 1, 3)));
        Assert.That(e.Message, Does.Contain("step 3").And.Contain("loss NaN").And.Contain("learning rate").And.Contain("clip"));
        Assert.That(Weights(model), Is.EqualTo(afterTwo), "the diverged step must not update the weights");
        var last = Checkpoint.Load(saver.LastPath);
        Assert.That(last.Step, Is.EqualTo(2));
        Assert.That(last.Model.Values.SelectMany(a => a.ToArray<float>()).All(float.IsFinite), Is.True);
    }

    [Test]
    public void ANaNGradientWithAFiniteLossStopsAtOnce()
    {
        var model = Model();
        // √(Σ 0·o) is 0, but its backward is ∞ · 0 = NaN for every output.
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1), (o, t) => Losses.CrossEntropy(o, t) + (o * 0).Sum().Sqrt());
        var before = Weights(model);
        var e = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(new DataLoader(Points(), 4), null, epochs: 1));
        Assert.That(e!.Message, Does.Contain("gradient").And.Contain("step 1"));
        Assert.That(Weights(model), Is.EqualTo(before));
    }

    [Test]
    public void ACheckpointIsNotOverwrittenWithNonFiniteWeights()
    {
        using var dir = new TempDirectory();
        var model = Model();
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1), (o, t) => Losses.CrossEntropy(o, t));
        var saver = new CheckpointCallback(dir.Path, () => new Dictionary<string, string>());
        trainer.Callbacks.Add(saver);
        trainer.Fit(new DataLoader(Points(), 4), null, epochs: 1);
        byte[] good = File.ReadAllBytes(saver.LastPath);
        model.Parameters().First().Data.FillInPlace(double.PositiveInfinity);
        Assert.Throws<TrainingDivergedException>(() => saver.OnEpochEnd(trainer, new EpochRecord(2, 0.5)));
        Assert.That(File.ReadAllBytes(saver.LastPath), Is.EqualTo(good));
    }

    /// <summary>Records whether it was in training mode at each forward pass.</summary>
    private sealed class ModeRecorder : Module
    {
        public Linear Inner { get; } = new(2, 2, generator: new Generator(1));
        public List<bool> Modes { get; } = [];

        protected override Tensor ForwardCore(Tensor input)
        {
            Modes.Add(IsTraining);
            return Inner.Forward(input);
        }
    }

    [Test]
    public void EvaluationRunsInEvalModeAndPutsTrainingModeBack()
    {
        var model = new ModeRecorder();
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1), (o, t) => Losses.CrossEntropy(o, t));
        trainer.Fit(new DataLoader(Points(), 4), new DataLoader(Points(), 8), epochs: 1);
        // Two training batches, then one validation batch.
        Assert.That(model.Modes, Is.EqualTo(new[] { true, true, false }));
        Assert.That(model.IsTraining, Is.True);
    }

    [Test]
    public void ClipNormLimitsEachStepToLrTimesTheNorm()
    {
        var model = Model();
        var trainer = new Trainer(model, new SGD(model.Parameters(), 1.0), (o, t) => Losses.CrossEntropy(o, t) * 100) { GradientClipNorm = 1e-3 };
        var before = Weights(model);
        trainer.Fit(new DataLoader(Points(), 8), null, epochs: 1); // one step
        double squared = Weights(model).Zip(before).Sum(pair => pair.First.Zip(pair.Second).Sum(v => (double)(v.First - v.Second) * (v.First - v.Second)));
        // SGD moves by lr · g, and the clipped g has norm maxNorm · total / (total + 1e-6) ≈ 1e-3.
        Assert.That(Math.Sqrt(squared), Is.EqualTo(1e-3).Within(1e-6));
    }

    [Test]
    public void AfterAResumeTheBestCheckpointIsReplacedOnlyByABetterEpoch()
    {
        using var dir = new TempDirectory();
        var model = Model();
        var trainer = new Trainer(model, new SGD(model.Parameters(), 0.1), (o, t) => Losses.CrossEntropy(o, t));
        // Resumed after epoch 1, whose validation loss nothing will beat.
        trainer.RestorePosition(1, 0, 2, [new EpochRecord(1, 0.7, ValidationLoss: 1e-9)]);
        var saver = new CheckpointCallback(dir.Path, () => new Dictionary<string, string>());
        trainer.Callbacks.Add(saver);
        trainer.Fit(new DataLoader(Points(), 4), new DataLoader(Points(), 8), epochs: 2);
        Assert.That(File.Exists(saver.LastPath), Is.True);
        Assert.That(File.Exists(saver.BestPath), Is.False, "epoch 2 is worse than epoch 1 and must not become the best checkpoint");
    }
}
