using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class BlockTests
{
    [Test]
    public void ResNetBasicBlockNamesMatchTorchvision()
    {
        // torchvision.models.resnet.BasicBlock(4, 8, stride=2, downsample=nn.Sequential(conv1x1(4, 8, 2), nn.BatchNorm2d(8))).state_dict().keys()
        string[] bn(string p) => [$"{p}.weight", $"{p}.bias", $"{p}.running_mean", $"{p}.running_var", $"{p}.num_batches_tracked"];
        var expected = new[] { "conv1.weight" }.Concat(bn("bn1")).Append("conv2.weight").Concat(bn("bn2"))
            .Append("downsample.0.weight").Concat(bn("downsample.1"));
        Assert.That(new ResNetBasicBlock(4, 8, stride: 2).StateDict().Keys, Is.EqualTo(expected));
        Assert.That(new ResNetBasicBlock(8, 8).StateDict().Keys.Any(k => k.StartsWith("downsample", StringComparison.Ordinal)), Is.False,
            "identity shortcut when the shape is unchanged");
    }

    [Test]
    public void ResNetBasicBlockComputesResidualWithProjection()
    {
        var block = new ResNetBasicBlock(2, 4, stride: 2, generator: new Generator(3));
        block.To(DType.Float64);
        var x = LayerTesting.Tensor64([2, 2, 6, 6]);
        var y = block.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 4, 3, 3 }));
        var main = block.Bn2.Forward(block.Conv2.Forward(block.Bn1.Forward(block.Conv1.Forward(x)).Relu()));
        var expected = (main + block.Downsample![1].Forward(block.Downsample[0].Forward(x))).Relu();
        LayerTesting.AssertClose(y.ToArray<double>(), expected.ToArray<double>(), 1e-12);
        Assert.That(y.ToArray<double>().Min(), Is.GreaterThanOrEqualTo(0), "ReLU after the addition");

        var identity = new ResNetBasicBlock(3, 3, generator: new Generator(4));
        identity.To(DType.Float64).Eval();
        var x3 = LayerTesting.Tensor64([1, 3, 4, 4]);
        var inner = identity.Bn2.Forward(identity.Conv2.Forward(identity.Bn1.Forward(identity.Conv1.Forward(x3)).Relu()));
        LayerTesting.AssertClose(identity.Forward(x3).ToArray<double>(), (inner + x3).Relu().ToArray<double>(), 1e-12);
    }

    [Test]
    public void ResNetBasicBlockGradients()
        => LayerTesting.AssertModuleGradients(new ResNetBasicBlock(2, 3, stride: 2, generator: new Generator(5)), LayerTesting.Tensor64([2, 2, 4, 4], s: 2));

    [Test]
    public void DenseBlockConcatenatesGrowingFeatures()
    {
        var block = new DenseBlock(3, 4, growthRate: 2, generator: new Generator(1));
        Assert.That(block.OutChannels, Is.EqualTo(10));
        block.To(DType.Float64);
        var x = LayerTesting.Tensor64([2, 4, 5, 5]);
        var y = block.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 10, 5, 5 }));
        Assert.That(y.Narrow(1, 0, 4).ToArray<double>(), Is.EqualTo(x.ToArray<double>()), "the block input passes through");
        var first = block.Layers[0].Forward(x);
        LayerTesting.AssertClose(y.Narrow(1, 4, 2).ToArray<double>(), first.ToArray<double>(), 1e-12);
        var second = block.Layers[1].Forward(Tensor.Concat([x, first], 1));
        LayerTesting.AssertClose(y.Narrow(1, 6, 2).ToArray<double>(), second.ToArray<double>(), 1e-12);
        Assert.That(block.Layers[2].Conv.InChannels, Is.EqualTo(8));
        Assert.That(block.StateDict().Keys, Does.Contain("layers.2.conv.weight").And.Contain("layers.0.norm.running_var"));
    }

    [Test]
    public void DenseBlockGradients()
        => LayerTesting.AssertModuleGradients(new DenseBlock(2, 2, growthRate: 2, generator: new Generator(2)), LayerTesting.Tensor64([2, 2, 3, 3], s: 2));

    [Test]
    public void TransitionLayerHalvesTheSpatialSize()
    {
        var transition = new TransitionLayer(6, 3, new Generator(1));
        transition.To(DType.Float64);
        var x = LayerTesting.Tensor64([2, 6, 4, 6]);
        var y = transition.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3, 2, 3 }));
        var expected = transition.Conv.Forward(transition.Norm.Forward(x).Relu()).AvgPool2d(2);
        LayerTesting.AssertClose(y.ToArray<double>(), expected.ToArray<double>(), 1e-12);
        Assert.That(transition.StateDict().Keys.First(), Is.EqualTo("norm.weight"));
        LayerTesting.AssertModuleGradients(new TransitionLayer(2, 2, new Generator(3)), LayerTesting.Tensor64([2, 2, 4, 4], s: 2));
    }

    [Test]
    public void BlocksComposeInsideSequentialAndTrainEndToEnd()
    {
        var g = new Generator(12);
        var model = new Sequential(
            new Conv2d(3, 8, 3, padding: 1, generator: g), new BatchNorm2d(8), new ReLU(),
            new ResNetBasicBlock(8, 16, stride: 2, generator: g),
            new DenseBlock(2, 16, growthRate: 4, generator: g),
            new TransitionLayer(24, 12, g),
            new AdaptiveAvgPool2d(1), new Flatten(), new Dropout(0.2, g), new Linear(12, 10, generator: g));
        var x = LayerTesting.Tensor32([2, 3, 8, 8]);
        var logits = model.Forward(x);
        Assert.That(logits.Shape, Is.EqualTo(new[] { 2, 10 }));
        Losses.CrossEntropy(logits, Tensor.FromArray(new[] { 3, 7 }, [2])).Backward();
        Assert.That(model.Parameters().All(p => p.Grad is not null), Is.True);
        Assert.That(model.Summary(2, 3, 8, 8), Does.Contain("3 (ResNetBasicBlock)").And.Contain("[2, 12, 2, 2]"));
    }
}
