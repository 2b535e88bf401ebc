using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>Conv1d and the 1-D pooling layers as modules: gradients, initialisation, output sizes, repr.</summary>
public class Conv1dTests
{
    [Test]
    public void Conv1dGradients()
        => LayerTesting.AssertModuleGradients(new Conv1d(4, 2, 3, stride: 2, padding: 1, dilation: 2, groups: 2, generator: new Generator(1)),
            LayerTesting.Tensor64([2, 4, 9]));

    [Test]
    public void PoolingGradients()
    {
        // Distinct values (a permutation), so the max pool's argmax is stable under perturbation.
        var x = Tensor.FromArray(Enumerable.Range(0, 2 * 3 * 10).Select(i => (i * 37 % 60) * 0.1).ToArray(), [2, 3, 10]);
        LayerTesting.AssertModuleGradients(new MaxPool1d(3, 2, 1), x);
        LayerTesting.AssertModuleGradients(new AvgPool1d(3, 2, 1, countIncludePad: false), x);
        LayerTesting.AssertModuleGradients(new AdaptiveAvgPool1d(4), x);
    }

    [Test]
    public void InitialisationIsPyTorchs()
    {
        var conv = new Conv1d(6, 64, 5, groups: 2, generator: new Generator(2));
        double bound = 1 / Math.Sqrt(3 * 5);
        var w = conv.Weight.Data.ToArray<float>();
        Assert.That(w.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.95 * bound));
        Assert.That(conv.Bias!.Data.ToArray<float>().Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(bound));
        Assert.That(conv.Weight.Shape, Is.EqualTo(new[] { 64, 3, 5 }));
    }

    [Test]
    public void OutputLengthAndRepr()
    {
        var conv = new Conv1d(2, 3, 3, stride: 2, padding: 2, dilation: 2, bias: false);
        var y = conv.Forward(Tensor.Zeros([1, 2, 11]));
        Assert.That(y.Shape, Is.EqualTo(new[] { 1, 3, conv.OutputLength(11) }));
        Assert.That(conv.OutputLength(11), Is.EqualTo(6));
        Assert.That(conv.ToString(), Is.EqualTo("Conv1d(2, 3, kernel_size=(3,), stride=(2,), padding=(2,), dilation=(2,), bias=False)"));
        Assert.That(new MaxPool1d(2).ToString(), Is.EqualTo("MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"));
        Assert.That(new AvgPool1d(3, 1).ToString(), Is.EqualTo("AvgPool1d(kernel_size=(3,), stride=(1,), padding=(0,))"));
        Assert.That(new AdaptiveAvgPool1d(4).ToString(), Is.EqualTo("AdaptiveAvgPool1d(output_size=4)"));
        Assert.That(new AdaptiveAvgPool1d(4).Forward(Tensor.Zeros([2, 3, 10])).Shape, Is.EqualTo(new[] { 2, 3, 4 }));
    }
}
