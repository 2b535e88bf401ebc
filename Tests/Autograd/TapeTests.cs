using NUnit.Framework;

namespace Scratch.Tests.Autograd;

/// <summary>The tape: recording, accumulation, NoGrad, Detach, RetainGrad, graph shapes, deep chains.</summary>
[TestFixture]
public class TapeTests
{
    private static Tensor Leaf(params double[] values) => new(NDArray.FromArray(values), requiresGrad: true);

    private static double[] Grad(Tensor t) => t.Grad!.ToArray<double>();

    [Test]
    public void DisposingADetachedTensorLeavesTheOriginalUsable()
    {
        var original = Tensor.FromArray(new[] { 1.0, 2.0 }, requiresGrad: true);
        var detached = original.Detach();
        Assert.That(detached.RequiresGrad, Is.False);
        detached.Data.FillInPlace(5);              // shares the values ...
        Assert.That(original.ToArray<double>(), Is.EqualTo(new[] { 5.0, 5.0 }));
        detached.Dispose();                         // ... but not the lifetime
        Assert.That(original.ToArray<double>(), Is.EqualTo(new[] { 5.0, 5.0 }));
    }

    [Test]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Leaf(1, 2, 3);
        (x * x).Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 2.0, 4.0, 6.0 }));
        (x * 3).Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 5.0, 7.0, 9.0 }));
    }

    [Test]
    public void RetainGraphAllowsASecondBackwardThatAccumulates()
    {
        var x = Leaf(1, -2);
        var loss = (x * x * x).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 6.0, 24.0 }));
    }

    [Test]
    public void FirstGradientIsACopyNotAnAliasOfTheSeed()
    {
        var x = Leaf(1, 2);
        var seed = new Tensor(NDArray.FromArray(new[] { 1.0, 1.0 }));
        x.Backward(seed);
        seed.Data.FillInPlace(5);
        Assert.That(Grad(x), Is.EqualTo(new[] { 1.0, 1.0 }));
    }

    [Test]
    public void NoGradScopeRecordsNothing()
    {
        var x = Leaf(1, 2);
        Tensor y;
        using (Tensor.NoGrad())
        {
            Assert.That(GradMode.IsEnabled, Is.False);
            y = (x * x).Exp().Sum();
        }
        Assert.That(GradMode.IsEnabled, Is.True);
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.GradFn, Is.Null);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
    }

    [Test]
    public void NoGradScopesNest()
    {
        var outer = Tensor.NoGrad();
        var inner = Tensor.NoGrad();
        inner.Dispose();
        Assert.That(GradMode.IsEnabled, Is.False, "still inside the outer scope");
        inner.Dispose(); // a second dispose must not re-enable early
        Assert.That(GradMode.IsEnabled, Is.False);
        outer.Dispose();
        Assert.That(GradMode.IsEnabled, Is.True);
    }

    [Test]
    public void DetachCutsTheGraphButSharesValues()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        var d = y.Detach();
        Assert.That(d.RequiresGrad, Is.False);
        Assert.That(d.IsLeaf, Is.True);
        // Same values; that they are shared memory (writes seen through both) is
        // DisposingADetachedTensorLeavesTheOriginalUsable's check.
        Assert.That(d.ToArray<double>(), Is.EqualTo(y.ToArray<double>()));
        var loss = (d * x).Sum();
        loss.Backward();
        // d is a constant: ∂/∂x (d·x) = d = 2x, with no term through d.
        Assert.That(Grad(x), Is.EqualTo(new[] { 2.0, 4.0 }));
    }

    [Test]
    public void RetainGradKeepsTheGradientOfANonLeaf()
    {
        var x = Leaf(1, 2);
        var h = (x * 3).RetainGrad();
        var other = x * 5;
        (h * h).Sum().Backward();
        Assert.That(Grad(h), Is.EqualTo(new[] { 6.0, 12.0 }));
        Assert.That(other.Grad, Is.Null, "non-leaves do not keep gradients unless asked");
        Assert.That(Grad(x), Is.EqualTo(new[] { 18.0, 36.0 }));
    }

    [Test]
    public void NonLeavesDoNotKeepGradients()
    {
        var x = Leaf(1, 2);
        var h = x * 3;
        h.Sum().Backward();
        Assert.That(h.Grad, Is.Null);
        Assert.That(h.IsLeaf, Is.False);
    }

    [Test]
    public void RequiresGradCannotBeSwitchedOffOnANonLeaf()
    {
        var y = Leaf(1) * 2;
        var error = Assert.Throws<InvalidOperationException>(() => y.RequiresGrad = false);
        Assert.That(error!.Message, Does.Contain("non-leaf").And.Contain("Detach"));
        Assert.DoesNotThrow(() => y.RequiresGrad = true);
    }

    [Test]
    public void FrozenLeafGetsNoGradient()
    {
        var w = Leaf(2, 3);
        var x = Leaf(1, 1);
        w.RequiresGrad = false;
        (w * x).Sum().Backward();
        Assert.That(w.Grad, Is.Null);
        Assert.That(Grad(x), Is.EqualTo(new[] { 2.0, 3.0 }));
    }

    [Test]
    public void RetainGradOnATensorWithoutGradientsThrows()
    {
        var x = new Tensor(NDArray.FromArray(new[] { 1.0 }));
        Assert.Throws<InvalidOperationException>(() => x.RetainGrad());
    }

    [Test]
    public void DiamondGraphAccumulatesBothPaths()
    {
        // y = a·b with a = x², b = sin x  => dy/dx = 2x·sin x + x²·cos x.
        var x = Leaf(0.5, -1.5);
        var a = x * x;
        var b = x.Sin();
        (a * b).Sum().Backward();
        var values = new[] { 0.5, -1.5 };
        var expected = values.Select(v => 2 * v * Math.Sin(v) + v * v * Math.Cos(v)).ToArray();
        Assert.That(Grad(x), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void TensorUsedTwiceInOneOpAccumulates()
    {
        var x = Leaf(3);
        (x * x).Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 6.0 }));

        var y = Leaf(2);
        (y + y + y).Sum().Backward();
        Assert.That(Grad(y), Is.EqualTo(new[] { 3.0 }));
    }

    [Test]
    public void SharedSubgraphIsVisitedOnce()
    {
        // h feeds three consumers; its backward must run once with the summed gradient.
        var x = Leaf(1, 2);
        var h = x.Exp();
        var loss = (h + h * 2 + h.Square()).Sum();
        loss.Backward();
        var expected = new[] { 1.0, 2.0 }.Select(v => Math.Exp(v) * (3 + 2 * Math.Exp(v))).ToArray();
        Assert.That(Grad(x), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void DeepChainBackpropagatesWithoutStackOverflow()
    {
        // An odd number of negations: y = −x and dy/dx = −1, through 100 001 recorded ops.
        const int depth = 100_001;
        var x = Leaf(1.5);
        var y = x;
        for (int i = 0; i < depth; i++) y = y.Neg();
        y.Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { -1.0 }));
        Assert.That(y.Item(), Is.EqualTo(-1.5));
    }

    [Test]
    public void BroadcastGradientsAreReducedToTheInputShape()
    {
        var row = new Tensor(NDArray.FromArray(new[] { 1.0, 2.0, 3.0 }, [1, 3]), requiresGrad: true);
        var column = new Tensor(NDArray.FromArray(new[] { 10.0, 20.0 }, [2, 1]), requiresGrad: true);
        var scalar = new Tensor(NDArray.Scalar(2.0, DType.Float64), requiresGrad: true);
        var y = (row * column + scalar).Sum();
        y.Backward();
        Assert.That(row.Grad!.Shape, Is.EqualTo(new[] { 1, 3 }));
        Assert.That(column.Grad!.Shape, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(scalar.Grad!.Shape, Is.Empty);
        Assert.That(Grad(row), Is.EqualTo(new[] { 30.0, 30.0, 30.0 }));
        Assert.That(Grad(column), Is.EqualTo(new[] { 6.0, 6.0 }));
        Assert.That(Grad(scalar), Is.EqualTo(new[] { 6.0 }));
    }

    [Test]
    public void BackwardWithAnExplicitGradientWeighsTheOutputs()
    {
        var x = Leaf(1, 2, 3);
        var y = x * x;
        y.Backward(new Tensor(NDArray.FromArray(new[] { 1.0, 0.0, -1.0 })));
        Assert.That(Grad(x), Is.EqualTo(new[] { 2.0, 0.0, -6.0 }));
    }

    [Test]
    public void BackwardConvertsAGradientOfAnotherDType()
    {
        var x = Leaf(1, 2);
        var y = x * 2;
        y.Backward(new Tensor(NDArray.FromArray(new[] { 1f, 1f })));
        Assert.That(x.Grad!.DType, Is.EqualTo(DType.Float64));
        Assert.That(Grad(x), Is.EqualTo(new[] { 2.0, 2.0 }));
    }

    [Test]
    public void GradientOfACastComesBackInTheSourceDType()
    {
        var x = Leaf(1.5, 2.5);
        var y = x.To(DType.Float32) * 2;
        Assert.That(y.DType, Is.EqualTo(DType.Float32));
        y.Sum().Backward();
        Assert.That(x.Grad!.DType, Is.EqualTo(DType.Float64));
        Assert.That(Grad(x), Is.EqualTo(new[] { 2.0, 2.0 }));
    }

    [Test]
    public void CastToIntegerIsNotRecorded()
    {
        var x = Leaf(1.5, 2.5);
        var i = x.To(DType.Int32);
        Assert.That(i.RequiresGrad, Is.False);
        Assert.That(i.ToArray<int>(), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void SavedArraysAreReleasedAfterBackward()
    {
        var x = Leaf(1, 2);
        var y = x * x;
        var fn = y.GradFn!;
        y.Sum().Backward();
        Assert.That(fn.IsReleased, Is.True);

        var z = x * x;
        z.Sum().Backward(retainGraph: true);
        Assert.That(z.GradFn!.IsReleased, Is.False);
    }

    [Test]
    public void GradFnNamesTheOpInToString()
    {
        var x = Leaf(1, 2);
        Assert.That((x * 2).ToString(), Does.EndWith("grad_fn=<MulBackward>)"));
        Assert.That(x.Exp().ToString(), Does.EndWith("grad_fn=<ExpBackward>)"));
        Assert.That(x.ToString(), Does.EndWith("requires_grad=True)"));
    }

    [Test]
    public void InputsOfTheRecordedOpAreKept()
    {
        var a = Leaf(1, 2);
        var b = Leaf(3, 4);
        var y = a * b;
        Assert.That(y.GradFn!.Inputs, Is.EqualTo(new[] { a, b }));
        Assert.That(y.GradFn.Name, Is.EqualTo("Mul"));
    }

    [Test]
    public void OpsOnConstantsOnlyAreNotRecorded()
    {
        var a = new Tensor(NDArray.FromArray(new[] { 1.0 }));
        var y = a.Exp() * 3;
        Assert.That(y.RequiresGrad, Is.False);
        Assert.That(y.GradFn, Is.Null);
    }

    [Test]
    public void DropoutOutsideTrainingIsTheIdentity()
    {
        var x = Leaf(1, 2, 3);
        Assert.That(x.Dropout(0.5, training: false), Is.SameAs(x));
        Assert.That(x.Dropout(0.0, training: true), Is.SameAs(x));
    }

    [Test]
    public void DropoutKeepsTheExpectationAndZeroesTheGradientWhereDropped()
    {
        var x = new Tensor(NDArray.Ones([4000], DType.Float64), requiresGrad: true);
        var y = x.Dropout(0.25, training: true, new Generator(3));
        var values = y.ToArray<double>();
        Assert.That(values, Is.All.EqualTo(0.0).Or.EqualTo(1 / 0.75).Within(1e-12));
        Assert.That(values.Average(), Is.EqualTo(1.0).Within(0.05));
        y.Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(values));
    }

    [Test]
    public void ReluGradientAtZeroIsZeroAndAbsGradientAtZeroIsZero()
    {
        var x = Leaf(-1, 0, 2);
        x.Relu().Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 0.0, 0.0, 1.0 }));
        var z = Leaf(-1, 0, 2);
        z.Abs().Sum().Backward();
        Assert.That(Grad(z), Is.EqualTo(new[] { -1.0, 0.0, 1.0 }));
    }

    [Test]
    public void TiesSplitTheGradientEvenly()
    {
        var a = Leaf(1, 2);
        var b = Leaf(1, 3);
        Tensor.Maximum(a, b).Sum().Backward();
        Assert.That(Grad(a), Is.EqualTo(new[] { 0.5, 0.0 }));
        Assert.That(Grad(b), Is.EqualTo(new[] { 0.5, 1.0 }));

        var x = Leaf(4, 1, 4, 2);
        x.Max().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 0.5, 0.0, 0.5, 0.0 }));
    }

    [Test]
    public void ClampGradientIsOneInsideAndZeroOutside()
    {
        var x = Leaf(-2, 0, 2);
        x.Clamp(-1, 1).Sum().Backward();
        Assert.That(Grad(x), Is.EqualTo(new[] { 0.0, 1.0, 0.0 }));
    }

    [Test]
    public void BatchNormTrainingUpdatesRunningStatistics()
    {
        var x = new Tensor(NDArray.FromArray(new[] { 1.0, 10.0, 3.0, 30.0 }, [2, 2]));
        var mean = NDArray.Zeros([2], DType.Float64);
        var variance = NDArray.Ones([2], DType.Float64);
        Tensor.BatchNorm(x, null, null, mean, variance, training: true, momentum: 0.1);
        // Batch means 2 and 20; unbiased variances 2 and 200.
        Assert.That(mean.ToArray<double>(), Is.EqualTo(new[] { 0.2, 2.0 }).Within(1e-12));
        Assert.That(variance.ToArray<double>(), Is.EqualTo(new[] { 0.9 + 0.2, 0.9 + 20.0 }).Within(1e-12));
    }
}
