using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>The learning-rate range test: the sweep, smoothing, early stop, suggestion and restoration.</summary>
public class LrFinderTests
{
    private static Tensor Scalar(double value) => Tensor.FromArray(new[] { value }, requiresGrad: true);

    /// <summary>A train step that returns the given losses in turn (and sets a dummy gradient).</summary>
    private static Func<double> Scripted(Tensor p, params double[] losses)
    {
        int call = 0;
        return () =>
        {
            p.Grad = new Tensor(NDArray.FromArray(new[] { 1.0 }));
            return losses[call++];
        };
    }

    [Test]
    public void SweepsGeometricallyAndStopsWhenLossExceedsFourTimesBest()
    {
        var p = Scalar(0);
        var optimizer = new SGD([p], lr: 0.01);
        var finder = new LrFinder(optimizer, Scripted(p, 4, 3.5, 2, 1.8, 1.7, 8, 1, 1, 1, 1));
        var result = finder.Run(minLr: 1e-3, maxLr: 1e6, steps: 10, smoothing: 0, skipStart: 0, skipEnd: 0);

        Assert.That(result.Diverged, Is.True);
        Assert.That(result.Losses, Is.EqualTo(new[] { 4, 3.5, 2, 1.8, 1.7, 8 }).Within(1e-12), "8 > 4 × 1.7 ends the run");
        var expectedLrs = Enumerable.Range(0, 6).Select(i => 1e-3 * Math.Pow(10, i)).ToArray();
        Assert.That(result.Lrs, Is.EqualTo(expectedLrs).Within(1e-9));
        // np.gradient of the losses: [-0.5, -1, -0.85, -0.15, 3.15, 6.3]; steepest at index 1.
        Assert.That(result.SuggestedLr, Is.EqualTo(1e-2).Within(1e-12));
        Assert.That(result.MinLossLr, Is.EqualTo(1e1).Within(1e-9));
    }

    [Test]
    public void LossesAreBiasCorrectedMovingAverages()
    {
        var p = Scalar(0);
        var finder = new LrFinder(new SGD([p], lr: 0.01), Scripted(p, 2, 4, 3));
        var result = finder.Run(minLr: 1e-3, maxLr: 1e-1, steps: 3, smoothing: 0.5);
        // avg: 1, 2.5, 2.75; corrections 1 − 0.5^k: 0.5, 0.75, 0.875.
        Assert.That(result.Losses, Is.EqualTo(new[] { 2.0, 2.5 / 0.75, 2.75 / 0.875 }).Within(1e-12));
        Assert.That(result.Diverged, Is.False);
    }

    [Test]
    public void NonFiniteLossEndsTheRun()
    {
        var p = Scalar(0);
        var finder = new LrFinder(new SGD([p], lr: 0.01), Scripted(p, 1, double.NaN, 1));
        var result = finder.Run(steps: 3, smoothing: 0);
        Assert.That(result.Diverged, Is.True);
        Assert.That(result.Losses, Is.EqualTo(new[] { 1.0 }));
        Assert.That(result.SuggestedLr, Is.Null, "one point gives no slope");
    }

    [Test]
    public void RestoresOptimizerStateRatesAndCallerState()
    {
        // f(θ) = ½·θ² on SGD with momentum: the finder must leave the optimizer exactly as it found it.
        var p = Scalar(3);
        var optimizer = new SGD([p], lr: 0.01, momentum: 0.9);
        for (int i = 0; i < 2; i++)
        {
            p.Grad = new Tensor(p.Data.Clone());
            optimizer.Step();
        }
        var before = optimizer.StateDict();
        double thetaBefore = p.Data.ToArray<double>()[0];
        NDArray? saved = null;

        double TrainStep()
        {
            double theta = p.Data.ToArray<double>()[0];
            p.Grad = new Tensor(p.Data.Clone());
            return 0.5 * theta * theta;
        }

        var finder = new LrFinder(optimizer, TrainStep,
            saveState: () => saved = p.Data.Clone(),
            restoreState: () => p.Data.CopyFrom(saved!));
        var result = finder.Run(minLr: 1e-4, maxLr: 100, steps: 60);

        // SGD on ½θ² diverges once lr·(1 + momentum terms) grows past 2: the test must stop early.
        Assert.That(result.Diverged, Is.True);
        Assert.That(result.Lrs[^1], Is.LessThan(100));
        Assert.That(result.SuggestedLr, Is.Not.Null);
        Assert.That(result.SuggestedLr!.Value, Is.GreaterThan(1e-4).And.LessThan(result.Lrs[^1]));

        var after = optimizer.StateDict();
        Assert.That(after.Scalars, Is.EquivalentTo(before.Scalars));
        Assert.That(after.Tensors["state.0.momentum_buffer"].ToArray<double>(), Is.EqualTo(before.Tensors["state.0.momentum_buffer"].ToArray<double>()));
        Assert.That(optimizer.ParamGroups[0].Lr, Is.EqualTo(0.01));
        Assert.That(p.Data.ToArray<double>()[0], Is.EqualTo(thetaBefore));
        Assert.That(p.Grad, Is.Null);
    }

    [Test]
    public void StateIsRestoredWhenTheTrainStepThrows()
    {
        var p = Scalar(1);
        var optimizer = new Adam([p], lr: 0.001);
        int calls = 0;
        var finder = new LrFinder(optimizer, () =>
        {
            if (++calls == 3) throw new InvalidOperationException("batch failed");
            p.Grad = new Tensor(NDArray.FromArray(new[] { 1.0 }));
            return 1;
        });
        Assert.That(() => finder.Run(steps: 10), Throws.InvalidOperationException.With.Message.EqualTo("batch failed"));
        Assert.That(optimizer.ParamGroups[0].Lr, Is.EqualTo(0.001));
        Assert.That(optimizer.GetState(p), Is.Null);
    }

    [Test]
    public void SaveAndRestoreComeTogether()
    {
        var p = Scalar(1);
        Assert.That(() => new LrFinder(new SGD([p]), () => 0, saveState: () => { }), Throws.ArgumentException);
    }
}
