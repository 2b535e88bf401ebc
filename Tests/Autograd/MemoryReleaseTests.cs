using NUnit.Framework;

namespace Scratch.Tests.Autograd;

/// <summary>
/// The backward pass hands gradients to leaves without copying when it safely can, and frees the
/// rest; <see cref="Tensor.DisposeGraph"/> frees a step's activations. Neither may change a result.
/// </summary>
[TestFixture]
public class MemoryReleaseTests
{
    private static Tensor Leaf(double[] values, params int[] shape) => new(NDArray.FromArray(values, shape), requiresGrad: true);

    [Test]
    public void GradientsHandedToLeavesNeverShareMemory()
    {
        // Broadcasting add: b's gradient is a view of the same array that a's comes from.
        var a = Leaf([1, 2, 3], 1, 3);
        var b = Leaf([4, 5, 6], 3);
        ((a + b) * 2).Sum().Backward();
        ((a + b) * 2).Sum().Backward();
        Assert.That(a.Grad!.ToArray<double>(), Is.EqualTo(new[] { 4.0, 4, 4 }));
        Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(new[] { 4.0, 4, 4 }));
        a.Grad.Data.FillInPlace(0);
        Assert.That(b.Grad.ToArray<double>(), Is.EqualTo(new[] { 4.0, 4, 4 }), "a's gradient shares b's memory");
    }

    [Test]
    public void AViewOfOneGradientIsNotHandedToASecondLeaf()
    {
        // Add gives the same gradient to both inputs; the reshape passes a's share on as a view of it.
        var a = Leaf([1, 2, 3], 3);
        var b = Leaf([4, 5, 6], 1, 3);
        ((b + a.Reshape(1, 3)) * 2).Sum().Backward();
        a.Grad!.Data.FillInPlace(0);
        Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, 2, 2 }), "a's gradient shares b's memory");
        b.Grad.Data.FillInPlace(7);
        Assert.That(a.Grad.ToArray<double>(), Is.EqualTo(new[] { 0.0, 0, 0 }), "b's gradient shares a's memory");
    }

    [Test]
    public void ConcatSlicesAndRepeatedInputsAccumulateCorrectly()
    {
        var a = Leaf([1, 2], 2);
        var b = Leaf([3, 4, 5], 3);
        var weights = Tensor.FromArray(new[] { 1.0, 2, 3, 4, 5 });
        for (int pass = 1; pass <= 2; pass++)
        {
            var joined = Tensor.Concat([a, b]);
            ((joined * weights).Sum() + (a + a).Sum()).Backward();
            Assert.That(a.Grad!.ToArray<double>(), Is.EqualTo(new[] { 3.0 * pass, 4.0 * pass }), $"pass {pass}");
            Assert.That(b.Grad!.ToArray<double>(), Is.EqualTo(new[] { 3.0 * pass, 4.0 * pass, 5.0 * pass }), $"pass {pass}");
        }
        b.Grad!.Data.FillInPlace(0);
        Assert.That(a.Grad!.ToArray<double>(), Is.EqualTo(new[] { 6.0, 8.0 }));
    }

    [Test]
    public void RetainedGradientOfAnIntermediateStaysValid()
    {
        var x = Leaf([1, -2, 3], 3);
        var h = (x * 3).RetainGrad();
        (h * h).Sum().Backward();
        Assert.That(h.Grad!.ToArray<double>(), Is.EqualTo(new[] { 6.0, -12, 18 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 18.0, -36, 54 }));
    }

    [Test]
    public void BackwardWithAGivenGradientLeavesThatGradientUsable()
    {
        var x = Leaf([1, 2], 2);
        var seed = Tensor.FromArray(new[] { 1.0, 10.0 });
        (x * 2).Backward(seed);
        Assert.That(seed.ToArray<double>(), Is.EqualTo(new[] { 1.0, 10.0 }));
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, 20.0 }));
    }

    [Test]
    public void DisposeGraphFreesIntermediatesButNotLeaves()
    {
        var x = new Tensor(NDArray.FromArray(new[] { 1.0, -2.0, 3.0 }));
        var w = Leaf([0.5, 0.5, 0.5], 3);
        var hidden = (x * w).Relu();
        var loss = hidden.Sum();
        loss.Backward();
        loss.DisposeGraph();
        Assert.That(hidden.Data.IsDisposed && loss.Data.IsDisposed, Is.True);
        Assert.That(x.Data.IsDisposed || w.Data.IsDisposed, Is.False);
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new[] { 1.0, 0.0, 3.0 }));
        Assert.Throws<ObjectDisposedException>(() => hidden.ToArray<double>());
    }

    [Test]
    public void BackwardThroughADisposedGraphSaysSo()
    {
        var w = Leaf([1.0, 2.0], 2);
        var hidden = w * w;
        var loss = hidden.Sum();
        hidden.DisposeGraph();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.That(error!.Message, Does.Contain("DisposeGraph"));
    }

    [Test]
    public void DisposeGraphOnALeafDoesNothing()
    {
        var w = Leaf([1.0], 1);
        w.DisposeGraph();
        Assert.That(w.Data.IsDisposed, Is.False);
    }
}
