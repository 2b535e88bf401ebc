using Scratch.Kernels;
using NUnit.Framework;

namespace Scratch.Tests.Engine;

/// <summary>Creation functions, dtype conversion, and the non-differentiable elementwise ops.</summary>
[TestFixture]
public class CreationTests
{
    [Test]
    public void FullZerosOnesScalar()
    {
        var f = NDArray.Full([2, 2], 2.5);
        Assert.That(f.DType, Is.EqualTo(DType.Float32));
        Assert.That(f.ToArray<float>(), Is.EqualTo(new[] { 2.5f, 2.5f, 2.5f, 2.5f }));
        Assert.That(NDArray.Zeros([3], DType.Float64).ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 0 }));
        Assert.That(NDArray.Ones([2], DType.Int32).ToArray<int>(), Is.EqualTo(new[] { 1, 1 }));
        var s = NDArray.Scalar(-4, DType.Float64);
        Assert.That(s.Rank, Is.EqualTo(0));
        Assert.That(s.Item(), Is.EqualTo(-4));
        Assert.That(NDArray.Zeros([2, 0]).Count, Is.EqualTo(0));
        Assert.Throws<ArgumentException>(() => NDArray.Zeros([2, -1]));
    }

    [Test]
    public void ZerosLikeAndOnesLikeKeepShapeAndDType()
    {
        var a = NDArray.Full([2, 3], 7, DType.Float64);
        var z = a.ZerosLike();
        Assert.That(z.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(z.DType, Is.EqualTo(DType.Float64));
        Assert.That(a.OnesLike().ToArray<double>(), Is.All.EqualTo(1.0));
    }

    [Test]
    public void ArangeLikeTorch()
    {
        Assert.That(NDArray.Arange(5, DType.Int32).ToArray<int>(), Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
        Assert.That(NDArray.Arange(1, 2, 0.25, DType.Float64).ToArray<double>(), Is.EqualTo(new[] { 1, 1.25, 1.5, 1.75 }));
        Assert.That(NDArray.Arange(3, 0, -1, DType.Float64).ToArray<double>(), Is.EqualTo(new double[] { 3, 2, 1 }));
        Assert.That(NDArray.Arange(0, 1, 0.3, DType.Float64).Shape, Is.EqualTo(new[] { 4 }), "ceil((end - start) / step)");
        Assert.That(NDArray.Arange(2, 2).Shape, Is.EqualTo(new[] { 0 }));
        Assert.Throws<ArgumentException>(() => NDArray.Arange(0, 1, 0));
    }

    [Test]
    public void LinspaceIncludesBothEnds()
    {
        Assert.That(NDArray.Linspace(0, 1, 5, DType.Float64).ToArray<double>(), Is.EqualTo(new[] { 0, 0.25, 0.5, 0.75, 1 }));
        Assert.That(NDArray.Linspace(2, 3, 1, DType.Float64).ToArray<double>(), Is.EqualTo(new double[] { 2 }));
        Assert.That(NDArray.Linspace(2, 3, 0).Shape, Is.EqualTo(new[] { 0 }));
        Assert.Throws<ArgumentException>(() => NDArray.Linspace(0, 1, -1));
    }

    [Test]
    public void EyeSquareAndRectangular()
    {
        Assert.That(NDArray.Eye(3, dtype: DType.Float64).ToArray<double>(), Is.EqualTo(new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }));
        var r = NDArray.Eye(2, 3, DType.Int32);
        Assert.That(r.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(r.ToArray<int>(), Is.EqualTo(new[] { 1, 0, 0, 0, 1, 0 }));
    }

    [Test]
    public void FromArrayChecksTheShape()
    {
        var a = NDArray.FromArray(new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        Assert.That(a.DType, Is.EqualTo(DType.Int32));
        Assert.That(a.Shape, Is.EqualTo(new[] { 2, 3 }));
        var error = Assert.Throws<ArgumentException>(() => NDArray.FromArray(new[] { 1.0, 2.0, 3.0 }, [2, 2]));
        Assert.That(error!.Message, Does.Contain("3 values").And.Contain("[2, 2]"));
        Assert.Throws<ArgumentException>(() => NDArray.FromArray(new[] { 1.0 }, [-1]));
        Assert.That(NDArray.FromArray(new[] { 4.0 }, []).Rank, Is.EqualTo(0));
        Assert.That(NDArray.FromArray(Array.Empty<float>()).Shape, Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void FromArrayOfATwoDimensionalArray()
    {
        var a = NDArray.FromArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.That(a.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(a.ToArray<double>(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void ToDTypeConvertsAndTruncatesTowardZero()
    {
        var a = NDArray.FromArray(new[] { 1.75, -1.75, 2.5, -0.5 });
        Assert.That(a.To(DType.Int32).ToArray<int>(), Is.EqualTo(new[] { 1, -1, 2, 0 }));
        Assert.That(a.To(DType.Float32).ToArray<float>(), Is.EqualTo(new[] { 1.75f, -1.75f, 2.5f, -0.5f }));
        Assert.That(a.To(DType.Float64), Is.SameAs(a));
        Assert.That(a.To(DType.Float64, forceCopy: true), Is.Not.SameAs(a));
        var ints = NDArray.FromArray(new[] { 3, -4 });
        Assert.That(ints.To(DType.Float64).ToArray<double>(), Is.EqualTo(new double[] { 3, -4 }));
        // float64 -> float32 rounds to nearest.
        Assert.That(NDArray.FromArray(new[] { 0.1 }).To(DType.Float32).ToArray<float>()[0], Is.EqualTo(0.1f));
    }

    [Test]
    public void ToOfATransposedViewIsContiguous()
    {
        var a = NDArray.FromArray(new[] { 1.0, 2.0, 3.0, 4.0, 5.0, 6.0 }, [2, 3]).T;
        var b = a.To(DType.Float32);
        Assert.That(b.IsContiguous, Is.True);
        Assert.That(b.ToArray<float>(), Is.EqualTo(new[] { 1f, 4f, 2f, 5f, 3f, 6f }));
    }

    [Test]
    public void ItemNeedsExactlyOneElement()
    {
        Assert.That(NDArray.FromArray(new[] { 2.5 }).Item<double>(), Is.EqualTo(2.5));
        var error = Assert.Throws<InvalidOperationException>(() => NDArray.Zeros([2]).Item());
        Assert.That(error!.Message, Does.Contain("[2]"));
    }

    [Test]
    public void ComparisonsGiveOnesAndZeros()
    {
        var a = NDArray.FromArray(new[] { 1.0, 2.0, 3.0 });
        var b = NDArray.FromArray(new[] { 2.0, 2.0, 2.0 });
        Assert.That(a.Eq(b).ToArray<double>(), Is.EqualTo(new double[] { 0, 1, 0 }));
        Assert.That(a.Ne(b).ToArray<double>(), Is.EqualTo(new double[] { 1, 0, 1 }));
        Assert.That(a.Lt(b).ToArray<double>(), Is.EqualTo(new double[] { 1, 0, 0 }));
        Assert.That(a.Le(b).ToArray<double>(), Is.EqualTo(new double[] { 1, 1, 0 }));
        Assert.That(a.Gt(b).ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 1 }));
        Assert.That(a.Ge(b).ToArray<double>(), Is.EqualTo(new double[] { 0, 1, 1 }));
        Assert.That(a.Gt(1.5).ToArray<double>(), Is.EqualTo(new double[] { 0, 1, 1 }));
        Assert.That(a.Eq(3).ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 1 }));
    }

    [Test]
    public void Int32ArithmeticTruncatesDivision()
    {
        var a = NDArray.FromArray(new[] { 7, -7, 6 });
        var b = NDArray.FromArray(new[] { 2, 2, -4 });
        Assert.That((a / b).ToArray<int>(), Is.EqualTo(new[] { 3, -3, -1 }));
        Assert.That((a + b).ToArray<int>(), Is.EqualTo(new[] { 9, -5, 2 }));
        Assert.That((a * b).ToArray<int>(), Is.EqualTo(new[] { 14, -14, -24 }));
        Assert.That(a.Neg().ToArray<int>(), Is.EqualTo(new[] { -7, 7, -6 }));
        Assert.That(a.Abs().ToArray<int>(), Is.EqualTo(new[] { 7, 7, 6 }));
        Assert.That(a.Clamp(-1, 6).ToArray<int>(), Is.EqualTo(new[] { 6, -1, 6 }));
    }

    [Test]
    public void ArgMaxAndArgMinFlattenRowMajor()
    {
        var a = NDArray.FromArray(new[] { 3.0, 9.0, 1.0, 9.0, 0.0, 4.0 }, [2, 3]);
        Assert.That(a.ArgMax().ToArray<int>(), Is.EqualTo(new[] { 1 }), "first maximum wins");
        Assert.That(a.ArgMax(1).ToArray<int>(), Is.EqualTo(new[] { 1, 0 }));
        Assert.That(a.ArgMin(0).ToArray<int>(), Is.EqualTo(new[] { 0, 1, 0 }));
        Assert.That(a.ArgMax(1, keepDim: true).Shape, Is.EqualTo(new[] { 2, 1 }));
        Assert.That(a.ArgMax().DType, Is.EqualTo(DType.Int32));
        Assert.Throws<ArgumentException>(() => NDArray.Zeros([2, 0]).ArgMax(1));
    }

    [Test]
    public void OneHotOfLabels()
    {
        var labels = NDArray.FromArray(new[] { 2, 0, 1, 2 }, [2, 2]);
        var y = NDArray.OneHot(labels, 3, DType.Float64);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 2, 3 }));
        Assert.That(y.ToArray<double>(), Is.EqualTo(new double[] { 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1 }));
        Assert.Throws<ArgumentException>(() => NDArray.OneHot(NDArray.Zeros([2]), 3));
    }

    [Test]
    public void MeanOfAnEmptyAxisIsNaNAndSumIsZero()
    {
        var empty = NDArray.Zeros([2, 0], DType.Float64);
        Assert.That(empty.Sum(1).ToArray<double>(), Is.EqualTo(new double[] { 0, 0 }));
        Assert.That(empty.Mean(1).ToArray<double>(), Is.All.NaN);
        Assert.Throws<ArgumentException>(() => empty.Max(1));
    }

    [Test]
    public void InPlaceArithmeticBroadcastsTheOperand()
    {
        var a = NDArray.FromArray(new[] { 1.0, 2.0, 3.0, 4.0 }, [2, 2]);
        a.AddInPlace(NDArray.FromArray(new[] { 10.0, 20.0 }));
        Assert.That(a.ToArray<double>(), Is.EqualTo(new double[] { 11, 22, 13, 24 }));
        a.MulInPlace(2).SubInPlace(NDArray.FromArray(new[] { 1.0, 1.0 }, [2, 1])).DivInPlace(NDArray.Scalar(2, DType.Float64));
        Assert.That(a.ToArray<double>(), Is.EqualTo(new[] { 10.5, 21.5, 12.5, 23.5 }));
        a.ApplyInPlace(UnaryOp.Neg);
        Assert.That(a.ToArray<double>()[0], Is.EqualTo(-10.5));
    }
}
