using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class InitTests
{
    private static (double Mean, double Variance) Moments(Tensor t)
    {
        var v = t.ToArray<double>();
        double mean = v.Average();
        return (mean, v.Average(x => (x - mean) * (x - mean)));
    }

    /// <summary>Mean within 5 standard errors of 0, variance within 5 standard errors of <paramref name="variance"/> (kurtosis k: 3 normal, 1.8 uniform).</summary>
    private static void AssertMoments(Tensor t, double variance, double kurtosis)
    {
        var (m, v) = Moments(t);
        double n = t.Count;
        Assert.That(m, Is.EqualTo(0).Within(5 * Math.Sqrt(variance / n)), "mean");
        Assert.That(v, Is.EqualTo(variance).Within(5 * variance * Math.Sqrt((kurtosis - 1) / n)), "variance");
    }

    private static Tensor Weight(params int[] shape) => Tensor.Zeros(shape, DType.Float64);

    [Test]
    public void FansFollowPyTorch()
    {
        Assert.That(Init.Fans([10, 20]), Is.EqualTo((20, 10)));
        Assert.That(Init.Fans([32, 16, 3, 5]), Is.EqualTo((16 * 15, 32 * 15)));
        Assert.Throws<ArgumentException>(() => Init.Fans([5]));
    }

    [Test]
    public void GainFollowsCalculateGain()
    {
        // torch.nn.init.calculate_gain: linear 1, sigmoid 1, tanh 5/3, relu √2, leaky_relu(0.2) √(2/1.04), selu 3/4
        Assert.That(Init.Gain("linear"), Is.EqualTo(1));
        Assert.That(Init.Gain("Conv2d"), Is.EqualTo(1));
        Assert.That(Init.Gain("sigmoid"), Is.EqualTo(1));
        Assert.That(Init.Gain("tanh"), Is.EqualTo(5.0 / 3));
        Assert.That(Init.Gain("relu"), Is.EqualTo(Math.Sqrt(2)));
        Assert.That(Init.Gain("leaky_relu"), Is.EqualTo(Math.Sqrt(2 / (1 + 0.01 * 0.01))));
        Assert.That(Init.Gain("leaky_relu", 0.2), Is.EqualTo(Math.Sqrt(2 / 1.04)));
        Assert.That(Init.Gain("selu"), Is.EqualTo(0.75));
        Assert.Throws<ArgumentException>(() => Init.Gain("swishy"));
    }

    [Test]
    public void GlorotDrawsHaveTheirFormulaVariance()
    {
        var g = new Generator(1);
        // fan_in 200, fan_out 300: uniform bound √(6/500), normal std √(2/500).
        var u = Init.GlorotUniform(Weight(300, 200), generator: g);
        double a = Math.Sqrt(6.0 / 500);
        Assert.That(u.ToArray<double>().Max(), Is.LessThanOrEqualTo(a).And.GreaterThan(0.99 * a));
        AssertMoments(u, a * a / 3, 1.8);
        AssertMoments(Init.XavierNormal(Weight(300, 200), gain: 2, generator: g), 4 * 2.0 / 500, 3);
    }

    [Test]
    public void HeDrawsHaveTheirFormulaVariance()
    {
        var g = new Generator(2);
        AssertMoments(Init.HeNormal(Weight(64, 32, 3, 3), generator: g), 2.0 / (32 * 9), 3);
        AssertMoments(Init.HeUniform(Weight(64, 32, 3, 3), FanMode.FanOut, g), 2.0 / (64 * 9), 1.8);
        var k = Init.KaimingUniform(Weight(100, 400), a: Math.Sqrt(5), generator: g);
        double bound = 1 / Math.Sqrt(400);
        Assert.That(k.ToArray<double>().Max(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.99 * bound));
        AssertMoments(Init.KaimingNormal(Weight(400, 100), nonlinearity: "tanh", generator: g), 25.0 / 9 / 100, 3);
        AssertMoments(Init.LeCunNormal(Weight(400, 100), g), 1.0 / 100, 3);
        AssertMoments(Init.LeCunUniform(Weight(400, 100), g), 1.0 / 100, 1.8);
    }

    [Test]
    public void SimpleFills()
    {
        var t = Weight(3, 4);
        Assert.That(Init.Constant(t, 0.25).ToArray<double>(), Is.All.EqualTo(0.25));
        Assert.That(Init.Ones(t).ToArray<double>(), Is.All.EqualTo(1.0));
        Assert.That(Init.Zeros(t).ToArray<double>(), Is.All.EqualTo(0.0));
        var u = Init.Uniform(Weight(100, 100), -2, 3, new Generator(3)).ToArray<double>();
        Assert.That(u.Min(), Is.GreaterThanOrEqualTo(-2));
        Assert.That(u.Max(), Is.LessThanOrEqualTo(3));
        Assert.That(u.Average(), Is.EqualTo(0.5).Within(5 * 5 / Math.Sqrt(12 * 10000.0)));
        var n = Init.Normal(Weight(100, 100), 1, 0.5, new Generator(4));
        Assert.That(n.ToArray<double>().Average(), Is.EqualTo(1).Within(5 * 0.5 / 100));
    }

    [Test]
    public void SameSeedSameDraws()
    {
        var a = Init.XavierUniform(Weight(5, 6), generator: new Generator(9)).ToArray<double>();
        var b = Init.XavierUniform(Weight(5, 6), generator: new Generator(9)).ToArray<double>();
        Assert.That(a, Is.EqualTo(b));
    }

    private static double[,] Gram(double[] w, int rows, int cols, bool ofRows)
    {
        int n = ofRows ? rows : cols, len = ofRows ? cols : rows;
        var g = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < len; k++)
                    s += ofRows ? w[i * cols + k] * w[j * cols + k] : w[k * cols + i] * w[k * cols + j];
                g[i, j] = s;
            }
        return g;
    }

    [TestCase(4, 10, true)]
    [TestCase(12, 5, false)]
    [TestCase(7, 7, true)]
    public void OrthogonalRowsOrColumnsAreOrthonormal(int rows, int cols, bool ofRows)
    {
        var w = Init.Orthogonal(Weight(rows, cols), gain: 2, generator: new Generator(5)).ToArray<double>();
        var g = Gram(w, rows, cols, ofRows);
        for (int i = 0; i < g.GetLength(0); i++)
            for (int j = 0; j < g.GetLength(0); j++)
                Assert.That(g[i, j], Is.EqualTo(i == j ? 4.0 : 0.0).Within(1e-12), $"[{i}, {j}]");
    }

    [Test]
    public void OrthogonalOnConvWeightFlattensTrailingDims()
    {
        var conv = new Conv2d(3, 4, 3);
        Init.Orthogonal(conv.Weight, generator: new Generator(6));
        var g = Gram(conv.Weight.Data.ToArray<double>(), 4, 27, ofRows: true);
        for (int i = 0; i < 4; i++) Assert.That(g[i, i], Is.EqualTo(1).Within(1e-5));
        Assert.That(g[0, 1], Is.EqualTo(0).Within(1e-5));
    }

    [Test]
    public void LsuvGivesUnitOutputVariancePerLayer()
    {
        var g = new Generator(7);
        var model = new Sequential(
            new Conv2d(2, 8, 3, padding: 1, generator: g), new ReLU(), new MaxPool2d(2), new Flatten(),
            new Linear(8 * 4 * 4, 16, generator: g), new Tanh(), new Linear(16, 3, generator: g));
        var batch = Tensor.Randn([32, 2, 8, 8], new Generator(8), std: 3);
        var results = Init.Lsuv(model, batch, tolerance: 0.05, maxIterations: 20, generator: g);
        Assert.That(results.Select(r => r.Name), Is.EqualTo(new[] { "0", "4", "6" }));
        Assert.That(model.IsTraining, Is.True, "mode restored");

        // Independent check: run the layers one by one and measure each output variance.
        using var noGrad = Tensor.NoGrad();
        var x = batch;
        foreach (var (name, module) in model.NamedChildren())
        {
            x = module.Forward(x);
            if (module is Linear or Conv2d)
            {
                var (_, variance) = Moments(x.To(DType.Float64));
                Assert.That(variance, Is.EqualTo(1).Within(0.05), name);
                Assert.That(results.Single(r => r.Name == name).Variance, Is.EqualTo(variance).Within(1e-4));
            }
        }
    }
}
