using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class ActivationTests
{
    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static IEnumerable<TestCaseData> Elementwise()
    {
        yield return new TestCaseData(new ReLU(), (Func<double, double>)(x => Math.Max(x, 0))).SetName("ReLU");
        yield return new TestCaseData(new LeakyReLU(0.2), (Func<double, double>)(x => x > 0 ? x : 0.2 * x)).SetName("LeakyReLU");
        yield return new TestCaseData(new ELU(0.7), (Func<double, double>)(x => x > 0 ? x : 0.7 * (Math.Exp(x) - 1))).SetName("ELU");
        yield return new TestCaseData(new SELU(), (Func<double, double>)(x => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1)))).SetName("SELU");
        yield return new TestCaseData(new Sigmoid(), (Func<double, double>)Sigmoid).SetName("Sigmoid");
        yield return new TestCaseData(new Tanh(), (Func<double, double>)Math.Tanh).SetName("Tanh");
        yield return new TestCaseData(new SiLU(), (Func<double, double>)(x => x * Sigmoid(x))).SetName("SiLU");
        yield return new TestCaseData(new Swish(), (Func<double, double>)(x => x * Sigmoid(x))).SetName("Swish");
        yield return new TestCaseData(new Softplus(2, 3), (Func<double, double>)(x => 2 * x > 3 ? x : Math.Log(1 + Math.Exp(2 * x)) / 2)).SetName("Softplus");
        yield return new TestCaseData(new Identity(), (Func<double, double>)(x => x)).SetName("Identity");
    }

    [TestCaseSource(nameof(Elementwise))]
    public void ActivationMatchesItsFormulaAndGradient(Module activation, Func<double, double> formula)
    {
        var x = LayerTesting.Tensor64([3, 7], a: 0.9, b: 0.1, s: 3);
        var y = activation.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(x.Shape));
        LayerTesting.AssertClose(y.ToArray<double>(), x.ToArray<double>().Select(formula).ToArray(), 1e-12, 1e-12);
        LayerTesting.AssertModuleGradients(activation, x);
    }

    [Test]
    public void GeluMatchesPyTorch()
    {
        // g = torch.tensor([3*math.sin(0.9*i+0.1) for i in range(7)], dtype=torch.float64); F.gelu(g)  (torch 1.13)
        double[] expected = [0.18500753678626095, 2.5097850287655983, 2.832474511105933, 0.8467257790498187, -0.08896927996219048, -0.004281421560938062, -0.0362916132888203];
        var x = LayerTesting.Tensor64([7], a: 0.9, b: 0.1, s: 3);
        LayerTesting.AssertClose(new GELU().Forward(x).ToArray<double>(), expected, 1e-12, 1e-9);
        LayerTesting.AssertModuleGradients(new GELU(), x);
    }

    [Test]
    public void SoftmaxAndLogSoftmaxAlongADim()
    {
        var x = LayerTesting.Tensor64([2, 3, 4], s: 2);
        var xs = x.ToArray<double>();
        var expected = new double[24];
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 4; k++)
            {
                double z = 0;
                for (int c = 0; c < 3; c++) z += Math.Exp(xs[(n * 3 + c) * 4 + k]);
                for (int c = 0; c < 3; c++) expected[(n * 3 + c) * 4 + k] = Math.Exp(xs[(n * 3 + c) * 4 + k]) / z;
            }
        LayerTesting.AssertClose(new Softmax(1).Forward(x).ToArray<double>(), expected, 1e-14);
        LayerTesting.AssertClose(new LogSoftmax(1).Forward(x).ToArray<double>(), expected.Select(v => Math.Log(v)).ToArray(), 1e-13);
        LayerTesting.AssertModuleGradients(new Softmax(1), LayerTesting.Tensor64([2, 3, 2]));
        LayerTesting.AssertModuleGradients(new LogSoftmax(), LayerTesting.Tensor64([2, 3]));
        Assert.That(new Softmax(1).ToString(), Is.EqualTo("Softmax(dim=1)"));
    }

    [Test]
    public void DropoutZeroesAboutPAndRescalesTheRestInTrainingOnly()
    {
        var dropout = new Dropout(0.3, new Generator(42));
        var x = Tensor.Ones([200, 100]);
        var y = dropout.Forward(x).ToArray<float>();
        double zeros = y.Count(v => v == 0) / (double)y.Length;
        Assert.That(zeros, Is.EqualTo(0.3).Within(4 * Math.Sqrt(0.3 * 0.7 / y.Length)));
        Assert.That(y.Where(v => v != 0), Is.All.EqualTo(1 / 0.7f).Within(1e-6));
        Assert.That(y.Average(v => (double)v), Is.EqualTo(1).Within(0.02), "inverted dropout keeps the mean");

        dropout.Eval();
        Assert.That(dropout.Forward(x), Is.SameAs(x));
    }

    [Test]
    public void DropoutIsReproducibleWithASeededGeneratorAndDifferentiable()
    {
        var x = LayerTesting.Tensor64([4, 5]);
        var a = new Dropout(0.5, new Generator(1)).Forward(x).ToArray<double>();
        var b = new Dropout(0.5, new Generator(1)).Forward(x).ToArray<double>();
        Assert.That(a, Is.EqualTo(b));
        // Each evaluation draws the same mask from a fresh generator, so finite differences see one function.
        LayerTesting.AssertGradients(ts => new Dropout(0.5, new Generator(7)).Forward(ts[0]), LayerTesting.Tensor64([4, 5], requiresGrad: true));
        var mask = new Dropout(0.5, new Generator(7)).Forward(Tensor.Ones([4, 5], DType.Float64)).ToArray<double>();
        var xg = LayerTesting.Tensor64([4, 5], requiresGrad: true);
        new Dropout(0.5, new Generator(7)).Forward(xg).Sum().Backward();
        Assert.That(xg.Grad!.ToArray<double>(), Is.EqualTo(mask), "the gradient is the scaled mask");
    }
}
