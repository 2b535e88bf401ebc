using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>RMSprop, Adagrad and Adadelta against the rules documented for torch.optim, over plain doubles.</summary>
public class AdaptiveRuleTests
{
    private static readonly int N = Quadratic.Theta0.Length;

    private static List<double[]> RmspropReference(double lr, double alpha, double eps, double wd, double mu, bool centered)
    {
        var v = new double[N];
        var gAvg = new double[N];
        var buf = new double[N];
        return Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < N; i++)
            {
                double gi = g[i] + wd * th[i];
                v[i] = alpha * v[i] + (1 - alpha) * gi * gi;
                double vTilde = v[i];
                if (centered)
                {
                    gAvg[i] = alpha * gAvg[i] + (1 - alpha) * gi;
                    vTilde -= gAvg[i] * gAvg[i];
                }
                double denominator = Math.Sqrt(vTilde) + eps;
                if (mu > 0)
                {
                    buf[i] = mu * buf[i] + gi / denominator;
                    th[i] -= lr * buf[i];
                }
                else
                {
                    th[i] -= lr * gi / denominator;
                }
            }
        });
    }

    [Test]
    public void RmspropMatchesRule()
    {
        Quadratic.AssertClose(Quadratic.Run(p => new RMSprop([p], lr: 0.01)), RmspropReference(0.01, 0.99, 1e-8, 0, 0, centered: false));
    }

    [Test]
    public void CenteredRmspropWithMomentumAndWeightDecayMatchesRule()
    {
        var expected = RmspropReference(0.01, 0.9, 1e-6, 0.1, 0.8, centered: true);
        var uncentered = RmspropReference(0.01, 0.9, 1e-6, 0.1, 0.8, centered: false);
        Assert.That(expected[^1], Is.Not.EqualTo(uncentered[^1]).Within(1e-6));
        Quadratic.AssertClose(Quadratic.Run(p => new RMSprop([p], lr: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.1, momentum: 0.8, centered: true)), expected);
    }

    [Test]
    public void AdagradMatchesRule()
    {
        double lr = 0.5, lrDecay = 0.1, wd = 0.05, initial = 0.1, eps = 1e-10;
        var sum = Enumerable.Repeat(initial, N).ToArray();
        var expected = Quadratic.Reference((t, th, g) =>
        {
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < N; i++)
            {
                double gi = g[i] + wd * th[i];
                sum[i] += gi * gi;
                th[i] -= clr * gi / (Math.Sqrt(sum[i]) + eps);
            }
        });
        Quadratic.AssertClose(Quadratic.Run(p => new Adagrad([p], lr: lr, lrDecay: lrDecay, weightDecay: wd, initialAccumulatorValue: initial)), expected);
    }

    [Test]
    public void AdadeltaMatchesRule()
    {
        double lr = 1.0, rho = 0.9, eps = 1e-6, wd = 0.1;
        var v = new double[N];
        var u = new double[N];
        var expected = Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < N; i++)
            {
                double gi = g[i] + wd * th[i];
                v[i] = rho * v[i] + (1 - rho) * gi * gi;
                double delta = Math.Sqrt(u[i] + eps) / Math.Sqrt(v[i] + eps) * gi;
                u[i] = rho * u[i] + (1 - rho) * delta * delta;
                th[i] -= lr * delta;
            }
        });
        Quadratic.AssertClose(Quadratic.Run(p => new Adadelta([p], lr: lr, rho: rho, eps: eps, weightDecay: wd)), expected);
    }
}
