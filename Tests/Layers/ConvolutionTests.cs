using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class ConvolutionTests
{
    /// <summary>Direct 7-loop convolution in float64.</summary>
    private static double[] NaiveConv(double[] x, int[] xs, double[] w, int[] ws, double[]? b, int sh, int sw, int ph, int pw, int dh, int dw, int groups,
        out int[] shape)
    {
        int n = xs[0], c = xs[1], h = xs[2], wd = xs[3];
        int o = ws[0], cg = ws[1], kh = ws[2], kw = ws[3];
        int oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1, ow = (wd + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        int og = o / groups;
        var y = new double[n * o * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int oi = 0; oi < o; oi++)
                for (int yi = 0; yi < oh; yi++)
                    for (int xi = 0; xi < ow; xi++)
                    {
                        double s = b?[oi] ?? 0;
                        int g = oi / og;
                        for (int ci = 0; ci < cg; ci++)
                            for (int ki = 0; ki < kh; ki++)
                                for (int kj = 0; kj < kw; kj++)
                                {
                                    int r = yi * sh - ph + ki * dh, q = xi * sw - pw + kj * dw;
                                    if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                                    s += x[((ni * c + g * cg + ci) * h + r) * wd + q] * w[((oi * cg + ci) * kh + ki) * kw + kj];
                                }
                        y[((ni * o + oi) * oh + yi) * ow + xi] = s;
                    }
        shape = [n, o, oh, ow];
        return y;
    }

    [TestCase(1, 0, 1, 1, true)]
    [TestCase(2, 1, 1, 1, true)]
    [TestCase(1, 2, 2, 1, false)]
    [TestCase(2, 1, 1, 2, true)]
    public void Conv2dMatchesDirectConvolution(int stride, int padding, int dilation, int groups, bool bias)
    {
        var conv = new Conv2d(4, 6, 3, stride, padding, dilation, groups, bias, new Generator(8));
        conv.To(DType.Float64);
        var x = LayerTesting.Tensor64([2, 4, 7, 6]);
        var y = conv.Forward(x);
        var expected = NaiveConv(x.ToArray<double>(), [2, 4, 7, 6], conv.Weight.Data.ToArray<double>(), conv.Weight.Shape.ToArray(),
            conv.Bias?.Data.ToArray<double>(), stride, stride, padding, padding, dilation, dilation, groups, out var shape);
        Assert.That(y.Shape, Is.EqualTo(shape));
        LayerTesting.AssertClose(y.ToArray<double>(), expected, 1e-12);
    }

    [Test]
    public void Conv2dRectangularGeometry()
    {
        var conv = new Conv2d(2, 3, (3, 1), (2, 1), (1, 0), (1, 1), generator: new Generator(4));
        conv.To(DType.Float64);
        var x = LayerTesting.Tensor64([1, 2, 5, 4]);
        var expected = NaiveConv(x.ToArray<double>(), [1, 2, 5, 4], conv.Weight.Data.ToArray<double>(), conv.Weight.Shape.ToArray(),
            conv.Bias!.Data.ToArray<double>(), 2, 1, 1, 0, 1, 1, 1, out var shape);
        var y = conv.Forward(x);
        Assert.That(y.Shape, Is.EqualTo(shape));
        LayerTesting.AssertClose(y.ToArray<double>(), expected, 1e-12);
        Assert.That(conv.ToString(), Is.EqualTo("Conv2d(2, 3, kernel_size=(3, 1), stride=(2, 1), padding=(1, 0))"));
    }

    [Test]
    public void Conv2dGradients()
    {
        LayerTesting.AssertModuleGradients(new Conv2d(2, 2, 3, stride: 2, padding: 1, generator: new Generator(1)), LayerTesting.Tensor64([2, 2, 5, 4]));
        LayerTesting.AssertModuleGradients(new Conv2d(4, 2, 2, dilation: 2, groups: 2, bias: false, generator: new Generator(2)), LayerTesting.Tensor64([1, 4, 4, 5]));
    }

    [Test]
    public void Conv2dRejectsWrongChannelsWithShapes()
    {
        var conv = new Conv2d(3, 8, 3);
        var ex = Assert.Throws<ArgumentException>(() => conv.Forward(LayerTesting.Tensor32([8, 1, 28, 28])));
        Assert.That(ex!.Message, Does.Contain("[8, 3, 3, 3]").And.Contain("[8, 1, 28, 28]"));
        Assert.Throws<ArgumentException>(() => _ = new Conv2d(3, 8, 3, groups: 2));
    }

    [Test]
    public void Conv2dDefaultInitBoundUsesFanInOfAGroup()
    {
        var conv = new Conv2d(16, 32, 3, groups: 4, generator: new Generator(6));
        double bound = 1 / Math.Sqrt(16 / 4 * 9);
        var w = conv.Weight.Data.ToArray<float>();
        Assert.That(w.Max(), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.9 * bound));
        Assert.That(w.Min(), Is.GreaterThanOrEqualTo(-bound).And.LessThan(-0.9 * bound));
        Assert.That(conv.Bias!.Data.ToArray<float>().Max(), Is.LessThanOrEqualTo(bound));
    }
}
