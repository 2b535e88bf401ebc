using NUnit.Framework;

namespace Scratch.Tests.Layers;

public class NormalizationTests
{
    /// <summary>Per-channel mean and biased variance of x [N, C, S].</summary>
    private static (double[] Mean, double[] Var) ChannelStats(double[] x, int n, int c, int s)
    {
        var mean = new double[c];
        var variance = new double[c];
        for (int ch = 0; ch < c; ch++)
        {
            var values = new List<double>();
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++) values.Add(x[(i * c + ch) * s + k]);
            mean[ch] = values.Average();
            variance[ch] = values.Average(v => (v - mean[ch]) * (v - mean[ch]));
        }
        return (mean, variance);
    }

    private static double[] Normalise(double[] x, int n, int c, int s, double[] mean, double[] variance, double[] gamma, double[] beta, double eps)
    {
        var y = new double[x.Length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int k = 0; k < s; k++)
                {
                    int at = (i * c + ch) * s + k;
                    y[at] = (x[at] - mean[ch]) / Math.Sqrt(variance[ch] + eps) * gamma[ch] + beta[ch];
                }
        return y;
    }

    private static BatchNorm2d Bn2d(int c)
    {
        var bn = new BatchNorm2d(c);
        bn.To(DType.Float64);
        bn.Weight!.Data.CopyFrom(NDArray.FromArray(LayerTesting.Seq(c, 1.1, 0.5, 1.5)));
        bn.Bias!.Data.CopyFrom(NDArray.FromArray(LayerTesting.Seq(c, 0.8, 0.1, 0.5)));
        return bn;
    }

    [Test]
    public void BatchNorm2dTrainingUsesBatchStatisticsAndUpdatesRunningOnes()
    {
        var bn = Bn2d(3);
        var x = LayerTesting.Tensor64([4, 3, 2, 5], s: 2);
        var xs = x.ToArray<double>();
        var y = bn.Forward(x);
        var (mean, variance) = ChannelStats(xs, 4, 3, 10);
        var expected = Normalise(xs, 4, 3, 10, mean, variance, bn.Weight!.Data.ToArray<double>(), bn.Bias!.Data.ToArray<double>(), 1e-5);
        LayerTesting.AssertClose(y.ToArray<double>(), expected, 1e-12);
        LayerTesting.AssertClose(bn.RunningMean!.Value.ToArray<double>(), mean.Select(m => 0.1 * m).ToArray(), 1e-12);
        LayerTesting.AssertClose(bn.RunningVar!.Value.ToArray<double>(), variance.Select(v => 0.9 + 0.1 * v * 40 / 39).ToArray(), 1e-12);
        Assert.That(bn.NumBatchesTracked!.Value.Item<int>(), Is.EqualTo(1));
    }

    [Test]
    public void BatchNorm2dEvalUsesRunningStatisticsAndLeavesThemAlone()
    {
        var bn = Bn2d(3);
        bn.RunningMean!.Value.CopyFrom(NDArray.FromArray(new[] { 0.5, -0.2, 0.1 }));
        bn.RunningVar!.Value.CopyFrom(NDArray.FromArray(new[] { 2.0, 0.5, 1.5 }));
        bn.Eval();
        var x = LayerTesting.Tensor64([2, 3, 3, 3]);
        var y = bn.Forward(x);
        var expected = Normalise(x.ToArray<double>(), 2, 3, 9, [0.5, -0.2, 0.1], [2.0, 0.5, 1.5],
            bn.Weight!.Data.ToArray<double>(), bn.Bias!.Data.ToArray<double>(), 1e-5);
        LayerTesting.AssertClose(y.ToArray<double>(), expected, 1e-12);
        Assert.That(bn.RunningMean.Value.ToArray<double>(), Is.EqualTo(new[] { 0.5, -0.2, 0.1 }));
        Assert.That(bn.NumBatchesTracked!.Value.Item<int>(), Is.EqualTo(0));
    }

    [Test]
    public void CumulativeMomentumAveragesTheBatches()
    {
        var bn = new BatchNorm1d(2, momentum: null);
        bn.To(DType.Float64);
        var a = LayerTesting.Tensor64([5, 2], s: 1);
        var b = LayerTesting.Tensor64([5, 2], a: 0.3, b: 2, s: 3);
        bn.Forward(a);
        bn.Forward(b);
        var ma = ChannelStats(a.ToArray<double>(), 5, 2, 1).Mean;
        var mb = ChannelStats(b.ToArray<double>(), 5, 2, 1).Mean;
        LayerTesting.AssertClose(bn.RunningMean!.Value.ToArray<double>(), [(ma[0] + mb[0]) / 2, (ma[1] + mb[1]) / 2], 1e-12);
        Assert.That(bn.NumBatchesTracked!.Value.Item<int>(), Is.EqualTo(2));
    }

    [Test]
    public void WithoutRunningStatisticsEvalStillUsesTheBatch()
    {
        var bn = new BatchNorm1d(2, affine: false, trackRunningStats: false);
        Assert.That(bn.StateDict(), Is.Empty);
        bn.To(DType.Float64).Eval();
        var x = LayerTesting.Tensor64([6, 2, 3]);
        var (mean, variance) = ChannelStats(x.ToArray<double>(), 6, 2, 3);
        var expected = Normalise(x.ToArray<double>(), 6, 2, 3, mean, variance, [1, 1], [0, 0], 1e-5);
        LayerTesting.AssertClose(bn.Forward(x).ToArray<double>(), expected, 1e-12);
    }

    [Test]
    public void BatchNormRejectsWrongRankAndChannels()
    {
        Assert.Throws<ArgumentException>(() => new BatchNorm2d(3).Forward(LayerTesting.Tensor32([4, 3])));
        Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(LayerTesting.Tensor32([4, 3, 2, 2])));
        var ex = Assert.Throws<ArgumentException>(() => new BatchNorm1d(3).Forward(LayerTesting.Tensor32([4, 5])));
        Assert.That(ex!.Message, Does.Contain("[4, 5]"));
    }

    [Test]
    public void BatchNormGradients()
    {
        LayerTesting.AssertModuleGradients(Bn2d(2), LayerTesting.Tensor64([3, 2, 2, 2], s: 2));
        LayerTesting.AssertModuleGradients(new BatchNorm1d(3), LayerTesting.Tensor64([4, 3]));
        var eval = Bn2d(2);
        eval.RunningVar!.Value.CopyFrom(NDArray.FromArray(new[] { 0.7, 1.3 }));
        eval.Eval();
        LayerTesting.AssertModuleGradients(eval, LayerTesting.Tensor64([2, 2, 2, 3]));
    }

    [Test]
    public void LayerNormNormalisesTrailingDims()
    {
        var ln = new LayerNorm([3, 4]);
        ln.To(DType.Float64);
        ln.Weight!.Data.CopyFrom(NDArray.FromArray(LayerTesting.Seq(12, 0.4, 0.2, 2), [3, 4]));
        ln.Bias!.Data.CopyFrom(NDArray.FromArray(LayerTesting.Seq(12, 0.9, 0.7), [3, 4]));
        var x = LayerTesting.Tensor64([2, 3, 4], s: 3);
        var xs = x.ToArray<double>();
        var w = ln.Weight.Data.ToArray<double>();
        var b = ln.Bias.Data.ToArray<double>();
        var expected = new double[24];
        for (int i = 0; i < 2; i++)
        {
            var row = xs.Skip(i * 12).Take(12).ToArray();
            double mean = row.Average(), variance = row.Average(v => (v - mean) * (v - mean));
            for (int k = 0; k < 12; k++) expected[i * 12 + k] = (row[k] - mean) / Math.Sqrt(variance + 1e-5) * w[k] + b[k];
        }
        LayerTesting.AssertClose(ln.Forward(x).ToArray<double>(), expected, 1e-12);
        Assert.That(ln.ToString(), Is.EqualTo("LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)"));
        Assert.Throws<ArgumentException>(() => ln.Forward(LayerTesting.Tensor64([2, 4, 3])));
    }

    [Test]
    public void LayerNormGradients() => LayerTesting.AssertModuleGradients(new LayerNorm(4), LayerTesting.Tensor64([3, 4], s: 2));

    /// <summary>
    /// The folded y = x·scale + shift on a constant float32 channel (docs/ops.md says why it is kept): the error
    /// against the exact 0 stays within a few roundings of |x|·invstd, and float64 is exact to 1e-12.
    /// </summary>
    [Test]
    public void ConstantChannelInFloat32StaysWithinTheFoldingBound()
    {
        const double c = 3.7, eps = 1e-5;
        var bn = new BatchNorm2d(1, eps);
        var x = Tensor.Full([8, 1, 3, 3], c);
        var y = bn.Forward(x).ToArray<float>();
        double bound = 4 * c / Math.Sqrt(eps) * Math.Pow(2, -24);
        Assert.That(y.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(bound));

        var bn64 = new BatchNorm2d(1, eps);
        bn64.To(DType.Float64);
        var y64 = bn64.Forward(Tensor.Full([8, 1, 3, 3], c, DType.Float64)).ToArray<double>();
        Assert.That(y64.Max(v => Math.Abs(v)), Is.LessThanOrEqualTo(1e-12));
    }
}
