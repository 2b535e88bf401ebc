using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class MetricsTests
{
    [Test]
    public void AccuracyCountsMatches()
    {
        Assert.That(ClassificationMetrics.Accuracy([0, 2, 2, 1], [0, 1, 2, 1]), Is.EqualTo(0.75));
    }

    [Test]
    public void ArgMaxTakesTheFirstOfTiesAndRanksNaNLowest()
    {
        float[] scores = [0.1f, 0.7f, 0.7f, /**/ float.NaN, -1f, -2f, /**/ 3f, 3f, 3f];
        Assert.That(ClassificationMetrics.ArgMax<float>(scores, 3), Is.EqualTo(new[] { 1, 1, 0 }));
    }

    [Test]
    public void TopKAccuracyByHand()
    {
        // Row 0: label 2 ranks 2nd. Row 1: label 0 ranks 3rd. Row 2: label 3 ranks 1st. Row 3: label 1 ties with
        // class 0 for 1st and loses the tie (lower index first), so it ranks 2nd.
        double[] scores =
        [
            0.1, 0.5, 0.3, 0.1,
            0.2, 0.3, 0.4, 0.1,
            0.0, 0.1, 0.2, 0.7,
            0.4, 0.4, 0.1, 0.1,
        ];
        int[] labels = [2, 0, 3, 1];
        Assert.That(ClassificationMetrics.TopKAccuracy<double>(scores, 4, labels, 1), Is.EqualTo(0.25));
        Assert.That(ClassificationMetrics.TopKAccuracy<double>(scores, 4, labels, 2), Is.EqualTo(0.75));
        Assert.That(ClassificationMetrics.TopKAccuracy<double>(scores, 4, labels, 3), Is.EqualTo(1.0));
        Assert.That(ClassificationMetrics.TopKAccuracy<double>(scores, 4, labels, 4), Is.EqualTo(1.0));
    }

    [Test]
    public void TopOneAccuracyEqualsAccuracyOfArgMax()
    {
        var rng = new Random(5);
        // Coarse values make ties frequent.
        float[] scores = [.. Enumerable.Range(0, 500 * 7).Select(_ => (float)rng.Next(4))];
        int[] labels = [.. Enumerable.Range(0, 500).Select(_ => rng.Next(7))];
        double viaArgMax = ClassificationMetrics.Accuracy(ClassificationMetrics.ArgMax<float>(scores, 7), labels);
        Assert.That(ClassificationMetrics.TopKAccuracy<float>(scores, 7, labels, 1), Is.EqualTo(viaArgMax));
        Assert.That(ClassificationMetrics.Accuracy<float>(scores, 7, labels), Is.EqualTo(viaArgMax));
    }

    [Test]
    public void BadInputsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([1, 2], [1]));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([], []));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.ArgMax<float>(new float[5], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.TopKAccuracy<float>(new float[4], 2, [0, 1], 3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ClassificationMetrics.TopKAccuracy<float>(new float[4], 2, [0, 2], 1))!;
        Assert.That(e.Message, Does.Contain("label 2 at row 1"));
    }

    [Test]
    public void ConfusionMatrixAndDerivedMetricsByHand()
    {
        int[] labels = [0, 0, 0, 1, 1, 2, 2, 2, 2];
        int[] predicted = [0, 0, 1, 1, 2, 2, 2, 0, 2];
        var m = ConfusionMatrix.From(predicted, labels, 3);
        Assert.That(m.ToArray(), Is.EqualTo(new long[,] { { 2, 1, 0 }, { 0, 1, 1 }, { 1, 0, 3 } }));
        Assert.That((m.Total, m.Correct), Is.EqualTo((9L, 6L)));
        Assert.That(m.Accuracy, Is.EqualTo(6.0 / 9));

        // Recall = diagonal / row sum, precision = diagonal / column sum.
        Assert.That(m.PerClassAccuracy(), Is.EqualTo(new[] { 2.0 / 3, 1.0 / 2, 3.0 / 4 }));
        Assert.That(new[] { m.Precision(0), m.Precision(1), m.Precision(2) }, Is.EqualTo(new[] { 2.0 / 3, 1.0 / 2, 3.0 / 4 }));
        double[] f1 = [2.0 / 3, 1.0 / 2, 3.0 / 4]; // precision = recall for each class here, so F1 equals both
        Assert.That(m.F1(0), Is.EqualTo(f1[0]).Within(1e-15));
        Assert.That(m.MacroF1, Is.EqualTo(f1.Average()).Within(1e-15));
        Assert.That(m.MacroRecall, Is.EqualTo((2.0 / 3 + 0.5 + 0.75) / 3).Within(1e-15));
    }

    [Test]
    public void PrecisionAndRecallDifferByHand()
    {
        // Class 0: TP 1, FP 2, FN 0 -> P 1/3, R 1, F1 2/4. Class 1: TP 1, FP 0, FN 2 -> P 1, R 1/3, F1 2/4.
        var m = ConfusionMatrix.From([0, 0, 0, 1], [0, 1, 1, 1], 2);
        Assert.That(m.Precision(0), Is.EqualTo(1.0 / 3).Within(1e-15));
        Assert.That(m.Recall(0), Is.EqualTo(1.0));
        Assert.That(m.Precision(1), Is.EqualTo(1.0));
        Assert.That(m.Recall(1), Is.EqualTo(1.0 / 3).Within(1e-15));
        Assert.That(m.F1(0), Is.EqualTo(0.5).Within(1e-15));
        Assert.That(m.MacroPrecision, Is.EqualTo(2.0 / 3).Within(1e-15));
    }

    [Test]
    public void UndefinedRatiosAreZero()
    {
        // Class 2 never occurs and is never predicted.
        var m = ConfusionMatrix.From([0, 1], [0, 1], 3);
        Assert.That((m.Precision(2), m.Recall(2), m.F1(2)), Is.EqualTo((0.0, 0.0, 0.0)));
        Assert.That(m.MacroF1, Is.EqualTo(2.0 / 3).Within(1e-15));
    }

    [Test]
    public void ConfusionMatrixRejectsOutOfRangeClasses()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ConfusionMatrix.From([0, 3], [0, 1], 3))!;
        Assert.That(e.Message, Does.Contain("example 1 has label 1 and prediction 3"));
        var m = new ConfusionMatrix(2);
        m.Add(1, 0);
        Assert.That((m[0, 1], m.Total), Is.EqualTo((1L, 1L)));
    }

    [Test]
    public void RegressionMetricsByHand()
    {
        double[] targets = [3, -0.5, 2, 7];
        double[] predictions = [2.5, 0.0, 2, 8];
        // Errors 0.5, 0.5, 0, 1: MAE 0.5, MSE (0.25 + 0.25 + 0 + 1) / 4 = 0.375.
        Assert.That(RegressionMetrics.MeanAbsoluteError<double>(predictions, targets), Is.EqualTo(0.5));
        Assert.That(RegressionMetrics.MeanSquaredError<double>(predictions, targets), Is.EqualTo(0.375));
        Assert.That(RegressionMetrics.RootMeanSquaredError<double>(predictions, targets), Is.EqualTo(Math.Sqrt(0.375)));
        // Mean 2.875; SS_tot = 0.125^2 + 3.375^2 + 0.875^2 + 4.125^2 = 29.1875; SS_res = 1.5.
        Assert.That(RegressionMetrics.R2Score<double>(predictions, targets), Is.EqualTo(1 - 1.5 / 29.1875).Within(1e-15));
    }

    [Test]
    public void RegressionMetricsAcceptFloats()
    {
        float[] targets = [1, 2, 3];
        float[] predictions = [1, 2, 5];
        Assert.That(RegressionMetrics.MeanAbsoluteError<float>(predictions, targets), Is.EqualTo(2.0 / 3).Within(1e-15));
        Assert.That(RegressionMetrics.R2Score<float>(predictions, targets), Is.EqualTo(1 - 4.0 / 2).Within(1e-15));
    }

    [Test]
    public void R2OfConstantTargets()
    {
        Assert.That(RegressionMetrics.R2Score<double>([2, 2], [2, 2]), Is.EqualTo(1.0));
        Assert.That(RegressionMetrics.R2Score<double>([1, 3], [2, 2]), Is.EqualTo(0.0));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsoluteError<double>([1], [1, 2]));
    }
}
