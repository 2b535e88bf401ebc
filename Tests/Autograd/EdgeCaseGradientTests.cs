using NUnit.Framework;
using Scratch.Tests.Layers;

namespace Scratch.Tests.Autograd;

/// <summary>
/// Gradients at the points where a formula breaks down (NaN operands, 0⁰, 0/0), against PyTorch 1.13's
/// answers (Debian's python3-torch; each test's comment has the snippet). A NaN or ±∞ gradient here would
/// poison every parameter it reaches.
/// </summary>
public class EdgeCaseGradientTests
{
    private static Tensor Leaf(params double[] values) => Tensor.FromArray(values, [values.Length], requiresGrad: true);

    private static double[] Grad(Tensor t) => t.Grad!.ToArray<double>();

    // a = [nan, 1, 2, nan, 3], b = [1, nan, 2, nan, 1]; torch.maximum(a, b).sum().backward()
    [Test]
    public void MaximumWithANaNOperandSendsTheGradientToBothInputs()
    {
        var a = Leaf(double.NaN, 1, 2, double.NaN, 3);
        var b = Leaf(1, double.NaN, 2, double.NaN, 1);
        Tensor.Maximum(a, b).Sum().Backward();
        Assert.That(Grad(a), Is.EqualTo(new[] { 1.0, 1, 0.5, 1, 1 }));
        Assert.That(Grad(b), Is.EqualTo(new[] { 1.0, 1, 0.5, 1, 0 }));
    }

    // same inputs; torch.minimum(a, b).sum().backward()
    [Test]
    public void MinimumWithANaNOperandSendsTheGradientToBothInputs()
    {
        var a = Leaf(double.NaN, 1, 2, double.NaN, 3);
        var b = Leaf(1, double.NaN, 2, double.NaN, 1);
        Tensor.Minimum(a, b).Sum().Backward();
        Assert.That(Grad(a), Is.EqualTo(new[] { 1.0, 1, 0.5, 1, 0 }));
        Assert.That(Grad(b), Is.EqualTo(new[] { 1.0, 1, 0.5, 1, 1 }));
    }

    // a = [0, 0, 0, 0, 2, 0], b = [0, 2, -1, 0.5, 3, -0.5]; torch.pow(a, b).sum().backward()
    // a.grad = [0, 0, -inf, inf, 12, -inf], b.grad = [0, 0, -inf, 0, 8·ln 2, -inf]
    [Test]
    public void PowAtZeroBaseMasksTheGradientsAsPyTorch()
    {
        var a = Leaf(0, 0, 0, 0, 2, 0);
        var b = Leaf(0, 2, -1, 0.5, 3, -0.5);
        Tensor.Pow(a, b).Sum().Backward();
        Assert.That(Grad(a), Is.EqualTo(new[] { 0.0, 0, double.NegativeInfinity, double.PositiveInfinity, 12, double.NegativeInfinity }));
        var gb = Grad(b);
        Assert.That(gb[..4], Is.EqualTo(new[] { 0.0, 0, double.NegativeInfinity, 0 }));
        Assert.That(gb[4], Is.EqualTo(8 * Math.Log(2)).Within(1e-12));
        Assert.That(gb[5], Is.EqualTo(double.NegativeInfinity));
    }

    // x = [[1, 2], [3, 4]]; F.cross_entropy(x, torch.tensor([-100, -100])) → nan, x.grad = zeros
    [Test]
    public void CrossEntropyMeanWithEveryTargetIgnoredIsNaNWithAZeroGradient()
    {
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, [2, 2], requiresGrad: true);
        var loss = Losses.CrossEntropy(x, Tensor.FromArray(new[] { -100, -100 }, [2]));
        Assert.That(loss.Item(), Is.NaN);
        loss.Backward();
        Assert.That(Grad(x), Is.EqualTo(new double[4]));
    }

    [Test]
    public void CrossEntropyMeanWithSomeTargetsIgnoredKeepsItsGradient()
    {
        // Only row 1 counts: loss = logsumexp(3, 4) − 4, gradient softmax(3, 4) − (0, 1) = (p, −p) on row 1, 0 on row 0.
        var x = Tensor.FromArray(new[] { 1.0, 2, 3, 4 }, [2, 2], requiresGrad: true);
        var loss = Losses.CrossEntropy(x, Tensor.FromArray(new[] { -100, 1 }, [2]));
        double p = 1 / (1 + Math.Exp(1));
        Assert.That(loss.Item(), Is.EqualTo(Math.Log(1 + Math.Exp(-1))).Within(1e-12));
        loss.Backward();
        var g = Grad(x);
        Assert.That(g[..2], Is.EqualTo(new double[2]));
        Assert.That(g[2], Is.EqualTo(p).Within(1e-12));
        Assert.That(g[3], Is.EqualTo(-p).Within(1e-12));
    }

    // x = [[2, 2, 2], [1, 2, 4]]; x.std(1).sum().backward() → row 0 zeros
    [Test]
    public void StdOverAConstantSliceHasAZeroGradient()
    {
        var x = Tensor.FromArray(new[] { 2.0, 2, 2, 1, 2, 4 }, [2, 3], requiresGrad: true);
        var std = x.Std([1]);
        Assert.That(std.ToArray<double>()[0], Is.EqualTo(0));
        std.Sum().Backward();
        var g = Grad(x);
        Assert.That(g[..3], Is.EqualTo(new double[3]));
        LayerTesting.AssertClose(g[3..], new[] { -0.43643578047198484, -0.10910894511799625, 0.5455447255899809 }, atol: 1e-12, rtol: 0);
    }

    // same x; x.std(1, unbiased=False).sum().backward()
    [Test]
    public void BiasedStdOverAConstantSliceHasAZeroGradient()
    {
        var x = Tensor.FromArray(new[] { 2.0, 2, 2, 1, 2, 4 }, [2, 3], requiresGrad: true);
        x.Std([1], unbiased: false).Sum().Backward();
        var g = Grad(x);
        Assert.That(g[..3], Is.EqualTo(new double[3]));
        LayerTesting.AssertClose(g[3..], new[] { -0.35634832254989923, -0.08908708063747484, 0.44543540318737396 }, atol: 1e-12, rtol: 0);
    }
}
