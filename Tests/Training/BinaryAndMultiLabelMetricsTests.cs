using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class BinaryAndMultiLabelMetricsTests
{
    [Test]
    public void RocAucAndAveragePrecisionOfScikitLearnsExample()
    {
        // scikit-learn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333.
        double[] scores = [0.1, 0.4, 0.35, 0.8];
        int[] labels = [0, 0, 1, 1];
        Assert.That(BinaryMetrics.RocAuc(scores, labels), Is.EqualTo(0.75).Within(1e-12));
        Assert.That(BinaryMetrics.AveragePrecision(scores, labels), Is.EqualTo(5.0 / 6).Within(1e-12));
    }

    [Test]
    public void TiedScoresCountOneHalfAndFormOneThreshold()
    {
        // Positives 0.6 and 0.9 against negatives 0.2 and 0.6: pairs won 1 + 0.5 + 1 + 1 of 4.
        double[] scores = [0.2, 0.6, 0.6, 0.9];
        int[] labels = [0, 0, 1, 1];
        Assert.That(BinaryMetrics.RocAuc(scores, labels), Is.EqualTo(0.875).Within(1e-12));
        // Thresholds 0.9 (R 0.5, P 1) then 0.6 (R 1, P 2/3): 0.5 + 0.5 · 2/3.
        Assert.That(BinaryMetrics.AveragePrecision(scores, labels), Is.EqualTo(0.5 + 1.0 / 3).Within(1e-12));
        Assert.That(BinaryMetrics.RocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), Is.EqualTo(0.5));
        Assert.That(BinaryMetrics.AveragePrecision([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), Is.EqualTo(0.5));
    }

    [Test]
    public void RankingMetricsAreUndefinedForOneClassAndRejectOtherLabels()
    {
        Assert.That(BinaryMetrics.RocAuc([0.1, 0.2], [1, 1]), Is.NaN);
        Assert.That(BinaryMetrics.AveragePrecision([0.1, 0.2], [0, 0]), Is.NaN);
        var e = Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([0.1, 0.2], [0, 2]));
        Assert.That(e!.Message, Does.Contain("label 2 at row 1"));
    }

    [Test]
    public void MultiLabelF1ByHand()
    {
        int[] predictions = [1, 0, 1, /**/ 0, 1, 0, /**/ 1, 1, 0];
        int[] labels = [1, 0, 0, /**/ 0, 1, 0, /**/ 1, 0, 1];
        var m = MultiLabelMetrics.From(predictions, labels, 3);
        // Label 0: TP 2. Label 1: TP 1, FP 1. Label 2: FP 1, FN 1.
        Assert.That(m.F1(0), Is.EqualTo(1.0));
        Assert.That(m.F1(1), Is.EqualTo(2.0 / 3).Within(1e-12));
        Assert.That(m.F1(2), Is.EqualTo(0.0));
        Assert.That(m.MacroF1, Is.EqualTo((1 + 2.0 / 3) / 3).Within(1e-12));
        Assert.That(m.MicroF1, Is.EqualTo(6.0 / 9).Within(1e-12), "TP 3, FP 2, FN 1 pooled");
        Assert.That(m.SubsetAccuracy, Is.EqualTo(1.0 / 3).Within(1e-12), "only row 1 is exactly right");
        Assert.That(m.HammingLoss, Is.EqualTo(3.0 / 9).Within(1e-12));
    }

    [Test]
    public void BalancedClassWeightsFollowScikitLearn()
    {
        // n / (k · count): 6 / (3 · 3), 6 / (3 · 2), 6 / (3 · 1).
        Assert.That(TaskLosses.Balanced([0, 0, 0, 1, 1, 2], 3), Is.EqualTo(new[] { 6.0 / 9, 1.0, 2.0 }).Within(1e-12));
    }
}
