using NUnit.Framework;

namespace Scratch.Tests.Optimizers;

/// <summary>Gradient clipping by total norm (as clip_grad_norm_) and by value (as clip_grad_value_).</summary>
public class GradClipTests
{
    private static Tensor WithGrad(double[] grad)
    {
        var p = Tensor.FromArray(new double[grad.Length], requiresGrad: true);
        p.Grad = new Tensor(NDArray.FromArray(grad.ToArray()));
        return p;
    }

    private static double[] GradOf(Tensor p) => p.Grad!.Data.ToArray<double>();

    [Test]
    public void TwoNormScalesAllGradientsTogether()
    {
        var a = WithGrad([3, 4]);
        var b = WithGrad([12]);
        double total = GradClip.ClipByNorm([a, b], maxNorm: 6.5);
        Assert.That(total, Is.EqualTo(13).Within(1e-12)); // √(9 + 16 + 144)
        double c = 6.5 / (13 + 1e-6);
        Assert.That(GradOf(a), Is.EqualTo(new[] { 3 * c, 4 * c }).Within(1e-12));
        Assert.That(GradOf(b), Is.EqualTo(new[] { 12 * c }).Within(1e-12));
    }

    [Test]
    public void SmallGradientsAreLeftAlone()
    {
        var a = WithGrad([0.3, -0.4]);
        double total = GradClip.ClipByNorm([a], maxNorm: 1.0);
        Assert.That(total, Is.EqualTo(0.5).Within(1e-12));
        Assert.That(GradOf(a), Is.EqualTo(new[] { 0.3, -0.4 }));
    }

    [Test]
    public void InfinityNormUsesLargestAbsoluteValue()
    {
        var a = WithGrad([-7, 2]);
        var b = WithGrad([5]);
        double total = GradClip.ClipByNorm([a, b], maxNorm: 3.5, normType: double.PositiveInfinity);
        Assert.That(total, Is.EqualTo(7));
        double c = 3.5 / (7 + 1e-6);
        Assert.That(GradOf(a), Is.EqualTo(new[] { -7 * c, 2 * c }).Within(1e-12));
        Assert.That(GradOf(b), Is.EqualTo(new[] { 5 * c }).Within(1e-12));
    }

    [TestCase(1.0)]
    [TestCase(3.0)]
    public void PNormMatchesDefinition(double p)
    {
        double[] ga = [1.5, -2, 0.5], gb = [-3, 1];
        double expected = Math.Pow(ga.Concat(gb).Sum(x => Math.Pow(Math.Abs(x), p)), 1 / p);
        var a = WithGrad(ga);
        var b = WithGrad(gb);
        double total = GradClip.ClipByNorm([a, b], maxNorm: 1.0, normType: p);
        Assert.That(total, Is.EqualTo(expected).Within(1e-12));
        double c = 1.0 / (expected + 1e-6);
        Assert.That(GradOf(b), Is.EqualTo(gb.Select(x => x * c).ToArray()).Within(1e-12));
    }

    [Test]
    public void ParametersWithoutGradientsAreSkipped()
    {
        var a = WithGrad([6, 8]);
        var none = Tensor.FromArray(new double[] { 100 }, requiresGrad: true);
        Assert.That(GradClip.ClipByNorm([a, none], maxNorm: 5), Is.EqualTo(10).Within(1e-12));
        Assert.That(none.Grad, Is.Null);
        Assert.That(GradClip.ClipByNorm([none], maxNorm: 5), Is.EqualTo(0));
    }

    [Test]
    public void NonFiniteNormThrowsWhenAsked()
    {
        var a = WithGrad([double.NaN, 1]);
        Assert.That(() => GradClip.ClipByNorm([a], maxNorm: 1, errorIfNonfinite: true), Throws.TypeOf<ArithmeticException>());
        Assert.That(GradClip.ClipByNorm([a], maxNorm: 1), Is.NaN);
    }

    [Test]
    public void Float32GradientsAreClipped()
    {
        var p = Tensor.FromArray(new float[] { 0, 0 }, requiresGrad: true);
        p.Grad = new Tensor(NDArray.FromArray(new float[] { 30, 40 }));
        Assert.That(GradClip.ClipByNorm([p], maxNorm: 5), Is.EqualTo(50).Within(1e-4));
        Assert.That(p.Grad.Data.ToArray<float>(), Is.EqualTo(new[] { 3f, 4f }).Within(1e-5));
    }

    [Test]
    public void ClipByValueClampsEachElement()
    {
        var a = WithGrad([-3, -0.5, 0.2, 7]);
        GradClip.ClipByValue([a], clipValue: 1);
        Assert.That(GradOf(a), Is.EqualTo(new[] { -1, -0.5, 0.2, 1 }));
    }

    [Test]
    public void NegativeLimitsAreRejected()
    {
        var a = WithGrad([1]);
        Assert.That(() => GradClip.ClipByNorm([a], maxNorm: -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => GradClip.ClipByNorm([a], maxNorm: 1, normType: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => GradClip.ClipByValue([a], clipValue: -1), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
