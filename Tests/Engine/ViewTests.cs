using NUnit.Framework;

namespace Scratch.Tests.Engine;

/// <summary>NDArray views: shared memory, strides, when Reshape copies, slicing, expand.</summary>
[TestFixture]
public class ViewTests
{
    /// <summary>0, 1, …, n − 1 as float64 in <paramref name="shape"/> (values built here, not by Arange).</summary>
    private static NDArray Iota(params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        return NDArray.FromArray(Enumerable.Range(0, n).Select(i => (double)i).ToArray(), shape);
    }

    [Test]
    public void WritingThroughASliceIsVisibleInTheBase()
    {
        var a = Iota(3, 4);
        var column = a.Slice(1, 1, 2);
        column.FillInPlace(-1);
        Assert.That(a.ToArray<double>(), Is.EqualTo(new double[] { 0, -1, 2, 3, 4, -1, 6, 7, 8, -1, 10, 11 }));
    }

    [Test]
    public void WritingThroughATransposeAndSelectIsVisibleInTheBase()
    {
        var a = Iota(2, 3);
        a.T.Select(0, 2).CopyFrom(NDArray.FromArray(new[] { 100.0, 200.0 }));
        Assert.That(a.ToArray<double>(), Is.EqualTo(new double[] { 0, 1, 100, 3, 4, 200 }));
    }

    [Test]
    public void WritingTheBaseIsVisibleInAView()
    {
        var a = Iota(4);
        var view = a.Reshape(2, 2);
        a.FillInPlace(7);
        Assert.That(view.ToArray<double>(), Is.EqualTo(new double[] { 7, 7, 7, 7 }));
    }

    [Test]
    public void TransposeSwapsStridesWithoutCopying()
    {
        var a = Iota(2, 3);
        var t = a.T;
        Assert.That(t.Shape, Is.EqualTo(new[] { 3, 2 }));
        Assert.That(t.Strides, Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(t.IsContiguous, Is.False);
        Assert.That(t.ToArray<double>(), Is.EqualTo(new double[] { 0, 3, 1, 4, 2, 5 }));
    }

    [Test]
    public void PermuteReordersShapeAndStrides()
    {
        var a = Iota(2, 3, 4);
        var p = a.Permute(2, 0, 1);
        Assert.That(p.Shape, Is.EqualTo(new[] { 4, 2, 3 }));
        Assert.That(p.Strides, Is.EqualTo(new long[] { 1, 12, 4 }));
        // p[k, i, j] = a[i, j, k] = 12i + 4j + k
        var values = p.ToArray<double>();
        Assert.That(values[0 * 6 + 1 * 3 + 2], Is.EqualTo(12 * 1 + 4 * 2 + 0));
        Assert.That(values[3 * 6 + 0 * 3 + 1], Is.EqualTo(0 + 4 * 1 + 3));
    }

    [Test]
    public void ReshapeOfAContiguousArrayIsAView()
    {
        var a = Iota(2, 3);
        var r = a.Reshape(3, 2);
        r.Select(0, 0).FillInPlace(-5);
        Assert.That(a.ToArray<double>()[0], Is.EqualTo(-5));
        Assert.That(a.View(6).Shape, Is.EqualTo(new[] { 6 }));
    }

    [Test]
    public void ReshapeOfATransposedArrayCopies()
    {
        var a = Iota(2, 3);
        var r = a.T.Reshape(6);
        Assert.That(r.ToArray<double>(), Is.EqualTo(new double[] { 0, 3, 1, 4, 2, 5 }));
        r.FillInPlace(9);
        Assert.That(a.ToArray<double>(), Is.EqualTo(new double[] { 0, 1, 2, 3, 4, 5 }), "the copy must not write into the base");
        Assert.Throws<InvalidOperationException>(() => a.T.View(6));
    }

    [Test]
    public void ReshapeThatSplitsAStridedDimStaysAView()
    {
        // Every other row of a [4, 3]: the rows can be split without touching the inner layout.
        var a = Iota(4, 3);
        var rows = a.Slice(0, 0, null, 2);
        var v = rows.Reshape(2, 1, 3);
        Assert.That(v.Strides, Is.EqualTo(new long[] { 6, 6, 1 }).Or.EqualTo(new long[] { 6, 3, 1 }));
        v.FillInPlace(-1);
        Assert.That(a.ToArray<double>().Take(3), Is.All.EqualTo(-1.0));
        Assert.That(a.ToArray<double>().Skip(3).Take(3), Is.EqualTo(new double[] { 3, 4, 5 }));
    }

    [Test]
    public void ReshapeInfersMinusOneAndRejectsTwo()
    {
        Assert.That(Iota(2, 6).Reshape(3, -1).Shape, Is.EqualTo(new[] { 3, 4 }));
        Assert.Throws<ArgumentException>(() => Iota(2, 6).Reshape(-1, -1));
        Assert.Throws<ArgumentException>(() => Iota(2, 6).Reshape(5, -1));
    }

    [Test]
    public void ContiguousReturnsItselfOrACopy()
    {
        var a = Iota(2, 3);
        Assert.That(a.Contiguous(), Is.SameAs(a));
        var c = a.T.Contiguous();
        Assert.That(c.IsContiguous, Is.True);
        Assert.That(c.Strides, Is.EqualTo(new long[] { 2, 1 }));
        Assert.That(c.ToArray<double>(), Is.EqualTo(new double[] { 0, 3, 1, 4, 2, 5 }));
        Assert.That(a.Clone(), Is.Not.SameAs(a));
    }

    [Test]
    public void SliceWithStepAndNegativeIndices()
    {
        var a = Iota(10);
        Assert.That(a.Slice(0, 1, 8, 3).ToArray<double>(), Is.EqualTo(new double[] { 1, 4, 7 }));
        Assert.That(a.Slice(0, -3).ToArray<double>(), Is.EqualTo(new double[] { 7, 8, 9 }));
        Assert.That(a.Slice(0, -4, -1, 2).ToArray<double>(), Is.EqualTo(new double[] { 6, 8 }));
        Assert.That(a.Slice(0, -100, 2).ToArray<double>(), Is.EqualTo(new double[] { 0, 1 }), "clamped like Python");
        Assert.That(a.Slice(0, 5, 3).Shape, Is.EqualTo(new[] { 0 }));
        var s = a.Slice(0, 2, null, 4);
        Assert.That(s.Strides, Is.EqualTo(new long[] { 4 }));
        Assert.That(s.Offset, Is.EqualTo(2));
        Assert.Throws<ArgumentException>(() => a.Slice(0, step: 0));
        Assert.Throws<ArgumentException>(() => a.Slice(0, step: -1));
    }

    [Test]
    public void SliceOfASliceComposesOffsetsAndStrides()
    {
        var a = Iota(4, 6);
        var s = a.Slice(1, 1, null, 2).Slice(0, 1, 3).Slice(1, 1);
        // rows 1..2, columns 1, 3, 5 -> then columns 3, 5
        Assert.That(s.ToArray<double>(), Is.EqualTo(new double[] { 9, 11, 15, 17 }));
        Assert.That(s.Offset, Is.EqualTo(9));
    }

    [Test]
    public void SelectNarrowAndIndexer()
    {
        var a = Iota(3, 4);
        Assert.That(a[1].ToArray<double>(), Is.EqualTo(new double[] { 4, 5, 6, 7 }));
        Assert.That(a[-1].ToArray<double>(), Is.EqualTo(new double[] { 8, 9, 10, 11 }));
        Assert.That(a.Select(1, -2).ToArray<double>(), Is.EqualTo(new double[] { 2, 6, 10 }));
        Assert.That(a.Narrow(1, 1, 2).ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 5, 6, 9, 10 }));
        Assert.That(a[2][3].Rank, Is.EqualTo(0));
        Assert.That(a[2][3].Item(), Is.EqualTo(11));
    }

    [Test]
    public void SqueezeAndUnsqueeze()
    {
        var a = Iota(1, 3, 1);
        Assert.That(a.Squeeze().Shape, Is.EqualTo(new[] { 3 }));
        Assert.That(a.Squeeze(0).Shape, Is.EqualTo(new[] { 3, 1 }));
        Assert.That(a.Squeeze(1).Shape, Is.EqualTo(new[] { 1, 3, 1 }));
        Assert.That(a.Unsqueeze(-1).Shape, Is.EqualTo(new[] { 1, 3, 1, 1 }));
        Assert.That(a.Unsqueeze(1).Shape, Is.EqualTo(new[] { 1, 1, 3, 1 }));
        Assert.That(Iota(3).Unsqueeze(0).Strides, Is.EqualTo(new long[] { 3, 1 }));
    }

    [Test]
    public void ExpandUsesStrideZeroAndRefusesInPlaceWrites()
    {
        var a = NDArray.FromArray(new[] { 1.0, 2.0 }, [2, 1]);
        var e = a.Expand(3, 2, 4);
        Assert.That(e.Shape, Is.EqualTo(new[] { 3, 2, 4 }));
        Assert.That(e.Strides, Is.EqualTo(new long[] { 0, 1, 0 }));
        Assert.That(e.ToArray<double>().Take(8), Is.EqualTo(new double[] { 1, 1, 1, 1, 2, 2, 2, 2 }));
        var error = Assert.Throws<InvalidOperationException>(() => e.FillInPlace(0));
        Assert.That(error!.Message, Does.Contain("broadcast").And.Contain("[3, 2, 4]"));
        Assert.Throws<InvalidOperationException>(() => e.AddInPlace(1.0));
        Assert.Throws<InvalidOperationException>(() => e.CopyFrom(NDArray.Zeros([3, 2, 4], DType.Float64)));
        Assert.That(a.ToArray<double>(), Is.EqualTo(new double[] { 1, 2 }));
        // A size-1 dim expanded to 1 is still writable.
        Assert.DoesNotThrow(() => a.Expand(1, 2, 1).FillInPlace(3));
    }

    [Test]
    public void ExpandWithMinusOneKeepsTheSize()
    {
        Assert.That(Iota(1, 3).Expand(2, -1).Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.Throws<ArgumentException>(() => Iota(3).Expand(-1, 3));
    }

    [Test]
    public void FlattenMergesARangeOfDims()
    {
        var a = Iota(2, 3, 4);
        Assert.That(a.Flatten().Shape, Is.EqualTo(new[] { 24 }));
        Assert.That(a.Flatten(1).Shape, Is.EqualTo(new[] { 2, 12 }));
        Assert.That(a.Flatten(0, 1).Shape, Is.EqualTo(new[] { 6, 4 }));
        Assert.That(NDArray.Scalar(1).Flatten().Shape, Is.EqualTo(new[] { 1 }));
        Assert.Throws<ArgumentException>(() => a.Flatten(2, 1));
    }

    [Test]
    public void SplitGivesViews()
    {
        var a = Iota(5, 2);
        var parts = a.Split(2);
        Assert.That(parts.Select(p => p.Shape[0]), Is.EqualTo(new[] { 2, 2, 1 }));
        parts[2].FillInPlace(-1);
        Assert.That(a.ToArray<double>().Skip(8), Is.All.EqualTo(-1.0));
    }

    [Test]
    public void DisposedArraysRefuseUseButViewsKeepTheMemory()
    {
        var a = Iota(4);
        var view = a.Slice(0, 1);
        a.Dispose();
        Assert.That(a.IsDisposed, Is.True);
        Assert.Throws<ObjectDisposedException>(() => _ = a.Reshape(2, 2));
        Assert.That(view.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3 }));
        Assert.That(a.ToString(), Does.Contain("disposed"));
    }

    [Test]
    public void SizeAndShapeString()
    {
        var a = Iota(2, 3, 4);
        Assert.That(a.Size(-1), Is.EqualTo(4));
        Assert.That(a.ShapeString, Is.EqualTo("[2, 3, 4]"));
        Assert.That(a.Count, Is.EqualTo(24));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Size(3));
    }
}
