using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class PoolingTests
{
    private static double[] NaivePool(double[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, bool max, bool countPad, out int[] shape)
    {
        int oh = (h + 2 * ph - kh) / sh + 1, ow = (w + 2 * pw - kw) / sw + 1;
        var y = new double[n * c * oh * ow];
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    int count = 0;
                    for (int a = 0; a < kh; a++)
                        for (int b = 0; b < kw; b++)
                        {
                            int r = i * sh - ph + a, q = j * sw - pw + b;
                            if (r < 0 || r >= h || q < 0 || q >= w) continue;
                            double v = x[(p * h + r) * w + q];
                            acc = max ? Math.Max(acc, v) : acc + v;
                            count++;
                        }
                    y[(p * oh + i) * ow + j] = max ? acc : acc / (countPad ? kh * kw : count);
                }
        shape = [n, c, oh, ow];
        return y;
    }

    [TestCase(2, null, 0)]
    [TestCase(3, 2, 1)]
    public void MaxPool2dMatchesDirectPooling(int kernel, int? stride, int padding)
    {
        var x = LayerTesting.Tensor64([2, 3, 7, 6]);
        var y = new MaxPool2d(kernel, stride, padding).Forward(x);
        int s = stride ?? kernel;
        var expected = NaivePool(x.ToArray<double>(), 2, 3, 7, 6, kernel, kernel, s, s, padding, padding, max: true, countPad: true, out var shape);
        Assert.That(y.Shape, Is.EqualTo(shape));
        LayerTesting.AssertClose(y.ToArray<double>(), expected);
    }

    [TestCase(2, null, 0, true)]
    [TestCase(3, 2, 1, true)]
    [TestCase(3, 2, 1, false)]
    public void AvgPool2dMatchesDirectPooling(int kernel, int? stride, int padding, bool countIncludePad)
    {
        var x = LayerTesting.Tensor64([2, 3, 7, 6]);
        var y = new AvgPool2d(kernel, stride, padding, countIncludePad).Forward(x);
        int s = stride ?? kernel;
        var expected = NaivePool(x.ToArray<double>(), 2, 3, 7, 6, kernel, kernel, s, s, padding, padding, max: false, countIncludePad, out var shape);
        Assert.That(y.Shape, Is.EqualTo(shape));
        LayerTesting.AssertClose(y.ToArray<double>(), expected);
    }

    [Test]
    public void PoolingGradients()
    {
        // Distinct values so every window has a unique maximum (finite differences stay on one side).
        LayerTesting.AssertModuleGradients(new MaxPool2d(2), LayerTesting.Tensor64([1, 2, 4, 5], a: 1.3, b: 0.2));
        LayerTesting.AssertModuleGradients(new AvgPool2d(3, 2, 1, countIncludePad: false), LayerTesting.Tensor64([1, 2, 5, 4]));
        LayerTesting.AssertModuleGradients(new AdaptiveAvgPool2d((3, 2)), LayerTesting.Tensor64([1, 2, 7, 5]));
    }

    [Test]
    public void AdaptiveAvgPool2dUnevenWindowsMatchPyTorch()
    {
        // xa = torch.tensor([math.sin(0.37*i+0.1) for i in range(210)], dtype=torch.float64).reshape(2,3,7,5)
        // F.adaptive_avg_pool2d(xa, (3, 2)).flatten()  (torch 1.13)
        double[] expected =
        [
            0.1046043796199359, 0.011643152028063689, -0.0371653159891324, 0.06556442761313923, -0.04156456828211482, -0.1228535383036198,
            0.060585055790625814, -0.042495005317736374, 0.017164707330341873, 0.10830448672420169, -0.08969983345295122, -0.14121107193261387,
            0.007758156298755388, -0.09045543500887614, 0.06899940475525586, 0.13529973964552222, -0.12479495102061906, -0.1390399919586777,
            -0.04619658813295247, -0.12526587123159852, 0.11080328731794192, 0.14262574115654622, -0.14174795484297623, -0.11665591996357677,
            -0.09343548589218652, -0.14186573350318596, 0.1364990995986473, 0.12921747098502592, -0.13809429550392358, -0.0773129489766923,
            -0.12709116414581434, -0.1378418104955801, 0.14235130305705163, 0.09702416153652006, -0.11436512512759472, -0.026730578456017947,
        ];
        var y = new AdaptiveAvgPool2d((3, 2)).Forward(LayerTesting.Tensor64([2, 3, 7, 5], a: 0.37, b: 0.1));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3, 3, 2 }));
        LayerTesting.AssertClose(y.ToArray<double>(), expected, 1e-12);
    }

    [Test]
    public void AdaptiveAvgPool2dGlobalAndEvenCases()
    {
        var x = LayerTesting.Tensor64([2, 3, 4, 6]);
        var xs = x.ToArray<double>();
        var global = new AdaptiveAvgPool2d(1).Forward(x);
        Assert.That(global.Shape, Is.EqualTo(new[] { 2, 3, 1, 1 }));
        LayerTesting.AssertClose(global.ToArray<double>(), Enumerable.Range(0, 6).Select(p => xs.Skip(p * 24).Take(24).Average()).ToArray());
        var even = new AdaptiveAvgPool2d((2, 3)).Forward(x);
        var expected = NaivePool(xs, 2, 3, 4, 6, 2, 2, 2, 2, 0, 0, max: false, countPad: true, out var shape);
        Assert.That(even.Shape, Is.EqualTo(shape));
        LayerTesting.AssertClose(even.ToArray<double>(), expected);
    }

    [Test]
    public void FlattenAndIdentity()
    {
        var x = LayerTesting.Tensor64([2, 3, 4, 5]);
        Assert.That(new Flatten().Forward(x).Shape, Is.EqualTo(new[] { 2, 60 }));
        Assert.That(new Flatten(0, 2).Forward(x).Shape, Is.EqualTo(new[] { 24, 5 }));
        Assert.That(new Flatten().Forward(x).ToArray<double>(), Is.EqualTo(x.ToArray<double>()));
        Assert.That(new Identity().Forward(x), Is.SameAs(x));
        LayerTesting.AssertModuleGradients(new Flatten(), LayerTesting.Tensor64([2, 2, 3]));
    }
}
