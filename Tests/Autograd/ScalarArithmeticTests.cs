using NUnit.Framework;

namespace Scratch.Tests.Autograd;

/// <summary>
/// Tensor ∘ double records one scalar op (no constant tensor), and its gradient is bit for bit the one
/// of the same op with the scalar as a broadcast 0-d constant tensor (the path it replaces).
/// </summary>
[TestFixture]
public class ScalarArithmeticTests
{
    public static IEnumerable<TestCaseData> Ops()
    {
        TestCaseData Case(string name, Func<Tensor, Tensor> withDouble, Func<Tensor, Tensor, Tensor> withTensor)
            => new TestCaseData(withDouble, withTensor).SetArgDisplayNames(name);

        const double s = -1.3;
        yield return Case("x + s", x => x + s, (x, c) => x + c);
        yield return Case("s + x", x => s + x, (x, c) => c + x);
        yield return Case("x - s", x => x - s, (x, c) => x - c);
        yield return Case("s - x", x => s - x, (x, c) => c - x);
        yield return Case("x * s", x => x * s, (x, c) => x * c);
        yield return Case("s * x", x => s * x, (x, c) => c * x);
        yield return Case("x / s", x => x / s, (x, c) => x / c);
        yield return Case("s / x", x => s / x, (x, c) => c / x);
    }

    private static Tensor Leaf(DType dtype, int seed)
    {
        var random = new Random(seed);
        var values = Enumerable.Range(0, 35).Select(_ => (random.NextDouble() + 0.2) * (random.Next(2) * 2 - 1)).ToArray();
        return new Tensor(NDArray.FromArray(values, [5, 7]).To(dtype), requiresGrad: true);
    }

    [TestCaseSource(nameof(Ops))]
    public void ForwardAndGradientMatchTheConstantTensorPathBitForBit(Func<Tensor, Tensor> withDouble, Func<Tensor, Tensor, Tensor> withTensor)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
            foreach (var view in new Func<Tensor, Tensor>[] { x => x, x => x.Transpose(0, 1), x => x.Slice(1, 1, null, 2) })
            {
                var a = Leaf(dtype, 1);
                var b = Leaf(dtype, 1);
                var ya = withDouble(view(a));
                var yb = withTensor(view(b), new Tensor(NDArray.Scalar(-1.3, dtype)));
                Assert.That(Bits(ya.Data), Is.EqualTo(Bits(yb.Data)), $"forward {dtype}");
                // A non-uniform upstream gradient, the same on both sides.
                var random = new Random(2);
                var g = NDArray.FromArray(Enumerable.Range(0, (int)ya.Data.Count).Select(_ => random.NextDouble() * 4 - 2).ToArray(), ya.Data.Shape.ToArray()).To(dtype);
                ya.Backward(new Tensor(g));
                yb.Backward(new Tensor(g));
                Assert.That(Bits(a.Grad!.Data), Is.EqualTo(Bits(b.Grad!.Data)), $"gradient {dtype}");
            }
    }

    [TestCaseSource(nameof(Ops))]
    public void RecordsOneOpWithTheTensorAsItsOnlyInput(Func<Tensor, Tensor> withDouble, Func<Tensor, Tensor, Tensor> withTensor)
    {
        var x = Leaf(DType.Float32, 3);
        Tensor y;
        using (var scope = new ArrayScope())
        {
            y = withDouble(x);
            Assert.That(scope.Count, Is.EqualTo(1), "arrays made by the forward pass");
            scope.Keep(y.Data);
        }
        Assert.That(y.GradFn!.Inputs, Is.EqualTo(new[] { x }));
        Assert.That(y.GradFn.Name, Is.AnyOf("Add", "Sub", "Mul", "Div"));
    }

    [Test]
    public void NothingIsRecordedWithoutAGradient()
    {
        var x = new Tensor(NDArray.FromArray(new[] { 1.0, 2.0 }));
        Assert.That((2 / x).GradFn, Is.Null);
        using (Tensor.NoGrad()) Assert.That((Leaf(DType.Float64, 4) * 2).GradFn, Is.Null);
    }

    [Test]
    public void SmallHandComputedGradients()
    {
        var x = Tensor.FromArray(new[] { 2.0, -4.0 }, requiresGrad: true);
        ((3 - x) * 2 + 6 / x).Sum().Backward();
        // d/dx [2(3 − x) + 6/x] = −2 − 6/x²
        Assert.That(x.Grad!.ToArray<double>(), Is.EqualTo(new[] { -2 - 6.0 / 4, -2 - 6.0 / 16 }));
    }

    private static long[] Bits(NDArray a) => a.DType == DType.Float32
        ? a.ToArray<float>().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray()
        : a.ToArray<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();
}
