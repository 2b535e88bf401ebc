using NUnit.Framework;

namespace Scratch.Tests.Engine;

/// <summary>ArrayScope frees what was made inside it, keeps what it is told to, and insists on order.</summary>
[TestFixture]
public class ArrayScopeTests
{
    [Test]
    public void DisposesArraysMadeInsideButNotBefore()
    {
        var before = NDArray.FromArray(new[] { 1f, 2f });
        NDArray inside, view;
        using (var scope = new ArrayScope())
        {
            inside = before + before;
            view = inside.Reshape(2, 1);
            Assert.That(scope.Count, Is.EqualTo(2));
        }
        Assert.That(inside.IsDisposed && view.IsDisposed, Is.True);
        Assert.That(before.IsDisposed, Is.False);
    }

    [Test]
    public void KeptArraysMoveToTheOuterScope()
    {
        NDArray kept, outerTemporary;
        using (var outer = new ArrayScope())
        {
            outerTemporary = NDArray.FromArray(new[] { 1.0 });
            using (var inner = new ArrayScope())
            {
                kept = inner.Keep(outerTemporary + 1);
                _ = outerTemporary * 3;
            }
            Assert.That(kept.IsDisposed, Is.False);
            Assert.That(kept.ToArray<double>(), Is.EqualTo(new[] { 2.0 }));
        }
        Assert.That(kept.IsDisposed && outerTemporary.IsDisposed, Is.True);
    }

    [Test]
    public void KeptArrayOfTheOutermostScopeSurvives()
    {
        NDArray kept;
        using (var scope = new ArrayScope()) kept = scope.Keep(NDArray.FromArray(new[] { 5.0 }));
        Assert.That(kept.ToArray<double>(), Is.EqualTo(new[] { 5.0 }));
    }

    [Test]
    public void EscapedArraysOutliveEveryScope()
    {
        NDArray escaped;
        using (new ArrayScope())
        using (new ArrayScope())
            escaped = ArrayScope.Escape(NDArray.FromArray(new[] { 3.0 }));
        Assert.That(escaped.ToArray<double>(), Is.EqualTo(new[] { 3.0 }));
    }

    [Test]
    public void GradientsAndOptimizerStateMadeInAScopeSurviveIt()
    {
        var w = new Tensor(NDArray.FromArray(new[] { 1.0, -2.0 }), requiresGrad: true);
        var optimizer = new Adam([w], lr: 0.1);
        using (new ArrayScope())
        {
            ((w * w).Sum()).Backward();
            optimizer.Step();
        }
        Assert.That(w.Grad!.ToArray<double>(), Is.EqualTo(new[] { 2.0, -4.0 }));
        optimizer.ZeroGrad();
        (w * w).Sum().Backward();
        Assert.DoesNotThrow(optimizer.Step, "the optimizer's moments were disposed with the scope");
    }

    [Test]
    public void EndingScopesOutOfOrderThrows()
    {
        var outer = new ArrayScope();
        var inner = new ArrayScope();
        Assert.Throws<InvalidOperationException>(outer.Dispose);
        inner.Dispose();
        outer.Dispose();
    }

    [Test]
    public void ArraysMadeOnOtherThreadsAreNotTaken()
    {
        NDArray? other = null;
        using (new ArrayScope())
        {
            var thread = new Thread(() => other = NDArray.FromArray(new[] { 1.0 }));
            thread.Start();
            thread.Join();
        }
        Assert.That(other!.IsDisposed, Is.False);
    }
}
