using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>
/// Loss values against naive float64 formulas written here and against PyTorch 1.13. The PyTorch inputs use
/// <c>seq(n, a, b, s) = torch.tensor([s*math.sin(a*i+b) for i in range(n)], dtype=torch.float64)</c>.
/// </summary>
public class LossTests
{
    private static Tensor Logits => LayerTesting.Tensor64([4, 5], s: 2);                    // x = seq(20, s=2.0).reshape(4,5)
    private static Tensor Labels => Tensor.FromArray(new[] { 1, 0, 4, 2 }, [4]);            // t = torch.tensor([1,0,4,2])
    private static Tensor IgnoredLabels => Tensor.FromArray(new[] { 1, -100, 4, 2 }, [4]);  // ti = torch.tensor([1,-100,4,2])
    private static Tensor ClassWeights => Tensor.FromArray(new[] { 0.5, 1.0, 2.0, 1.5, 0.8 }); // w

    private static double Scalar(Tensor t) => t.Item();

    // ---- regression -------------------------------------------------------------------------

    [Test]
    public void RegressionLossesMatchNaiveFormulas()
    {
        var a = LayerTesting.Tensor64([2, 4], 0.9, 0.1, 2);
        var b = LayerTesting.Tensor64([2, 4], 0.4, 1.0, 1);
        var x = a.ToArray<double>();
        var y = b.ToArray<double>();
        var d = x.Zip(y, (p, q) => p - q).ToArray();
        Assert.That(Scalar(Losses.MSE(a, b)), Is.EqualTo(d.Average(v => v * v)).Within(1e-14));
        Assert.That(Scalar(Losses.MSE(a, b, Reduction.Sum)), Is.EqualTo(d.Sum(v => v * v)).Within(1e-13));
        Assert.That(Scalar(Losses.L1(a, b)), Is.EqualTo(d.Average(Math.Abs)).Within(1e-14));
        Assert.That(Scalar(Losses.MAE(a, b, Reduction.BatchMean)), Is.EqualTo(d.Sum(Math.Abs) / 2).Within(1e-14));
        var msle = x.Zip(y, (p, q) => Math.Pow(Math.Log(1 + Math.Max(p, 0)) - Math.Log(1 + Math.Max(q, 0)), 2)).Average();
        Assert.That(Scalar(Losses.MSLE(a, b)), Is.EqualTo(msle).Within(1e-14));
        LayerTesting.AssertClose(Losses.MSE(a, b, Reduction.None).ToArray<double>(), d.Select(v => v * v).ToArray());
    }

    [Test]
    public void HuberMatchesPyTorch()
    {
        // a = seq(8, 0.9, 0.1, 2.0); b = seq(8, 0.4, 1.0, 1.0)
        // F.huber_loss(a, b, delta=0.5) = 0.3894630170898073; F.huber_loss(a, b, delta=2.0, reduction='sum') = 5.403052475161987
        var a = LayerTesting.Tensor64([8], 0.9, 0.1, 2);
        var b = LayerTesting.Tensor64([8], 0.4, 1.0, 1);
        Assert.That(Scalar(Losses.Huber(a, b, 0.5)), Is.EqualTo(0.3894630170898073).Within(1e-14));
        Assert.That(Scalar(Losses.Huber(a, b, 2.0, Reduction.Sum)), Is.EqualTo(5.403052475161987).Within(1e-13));
    }

    [Test]
    public void RegressionLossGradients()
    {
        var a = LayerTesting.Tensor64([3, 2], 0.9, 0.1, 2, requiresGrad: true);
        var b = LayerTesting.Tensor64([3, 2], 0.4, 1.0, 1, requiresGrad: true);
        LayerTesting.AssertGradients(ts => Losses.MSE(ts[0], ts[1]), a, b);
        LayerTesting.AssertGradients(ts => Losses.L1(ts[0], ts[1], Reduction.None), a, b);
        LayerTesting.AssertGradients(ts => Losses.Huber(ts[0], ts[1], 0.5, Reduction.Sum), a, b);
        var positive = LayerTesting.Tensor64([3, 2], 0.9, 0.1, 2).Abs();
        LayerTesting.AssertGradients(ts => Losses.MSLE(ts[0], ts[1]), new Tensor(positive.Data, true), new Tensor(b.Abs().Data, true));
    }

    [Test]
    public void SampleWeightsScaleEachSample()
    {
        var a = LayerTesting.Tensor64([3, 2], 0.9, 0.1, 2);
        var b = LayerTesting.Tensor64([3, 2], 0.4, 1.0, 1);
        var weights = Tensor.FromArray(new[] { 0.0, 2.0, 1.0 });
        var per = Losses.MSE(a, b, Reduction.None).ToArray<double>();
        double expected = (0 * (per[0] + per[1]) + 2 * (per[2] + per[3]) + 1 * (per[4] + per[5])) / 6;
        Assert.That(Scalar(Losses.MSE(a, b, sampleWeight: weights)), Is.EqualTo(expected).Within(1e-14));
        Assert.Throws<ArgumentException>(() => Losses.MSE(a, b, sampleWeight: Tensor.FromArray(new[] { 1.0, 2.0 })));
    }

    [Test]
    public void MismatchedShapesAreRejectedInsteadOfBroadcast()
    {
        var ex = Assert.Throws<ArgumentException>(() => Losses.MSE(Tensor.Zeros([4, 1]), Tensor.Zeros([4])));
        Assert.That(ex!.Message, Does.Contain("[4, 1]").And.Contain("[4]"));
    }

    // ---- binary ------------------------------------------------------------------------------

    [Test]
    public void BceMatchesPyTorchIncludingTheClampedLogs()
    {
        // pr = torch.sigmoid(seq(6, 1.1, 0.4, 3.0)); pr[1] = 0.0; pr[4] = 1.0; y = torch.tensor([1.,0,0,1,0,1])
        // F.binary_cross_entropy(pr, y, reduction='none'); y2 = torch.tensor([1.,0,1,1,0,0]); F.binary_cross_entropy(pr, y2)
        var p = Tensor.FromArray(new[] { 0.7628294588234762, 0.0, 0.8244082438536238, 0.16945306965255338, 1.0, 0.24570906149685245 });
        var y = Tensor.FromArray(new[] { 1.0, 0, 0, 1, 0, 1 });
        LayerTesting.AssertClose(Losses.BCE(p, y, reduction: Reduction.None).ToArray<double>(),
            [0.2707207866734781, 0.0, 1.7395935456577778, 1.7751792657048233, 100.0, 1.4036071198059965], 1e-12);
        Assert.That(Scalar(Losses.BCE(p, y)), Is.EqualTo(17.531516786307012).Within(1e-12));
        Assert.That(Scalar(Losses.BCE(p, Tensor.FromArray(new[] { 1.0, 0, 1, 1, 0, 0 }))), Is.EqualTo(17.086827767981163).Within(1e-12));

        // The gradient stays finite where a log is clamped.
        var pg = new Tensor(p.Data, requiresGrad: true);
        Losses.BCE(pg, Tensor.FromArray(new[] { 1.0, 1, 0, 1, 0, 1 })).Backward();
        Assert.That(pg.Grad!.ToArray<double>().All(double.IsFinite), Is.True);

        var probabilities = new Tensor(LayerTesting.Tensor64([2, 3], s: 2).Sigmoid().Data, true);
        var targets = Tensor.FromArray(new[] { 1.0, 0, 0.3, 0, 1, 1 }, [2, 3]);
        var weight = Tensor.FromArray(new[] { 0.5, 2.0, 1.0 });
        LayerTesting.AssertGradients(ts => Losses.BCE(ts[0], ts[1], weight), probabilities, targets);
    }

    [Test]
    public void BceWithLogitsMatchesPyTorchAndIsStable()
    {
        // lg = seq(6, 1.1, 0.4, 3.0).reshape(2,3); yl = torch.tensor([[1.,0,0.5],[0,1,1]]); pw = torch.tensor([2.0,0.5,3.0])
        // F.binary_cross_entropy_with_logits(lg, yl) = 1.4842333506719279; with pos_weight=pw: 1.7762682709745012
        var logits = LayerTesting.Tensor64([2, 3], 1.1, 0.4, 3.0);
        var y = Tensor.FromArray(new[] { 1.0, 0, 0.5, 0, 1, 1 }, [2, 3]);
        var pw = Tensor.FromArray(new[] { 2.0, 0.5, 3.0 });
        Assert.That(Scalar(Losses.BCEWithLogits(logits, y)), Is.EqualTo(1.4842333506719279).Within(1e-13));
        Assert.That(Scalar(Losses.BCEWithLogits(logits, y, pw)), Is.EqualTo(1.7762682709745012).Within(1e-13));

        // F.binary_cross_entropy_with_logits(torch.tensor([100.,-100.,0.]), torch.tensor([0.,1.,1.]), reduction='none') = [100, 100, ln 2]
        LayerTesting.AssertClose(
            Losses.BCEWithLogits(Tensor.FromArray(new[] { 100.0, -100, 0 }), Tensor.FromArray(new[] { 0.0, 1, 1 }), reduction: Reduction.None).ToArray<double>(),
            [100, 100, Math.Log(2)], 1e-12);
        var big = Losses.BCEWithLogits(Tensor.FromArray(new[] { 200f, -200f }), Tensor.FromArray(new[] { 1f, 0f }), reduction: Reduction.None);
        Assert.That(big.ToArray<float>(), Is.All.EqualTo(0f).Within(1e-6));

        // Gradient at a logit of exactly 0 is sigmoid(0) − y.
        var zero = Tensor.FromArray(new[] { 0.0 }, requiresGrad: true);
        Losses.BCEWithLogits(zero, Tensor.FromArray(new[] { 1.0 })).Backward();
        Assert.That(zero.Grad!.Item(), Is.EqualTo(-0.5).Within(1e-12));

        LayerTesting.AssertGradients(ts => Losses.BCEWithLogits(ts[0], ts[1], pw, reduction: Reduction.Sum),
            new Tensor(logits.Data, true), new Tensor(y.Data, true));
    }

    [Test]
    public void BinaryHingeUsesPlusMinusOneTargets()
    {
        var x = Tensor.FromArray(new[] { 0.3, -2.0, 1.5, 0.8 });
        var y = Tensor.FromArray(new[] { 1.0, -1, -1, 1 });
        double expected = (0.7 + 0 + 2.5 + 0.2) / 4;
        Assert.That(Scalar(Losses.Hinge(x, y)), Is.EqualTo(expected).Within(1e-14));
        LayerTesting.AssertGradients(ts => Losses.Hinge(ts[0], y), new Tensor(x.Data, true));
    }

    // ---- multi-class ------------------------------------------------------------------------

    [Test]
    public void CrossEntropyMatchesPyTorch()
    {
        // F.cross_entropy(x, t) = 2.6373467900451977
        Assert.That(Scalar(Losses.CrossEntropy(Logits, Labels)), Is.EqualTo(2.6373467900451977).Within(1e-13));
        // F.cross_entropy(x, ti, weight=w, label_smoothing=0.2, ignore_index=-100) = 2.5310347588926523, and with reduction='none':
        Assert.That(Scalar(Losses.CrossEntropy(Logits, IgnoredLabels, ClassWeights, labelSmoothing: 0.2)), Is.EqualTo(2.5310347588926523).Within(1e-13));
        LayerTesting.AssertClose(Losses.CrossEntropy(Logits, IgnoredLabels, ClassWeights, labelSmoothing: 0.2, reduction: Reduction.None).ToArray<double>(),
            [1.392384888177065, 0.0, 3.1292842749676035, 5.096262920647408], 1e-13);
        // p = torch.softmax(seq(20, 0.3, 0.1, 3.0).reshape(4,5), 1); F.cross_entropy(x, p, weight=w, label_smoothing=0.1) = 2.0533930382099976
        var probabilities = LayerTesting.Tensor64([4, 5], 0.3, 0.1, 3).Softmax(1);
        Assert.That(Scalar(Losses.CrossEntropy(Logits, probabilities, ClassWeights, labelSmoothing: 0.1)), Is.EqualTo(2.0533930382099976).Within(1e-13));
        // x3 = seq(24, 0.9, 0.2, 1.5).reshape(2,3,4); t3 = torch.tensor([[0,2,1,-100],[2,2,0,1]])
        // F.cross_entropy(x3, t3, weight=torch.tensor([1.0,2.0,0.5])) = 2.3045019176996164
        var x3 = LayerTesting.Tensor64([2, 3, 4], 0.9, 0.2, 1.5);
        var t3 = Tensor.FromArray(new[] { 0, 2, 1, -100, 2, 2, 0, 1 }, [2, 4]);
        Assert.That(Scalar(Losses.CrossEntropy(x3, t3, Tensor.FromArray(new[] { 1.0, 2.0, 0.5 }))), Is.EqualTo(2.3045019176996164).Within(1e-13));
        Assert.That(Losses.CrossEntropy(x3, t3, reduction: Reduction.None).Shape, Is.EqualTo(new[] { 2, 4 }));
    }

    [Test]
    public void CrossEntropyMatchesNaiveLogSoftmax()
    {
        var x = Logits.ToArray<double>();
        int[] t = [1, 0, 4, 2];
        double total = 0;
        for (int n = 0; n < 4; n++)
        {
            var row = x.Skip(n * 5).Take(5).ToArray();
            double lse = Math.Log(row.Sum(Math.Exp));
            total += lse - row[t[n]];
        }
        Assert.That(Scalar(Losses.CrossEntropy(Logits, Labels, reduction: Reduction.Sum)), Is.EqualTo(total).Within(1e-12));
        Assert.That(Scalar(Losses.CrossEntropy(Logits, Tensor.FromArray(new[] { 1f, 0f, 4f, 2f }), reduction: Reduction.Sum)), Is.EqualTo(total).Within(1e-12),
            "floating class indices are accepted");
    }

    [Test]
    public void NllMatchesPyTorch()
    {
        // F.nll_loss(F.log_softmax(x, 1), ti, weight=w) = 2.698081173983061
        Assert.That(Scalar(Losses.NLL(Logits.LogSoftmax(1), IgnoredLabels, ClassWeights)), Is.EqualTo(2.698081173983061).Within(1e-13));
        var ex = Assert.Throws<ArgumentException>(() => Losses.NLL(Logits, Tensor.FromArray(new[] { 1, 0, 5, 2 })));
        Assert.That(ex!.Message, Does.Contain("target 5").And.Contain("5 classes"));
        Assert.Throws<ArgumentException>(() => Losses.CrossEntropy(Logits, Tensor.FromArray(new[] { 1, 0, 2 })));
    }

    [Test]
    public void ClassificationLossGradients()
    {
        var x = new Tensor(Logits.Data, requiresGrad: true);
        var w = new Tensor(ClassWeights.Data, requiresGrad: false);
        LayerTesting.AssertGradients(ts => Losses.CrossEntropy(ts[0], IgnoredLabels, w, labelSmoothing: 0.2), x);
        LayerTesting.AssertGradients(ts => Losses.CrossEntropy(ts[0], ts[1], w, labelSmoothing: 0.1),
            x, new Tensor(LayerTesting.Tensor64([4, 5], 0.3, 0.1, 3).Softmax(1).Data, true));
        LayerTesting.AssertGradients(ts => Losses.CrossEntropy(ts[0], Tensor.FromArray(new[] { 0, 2, 1, -100, 2, 2, 0, 1 }, [2, 4]), reduction: Reduction.None),
            LayerTesting.Tensor64([2, 3, 4], 0.9, 0.2, 1.5, requiresGrad: true));
        LayerTesting.AssertGradients(ts => Losses.NLL(ts[0], Labels, w, sampleWeight: Tensor.FromArray(new[] { 1.0, 0.5, 2, 1 })), x);
        LayerTesting.AssertGradients(ts => Losses.MultiMargin(ts[0], Labels, p: 2, margin: 0.7, weight: w), x);
        LayerTesting.AssertGradients(ts => Losses.KLDiv(ts[0].LogSoftmax(1), ts[1], Reduction.BatchMean),
            x, new Tensor(LayerTesting.Tensor64([4, 5], 0.5, 0.2, 2).Softmax(1).Data, true));
        LayerTesting.AssertGradients(ts => Losses.KLDiv(ts[0], ts[1], Reduction.Sum, logTarget: true),
            new Tensor(Logits.LogSoftmax(1).Data, true), new Tensor(LayerTesting.Tensor64([4, 5], 0.5, 0.2, 2).LogSoftmax(1).Data, true));
        LayerTesting.AssertGradients(ts => Losses.MultiMargin(ts[0], Labels, reduction: Reduction.None), x);
    }

    [Test]
    public void MultiMarginMatchesPyTorch()
    {
        // F.multi_margin_loss(x, t) = 1.3439214447283454; F.multi_margin_loss(x, t, p=2, margin=0.7, weight=w) = 3.4058016022865
        Assert.That(Scalar(Losses.MultiMargin(Logits, Labels)), Is.EqualTo(1.3439214447283454).Within(1e-13));
        Assert.That(Scalar(Losses.MultiMargin(Logits, Labels, p: 2, margin: 0.7, weight: ClassWeights)), Is.EqualTo(3.4058016022865).Within(1e-12));
    }

    [Test]
    public void KlDivergenceMatchesPyTorch()
    {
        // tp = torch.softmax(seq(20, 0.5, 0.2, 2.0).reshape(4,5), 1); tp[0,1] = 0.0; lp = F.log_softmax(x, 1)
        // F.kl_div(lp, tp, reduction='batchmean') = 1.4882321560658949; reduction='mean': 0.29764643121317896
        var target = LayerTesting.Tensor64([4, 5], 0.5, 0.2, 2).Softmax(1);
        target.Data.Select(0, 0).Select(0, 1).FillInPlace(0);
        var logProbs = Logits.LogSoftmax(1);
        Assert.That(Scalar(Losses.KLDiv(logProbs, target, Reduction.BatchMean)), Is.EqualTo(1.4882321560658949).Within(1e-13));
        Assert.That(Scalar(Losses.KLDiv(logProbs, target)), Is.EqualTo(0.29764643121317896).Within(1e-13));
        // F.kl_div(lp, torch.log_softmax(seq(20,0.5,0.2,2.0).reshape(4,5),1), reduction='sum', log_target=True) = 5.86149013296626
        var logTarget = LayerTesting.Tensor64([4, 5], 0.5, 0.2, 2).LogSoftmax(1);
        Assert.That(Scalar(Losses.KLDiv(logProbs, logTarget, Reduction.Sum, logTarget: true)), Is.EqualTo(5.86149013296626).Within(1e-12));
    }

    [Test]
    public void LossObjectsApplyTheirSettings()
    {
        Assert.That(Scalar(new CrossEntropyLoss(ClassWeights, labelSmoothing: 0.2).Forward(Logits, IgnoredLabels)), Is.EqualTo(2.5310347588926523).Within(1e-13));
        Assert.That(Scalar(new MultiMarginLoss().Forward(Logits, Labels)), Is.EqualTo(1.3439214447283454).Within(1e-13));
        var a = LayerTesting.Tensor64([8], 0.9, 0.1, 2);
        var b = LayerTesting.Tensor64([8], 0.4, 1.0, 1);
        Assert.That(Scalar(new HuberLoss(0.5).Forward(a, b)), Is.EqualTo(0.3894630170898073).Within(1e-14));
        Assert.That(new MSELoss(Reduction.None).Forward(a, b).Shape, Is.EqualTo(new[] { 8 }));
    }
}
