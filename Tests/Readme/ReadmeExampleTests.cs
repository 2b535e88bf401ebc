using NUnit.Framework;

namespace Scratch.Tests.Readme;

/// <summary>The README's first program, verbatim, must do what the README says.</summary>
public class ReadmeExampleTests
{
    [Test]
    public void PlainGradientDescentFitsTheLine()
    {
        var x = Tensor.Rand([64, 1], new Generator(1), low: -1, high: 1);
        var y = 3 * x - 2 + 0.05 * Tensor.Randn([64, 1], new Generator(2));
        var w = Tensor.Zeros([1, 1], requiresGrad: true);
        var b = Tensor.Zeros([1], requiresGrad: true);
        for (int step = 0; step < 200; step++)
        {
            var loss = (x.MatMul(w) + b - y).Square().Mean();
            w.Grad = null; b.Grad = null;
            loss.Backward();
            using (Tensor.NoGrad()) { w.Data.SubInPlace(w.Grad!.Data * 0.1); b.Data.SubInPlace(b.Grad!.Data * 0.1); }
        }
        Assert.That(w.Item(), Is.EqualTo(3).Within(0.05));
        Assert.That(b.Item(), Is.EqualTo(-2).Within(0.05));
    }
}
