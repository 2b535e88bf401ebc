using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>SGD's first steps against the update rule of torch.optim.SGD, written out over plain doubles.</summary>
public class SgdRuleTests
{
    [Test]
    public void PlainSgdMatchesRule()
    {
        double lr = 0.1;
        var expected = Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < th.Length; i++) th[i] -= lr * g[i];
        });
        Quadratic.AssertClose(Quadratic.Run(p => new SGD([p], lr: lr)), expected);
    }

    [Test]
    public void MomentumWithDampeningAndWeightDecayMatchesRule()
    {
        double lr = 0.05, mu = 0.9, dampening = 0.1, wd = 0.05;
        var buf = new double[Quadratic.Theta0.Length];
        var expected = Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < th.Length; i++)
            {
                double gi = g[i] + wd * th[i];
                buf[i] = t == 1 ? gi : mu * buf[i] + (1 - dampening) * gi;
                th[i] -= lr * buf[i];
            }
        });
        Quadratic.AssertClose(Quadratic.Run(p => new SGD([p], lr, momentum: mu, dampening: dampening, weightDecay: wd)), expected);
    }

    [Test]
    public void NesterovMatchesRule()
    {
        double lr = 0.05, mu = 0.9, wd = 0.01;
        var buf = new double[Quadratic.Theta0.Length];
        var expected = Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < th.Length; i++)
            {
                double gi = g[i] + wd * th[i];
                buf[i] = t == 1 ? gi : mu * buf[i] + gi;
                th[i] -= lr * (gi + mu * buf[i]);
            }
        });
        Quadratic.AssertClose(Quadratic.Run(p => new SGD([p], lr, momentum: mu, weightDecay: wd, nesterov: true)), expected);
    }

    [Test]
    public void Float32ParameterFollowsRule()
    {
        double lr = 0.05, mu = 0.9;
        var p = new Tensor(NDArray.FromArray(Quadratic.Theta0.Select(x => (float)x).ToArray()), requiresGrad: true);
        var optimizer = new SGD([p], lr, momentum: mu);
        var buf = new double[Quadratic.Theta0.Length];
        var expected = Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < th.Length; i++)
            {
                buf[i] = t == 1 ? g[i] : mu * buf[i] + g[i];
                th[i] -= lr * buf[i];
            }
        });
        for (int t = 0; t < 3; t++)
        {
            Quadratic.SetGradient(p);
            optimizer.Step();
            var actual = p.Data.ToArray<float>().Select(x => (double)x).ToArray();
            Assert.That(actual, Is.EqualTo(expected[t]).Within(1e-5), $"after step {t + 1}");
        }
        Assert.That(p.DType, Is.EqualTo(DType.Float32));
    }

    [Test]
    public void NonContiguousParameterIsUpdatedThroughItsView()
    {
        // A transposed view: the fused kernel needs contiguous memory, so the update goes through a copy.
        var storage = NDArray.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var p = new Tensor(storage.Transpose(), requiresGrad: true); // [3, 2], non-contiguous
        Assert.That(p.Data.IsContiguous, Is.False);
        p.Grad = new Tensor(NDArray.FromArray(new double[] { 1, 1, 1, 1, 1, 1 }, [3, 2]));
        new SGD([p], lr: 0.5).Step();
        Assert.That(storage.ToArray<double>(), Is.EqualTo(new double[] { 0.5, 1.5, 2.5, 3.5, 4.5, 5.5 }).Within(1e-12));
    }

    [Test]
    public void NesterovWithoutMomentumIsRejected()
    {
        var p = Quadratic.NewParameter();
        var error = Assert.Throws<ArgumentException>(() => new SGD([p], lr: 0.1, nesterov: true));
        Assert.That(error!.Message, Does.Contain("Nesterov"));
    }

    [Test]
    public void NegativeLearningRateIsRejected()
    {
        var p = Quadratic.NewParameter();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SGD([p], lr: -0.1));
        Assert.That(error!.Message, Does.Contain("lr"));
    }
}
