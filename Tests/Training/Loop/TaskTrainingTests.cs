using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training.Loop;

/// <summary>The trainer on binary (one logit) and multi-label tasks, and class weights.</summary>
public class TaskTrainingTests
{
    /// <summary>Two Gaussian blobs in 2-D with 0/1 labels, made with System.Random (not the code under test).</summary>
    private static (float[] X, int[] Y) Blobs(int n, int seed)
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
        return (x, y);
    }

    private static Trainer BinaryTrainer(out Module model)
    {
        model = Models.Mlp(2, [8], 1, 0, new Generator(5));
        var opt = OptimizerFactory.Create("adam", model.Parameters(), 0.05, 0);
        return new Trainer(model, opt, TaskLosses.For(TaskKind.Binary), TaskKind.Binary);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void OneLogitBinaryTrainsAndScoresWithinRange(bool floatTargetsNx1)
    {
        NDArray Targets(int[] y) => floatTargetsNx1
            ? NDArray.FromArray(Array.ConvertAll(y, v => (float)v), [y.Length, 1])
            : NDArray.FromArray(y);
        var (x, y) = Blobs(64, 1);
        var (vx, vy) = Blobs(40, 2);
        var trainer = BinaryTrainer(out _);
        var history = trainer.Fit(new DataLoader(new TensorDataset(NDArray.FromArray(x, [64, 2]), Targets(y)), 16, shuffle: true, seed: 1),
            new DataLoader(new TensorDataset(NDArray.FromArray(vx, [40, 2]), Targets(vy)), 16), epochs: 6);
        // With the old arg-max accuracy a [N, 1] output against [N, 1] targets compared N×N cells.
        Assert.That(history.Select(r => r.TrainAccuracy), Is.All.InRange(0.0, 1.0));
        Assert.That(history[^1].ValidationAccuracy, Is.GreaterThan(0.9).And.LessThanOrEqualTo(1.0));

        var result = trainer.Evaluate(new DataLoader(new TensorDataset(NDArray.FromArray(vx, [40, 2]), Targets(vy)), 16));
        Assert.That(result.Confusion!.ClassCount, Is.EqualTo(2));
        Assert.That(result.Confusion.Total, Is.EqualTo(40));
        Assert.That(result.Accuracy, Is.GreaterThan(0.9).And.LessThanOrEqualTo(1.0));
        Assert.That(result.RocAuc, Is.GreaterThan(0.95).And.LessThanOrEqualTo(1.0));
        Assert.That(result.PrAuc, Is.GreaterThan(0.95).And.LessThanOrEqualTo(1.0));
        Assert.That(result.Threshold, Is.EqualTo(0.5));
    }

    [Test]
    public void TheThresholdDecidesTheBinaryPrediction()
    {
        // A fixed "model": the logit is the input itself. Logits ln(0.3/0.7), 0, ln(0.8/0.2) are probabilities 0.3, 0.5, 0.8.
        var model = new Sequential(new Identity());
        var x = NDArray.FromArray(new[] { (float)Math.Log(0.3 / 0.7), 0f, (float)Math.Log(4) }, [3, 1]);
        var data = new DataLoader(new TensorDataset(x, NDArray.FromArray(new[] { 0, 1, 1 })), 3);
        var at50 = Trainer.Evaluate(model, TaskLosses.For(TaskKind.Binary), TaskKind.Binary, data, threshold: 0.5);
        var at60 = Trainer.Evaluate(model, TaskLosses.For(TaskKind.Binary), TaskKind.Binary, data, threshold: 0.6);
        Assert.That(at50.Accuracy, Is.EqualTo(1.0));
        Assert.That(at60.Accuracy, Is.EqualTo(2.0 / 3).Within(1e-12), "0.5 < 0.6 is now predicted 0");
        Assert.That(at60.Confusion![1, 0], Is.EqualTo(1));
        Assert.That(at60.RocAuc, Is.EqualTo(1.0), "the ranking does not depend on the threshold");
    }

    [Test]
    public void ASingleOutputOnAMulticlassTaskIsRefusedClearly()
    {
        var model = Models.Mlp(2, [4], 1, 0, new Generator(1));
        var (x, y) = Blobs(8, 1);
        var data = new DataLoader(new TensorDataset(NDArray.FromArray(x, [8, 2]), NDArray.FromArray(Array.ConvertAll(y, v => (float)v), [8, 1])), 8);
        var e = Assert.Throws<ArgumentException>(() => Trainer.Evaluate(model, (o, t) => Losses.BCEWithLogits(o, t), TaskKind.Classification, data));
        Assert.That(e!.Message, Does.Contain("TaskKind.Binary"));
    }

    [Test]
    public void MultiLabelTrainsAndReportsF1PerLabel()
    {
        // Label 0: x0 > 0; label 1: x1 > 0; label 2: both. Made with System.Random.
        var rng = new System.Random(3);
        (NDArray X, NDArray Y) Make(int n)
        {
            var x = new float[n * 2];
            var y = new float[n * 3];
            for (int i = 0; i < n; i++)
            {
                x[2 * i] = (float)(rng.NextDouble() * 2 - 1);
                x[2 * i + 1] = (float)(rng.NextDouble() * 2 - 1);
                y[3 * i] = x[2 * i] > 0 ? 1 : 0;
                y[3 * i + 1] = x[2 * i + 1] > 0 ? 1 : 0;
                y[3 * i + 2] = y[3 * i] * y[3 * i + 1];
            }
            return (NDArray.FromArray(x, [n, 2]), NDArray.FromArray(y, [n, 3]));
        }
        var (tx, ty) = Make(256);
        var (vx, vy) = Make(100);
        var model = Models.Mlp(2, [16], 3, 0, new Generator(2));
        var trainer = new Trainer(model, OptimizerFactory.Create("adam", model.Parameters(), 0.03, 0), TaskLosses.For(TaskKind.MultiLabel), TaskKind.MultiLabel);
        var history = trainer.Fit(new DataLoader(new TensorDataset(tx, ty), 32, shuffle: true, seed: 4), null, epochs: 30);
        Assert.That(history.Select(r => r.TrainAccuracy), Is.All.InRange(0.0, 1.0));
        var result = trainer.Evaluate(new DataLoader(new TensorDataset(vx, vy), 50));
        Assert.That(result.MultiLabel!.LabelCount, Is.EqualTo(3));
        Assert.That(result.Accuracy, Is.EqualTo(result.MultiLabel.SubsetAccuracy));
        Assert.That(result.Accuracy, Is.GreaterThan(0.85));
        Assert.That(Enumerable.Range(0, 3).Select(result.MultiLabel.F1), Is.All.GreaterThan(0.85));
        Assert.That(result.Describe().Select(p => p.Key), Does.Contain("micro F1").And.Contain("macro F1").And.Contain("F1 of label 2"));
    }

    [Test]
    public void ClassWeightsScaleTheLossOfTheirClass()
    {
        var logits = new Tensor(NDArray.FromArray(new[] { 0.3f, -1.2f }, [2, 1]));
        var labels = new Tensor(NDArray.FromArray(new[] { 1f, 0f }, [2, 1]));
        double plain0 = Math.Log(1 + Math.Exp(-0.3)), plain1 = Math.Log(1 + Math.Exp(-1.2));
        double weighted = TaskLosses.For(TaskKind.Binary, [2, 5])(logits, labels).Item();
        // Mean over the two examples of w(y)·loss: the positive (0.3) weighs 5, the negative (−1.2) weighs 2.
        Assert.That(weighted, Is.EqualTo((5 * plain0 + 2 * plain1) / 2).Within(1e-6));

        var scores = new Tensor(NDArray.FromArray(new[] { 2f, 0f, 0f, 1f }, [2, 2]));
        var classes = new Tensor(NDArray.FromArray(new[] { 0, 1 }));
        double ce0 = Math.Log(1 + Math.Exp(-2)), ce1 = Math.Log(1 + Math.Exp(-1));
        double weightedCe = TaskLosses.For(TaskKind.Classification, [1, 3])(scores, classes).Item();
        Assert.That(weightedCe, Is.EqualTo((ce0 + 3 * ce1) / 4).Within(1e-6), "PyTorch's weighted mean divides by the weights' sum");
    }
}
