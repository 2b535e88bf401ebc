using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class LinearTests
{
    [Test]
    public void LinearComputesXWTransposePlusBias()
    {
        var linear = new Linear(3, 2, generator: new Generator(5)).To(DType.Float64);
        var layer = (Linear)linear;
        var x = LayerTesting.Tensor64([4, 3]);
        var y = layer.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 4, 2 }));
        var w = layer.Weight.Data.ToArray<double>();
        var b = layer.Bias!.Data.ToArray<double>();
        var xs = x.ToArray<double>();
        var expected = new double[8];
        for (int n = 0; n < 4; n++)
            for (int o = 0; o < 2; o++)
            {
                double s = b[o];
                for (int i = 0; i < 3; i++) s += xs[n * 3 + i] * w[o * 3 + i];
                expected[n * 2 + o] = s;
            }
        LayerTesting.AssertClose(y.ToArray<double>(), expected);
    }

    [Test]
    public void LinearAcceptsExtraLeadingDimsAndRejectsWrongFeatures()
    {
        var linear = new Linear(3, 5);
        Assert.That(linear.Forward(LayerTesting.Tensor32([2, 4, 3])).Shape, Is.EqualTo(new[] { 2, 4, 5 }));
        Assert.That(linear.Forward(LayerTesting.Tensor32([3])).Shape, Is.EqualTo(new[] { 5 }));
        var ex = Assert.Throws<ArgumentException>(() => linear.Forward(LayerTesting.Tensor32([2, 4])));
        Assert.That(ex!.Message, Does.Contain("[2, 4]"));
        Assert.That(new Linear(3, 5, bias: false).Parameters().Count(), Is.EqualTo(1));
    }

    [Test]
    public void LinearGradients() => LayerTesting.AssertModuleGradients(new Linear(3, 2), LayerTesting.Tensor64([4, 3]));

    [Test]
    public void LinearDefaultInitIsPyTorchsUniformBound()
    {
        // kaiming_uniform(a=√5) gives U(−1/√fan_in, 1/√fan_in); the bias uses the same bound.
        var linear = new Linear(100, 400, generator: new Generator(11));
        double bound = 1 / Math.Sqrt(100);
        var w = linear.Weight.Data.ToArray<float>();
        Assert.That(w.Max(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.95 * bound));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-bound).And.LessThan(-0.95 * bound));
        double variance = w.Select(v => (double)v * v).Average();
        Assert.That(variance, Is.EqualTo(bound * bound / 3).Within(0.05 * bound * bound / 3));
        var b = linear.Bias!.Data.ToArray<float>();
        Assert.That(b.Max(), Is.LessThanOrEqualTo(bound));
        Assert.That(b.Min(), Is.GreaterThanOrEqualTo(-bound));
    }

    [Test]
    public void SameGeneratorSeedGivesSameLayer()
    {
        var a = new Linear(4, 3, generator: new Generator(9)).Weight.Data.ToArray<float>();
        var b = new Linear(4, 3, generator: new Generator(9)).Weight.Data.ToArray<float>();
        var c = new Linear(4, 3, generator: new Generator(10)).Weight.Data.ToArray<float>();
        Assert.That(a, Is.EqualTo(b));
        Assert.That(a, Is.Not.EqualTo(c));
    }

    [Test]
    public void MaxoutTakesTheMaximumOfEachUnitsPieces()
    {
        var maxout = new Maxout(3, 2, pieces: 4, generator: new Generator(2));
        maxout.To(DType.Float64);
        var x = LayerTesting.Tensor64([5, 3]);
        var y = maxout.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(new[] { 5, 2 }));
        var w = maxout.Linear.Weight.Data.ToArray<double>();
        var b = maxout.Linear.Bias!.Data.ToArray<double>();
        var xs = x.ToArray<double>();
        var expected = new double[10];
        for (int n = 0; n < 5; n++)
            for (int j = 0; j < 2; j++)
            {
                double best = double.NegativeInfinity;
                for (int p = 0; p < 4; p++)
                {
                    int row = j * 4 + p;
                    double s = b[row];
                    for (int i = 0; i < 3; i++) s += xs[n * 3 + i] * w[row * 3 + i];
                    best = Math.Max(best, s);
                }
                expected[n * 2 + j] = best;
            }
        LayerTesting.AssertClose(y.ToArray<double>(), expected);
        Assert.That(maxout.StateDict().Keys, Is.EqualTo(new[] { "linear.weight", "linear.bias" }));
    }

    [Test]
    public void MaxoutGradients() => LayerTesting.AssertModuleGradients(new Maxout(3, 2, 3, generator: new Generator(4)), LayerTesting.Tensor64([4, 3]));

    [Test]
    public void EmbeddingLooksUpRows()
    {
        var embedding = new Embedding(6, 3, generator: new Generator(1));
        var index = Tensor.FromArray(new[] { 5, 0, 2, 2, 1, 4 }, [2, 3]);
        var y = embedding.Forward(index);
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3, 3 }));
        var w = embedding.Weight.Data.ToArray<float>();
        var expected = new[] { 5, 0, 2, 2, 1, 4 }.SelectMany(i => w.Skip(i * 3).Take(3)).ToArray();
        Assert.That(y.ToArray<float>(), Is.EqualTo(expected));
        var floats = embedding.Forward(Tensor.FromArray(new[] { 5f, 0f }, [2]));
        Assert.That(floats.ToArray<float>(), Is.EqualTo(expected.Take(6).ToArray()), "floating category codes are truncated to indices");
        var ex = Assert.Throws<IndexOutOfRangeException>(() => embedding.Forward(Tensor.FromArray(new[] { 6 }, [1])));
        Assert.That(ex!.Message, Does.Contain("index 6"));
    }

    [Test]
    public void EmbeddingInitIsStandardNormal()
    {
        var w = new Embedding(500, 40, generator: new Generator(3)).Weight.Data.ToArray<float>();
        double mean = w.Average(v => (double)v), variance = w.Average(v => ((double)v - mean) * ((double)v - mean));
        Assert.That(mean, Is.EqualTo(0).Within(4 / Math.Sqrt(w.Length)));
        Assert.That(variance, Is.EqualTo(1).Within(0.05));
    }

    [Test]
    public void EmbeddingGradientsAccumulateRepeatedRowsAndSkipThePaddingRow()
    {
        var embedding = new Embedding(4, 2, paddingIdx: 1, generator: new Generator(1));
        Assert.That(embedding.Weight.Data.Select(0, 1).ToArray<float>(), Is.All.EqualTo(0f), "padding row starts at zero");
        var index = Tensor.FromArray(new[] { 2, 1, 2, 0 }, [4]);
        embedding.Forward(index).Sum().Backward();
        Assert.That(embedding.Weight.Grad!.ToArray<float>(), Is.EqualTo(new float[] { 1, 1, 0, 0, 2, 2, 0, 0 }));

        LayerTesting.AssertModuleGradients(new Embedding(5, 3, generator: new Generator(2)), Tensor.FromArray(new[] { 4, 0, 4, 2 }, [2, 2]));
    }
}
