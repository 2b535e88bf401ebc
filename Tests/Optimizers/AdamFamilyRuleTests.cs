using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>Adam, AdamW, AMSGrad, Adamax and NAdam against the rules documented for torch.optim, over plain doubles.</summary>
public class AdamFamilyRuleTests
{
    private static readonly int N = Quadratic.Theta0.Length;

    /// <summary>The Adam rule (L2 or decoupled weight decay, optional AMSGrad) over doubles.</summary>
    private static List<double[]> AdamReference(double lr, double beta1, double beta2, double eps, double wd, bool decoupled, bool amsgrad)
    {
        var m = new double[N];
        var v = new double[N];
        var vMax = new double[N];
        return Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < N; i++)
            {
                double gi = g[i];
                if (decoupled) th[i] -= lr * wd * th[i];
                else gi += wd * th[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                vMax[i] = Math.Max(vMax[i], v[i]);
                double vHat = (amsgrad ? vMax[i] : v[i]) / (1 - Math.Pow(beta2, t));
                th[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        });
    }

    [Test]
    public void AdamMatchesRule()
    {
        var expected = AdamReference(0.1, 0.9, 0.999, 1e-8, 0, decoupled: false, amsgrad: false);
        Quadratic.AssertClose(Quadratic.Run(p => new Adam([p], lr: 0.1)), expected);
    }

    [Test]
    public void AdamWithL2WeightDecayMatchesRule()
    {
        var expected = AdamReference(0.1, 0.8, 0.99, 1e-6, 0.2, decoupled: false, amsgrad: false);
        Quadratic.AssertClose(Quadratic.Run(p => new Adam([p], lr: 0.1, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.2)), expected);
    }

    [Test]
    public void AmsgradMatchesRuleAndDiffersFromAdam()
    {
        // A small beta2 and a large step make v shrink with the gradient, so the running maximum matters.
        var expected = AdamReference(0.5, 0.9, 0.5, 1e-8, 0, decoupled: false, amsgrad: true);
        var plain = AdamReference(0.5, 0.9, 0.5, 1e-8, 0, decoupled: false, amsgrad: false);
        Assert.That(expected[^1], Is.Not.EqualTo(plain[^1]).Within(1e-4), "the case must exercise the maximum");
        Quadratic.AssertClose(Quadratic.Run(p => new Adam([p], lr: 0.5, beta2: 0.5, amsgrad: true)), expected);
    }

    [Test]
    public void AdamWMatchesDecoupledRule()
    {
        var expected = AdamReference(0.1, 0.9, 0.999, 1e-8, 0.1, decoupled: true, amsgrad: false);
        var coupled = AdamReference(0.1, 0.9, 0.999, 1e-8, 0.1, decoupled: false, amsgrad: false);
        Assert.That(expected[^1], Is.Not.EqualTo(coupled[^1]).Within(1e-6));
        Quadratic.AssertClose(Quadratic.Run(p => new AdamW([p], lr: 0.1, weightDecay: 0.1)), expected);
    }

    [Test]
    public void AdamWWithAmsgradMatchesRule()
    {
        var expected = AdamReference(0.5, 0.9, 0.5, 1e-8, 0.05, decoupled: true, amsgrad: true);
        Quadratic.AssertClose(Quadratic.Run(p => new AdamW([p], lr: 0.5, beta2: 0.5, weightDecay: 0.05, amsgrad: true)), expected);
    }

    [Test]
    public void AdamaxMatchesRule()
    {
        double lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, wd = 0.1;
        var m = new double[N];
        var u = new double[N];
        var expected = Quadratic.Reference((t, th, g) =>
        {
            for (int i = 0; i < N; i++)
            {
                double gi = g[i] + wd * th[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                u[i] = Math.Max(beta2 * u[i], Math.Abs(gi) + eps);
                th[i] -= lr * m[i] / ((1 - Math.Pow(beta1, t)) * u[i]);
            }
        });
        Quadratic.AssertClose(Quadratic.Run(p => new Adamax([p], lr: lr, weightDecay: wd)), expected);
    }

    private static List<double[]> NAdamReference(double lr, double wd, bool decoupled)
    {
        double beta1 = 0.9, beta2 = 0.999, eps = 1e-8, psi = 4e-3;
        var m = new double[N];
        var v = new double[N];
        double Mu(int t) => beta1 * (1 - 0.5 * Math.Pow(0.96, t * psi));
        return Quadratic.Reference((t, th, g) =>
        {
            // Π_{i≤t} μ_i and Π_{i≤t+1} μ_i, straight from the definition.
            double product = 1;
            for (int i = 1; i <= t; i++) product *= Mu(i);
            double productNext = product * Mu(t + 1);
            for (int i = 0; i < N; i++)
            {
                double gi = g[i];
                if (decoupled) th[i] -= lr * wd * th[i];
                else gi += wd * th[i];
                m[i] = beta1 * m[i] + (1 - beta1) * gi;
                v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
                double mHat = Mu(t + 1) * m[i] / (1 - productNext) + (1 - Mu(t)) * gi / (1 - product);
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                th[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        });
    }

    [Test]
    public void NAdamMatchesRule()
    {
        Quadratic.AssertClose(Quadratic.Run(p => new NAdam([p], lr: 0.1, weightDecay: 0.1)), NAdamReference(0.1, 0.1, decoupled: false));
    }

    [Test]
    public void NAdamWithDecoupledWeightDecayMatchesRule()
    {
        Quadratic.AssertClose(Quadratic.Run(p => new NAdam([p], lr: 0.1, weightDecay: 0.1, decoupledWeightDecay: true)),
            NAdamReference(0.1, 0.1, decoupled: true));
    }

    [Test]
    public void AdamOnNonContiguousParameterMatchesContiguousRun()
    {
        var storage = NDArray.FromArray(Quadratic.Theta0.Concat([0.0]).ToArray(), [2, 3]);
        var view = new Tensor(storage.Transpose(), requiresGrad: true); // [3, 2], non-contiguous
        var flat = new Tensor(storage.Transpose().Contiguous().Clone(), requiresGrad: true);
        var a = new Adam([view], lr: 0.1);
        var b = new Adam([flat], lr: 0.1);
        for (int t = 0; t < 3; t++)
        {
            var grad = (view.Data * 2.0 - 1.0).Contiguous();
            view.Grad = new Tensor(grad.Clone());
            flat.Grad = new Tensor(grad.Clone());
            a.Step();
            b.Step();
        }
        Assert.That(view.Data.ToArray<double>(), Is.EqualTo(flat.Data.ToArray<double>()));
        Assert.That(storage.Transpose().ToArray<double>(), Is.EqualTo(flat.Data.ToArray<double>()), "the update reached the viewed storage");
    }

    [Test]
    public void BetaOutOfRangeIsRejected()
    {
        var p = Quadratic.NewParameter();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1.0));
        Assert.That(error!.Message, Does.Contain("beta1"));
    }
}
