namespace Scratch.Training;

/// <summary>
/// Counts of (actual class, predicted class) pairs, and the metrics derived from them. Where a metric is undefined
/// (precision of a class never predicted, recall of a class that never occurs) it is 0, as in scikit-learn with
/// <c>zero_division=0</c>; macro averages include every class.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    /// <summary>Creates an empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), $"confusion matrix: classes = {classes} must be positive");
        ClassCount = classes;
        _counts = new long[classes * classes];
    }

    /// <summary>Builds the matrix of <paramref name="predictions"/> against <paramref name="labels"/>.</summary>
    public static ConfusionMatrix From(ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels, int classes)
    {
        var matrix = new ConfusionMatrix(classes);
        matrix.Add(predictions, labels);
        return matrix;
    }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The number of examples of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[Index(actual, predicted)];

    /// <summary>Total number of examples counted.</summary>
    public long Total { get; private set; }

    /// <summary>Number of correctly classified examples (the diagonal).</summary>
    public long Correct => Enumerable.Range(0, ClassCount).Sum(c => this[c, c]);

    /// <summary>Fraction of examples classified correctly (0 when empty).</summary>
    public double Accuracy => Total == 0 ? 0 : (double)Correct / Total;

    /// <summary>Adds one example of class <paramref name="actual"/> predicted as <paramref name="predicted"/>.</summary>
    public void Add(int predicted, int actual)
    {
        _counts[Index(actual, predicted)]++;
        Total++;
    }

    /// <summary>Adds one example per pair of <paramref name="predictions"/> and <paramref name="labels"/>.</summary>
    public void Add(ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels)
    {
        if (predictions.Length != labels.Length)
            throw new ArgumentException($"confusion matrix: {predictions.Length} predictions but {labels.Length} labels");
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)ClassCount || (uint)predictions[i] >= (uint)ClassCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"confusion matrix: example {i} has label {labels[i]} and prediction {predictions[i]}; classes are 0..{ClassCount - 1}");
            }
            _counts[labels[i] * ClassCount + predictions[i]]++;
            Total++;
        }
    }

    /// <summary>Number of examples whose actual class is <paramref name="c"/> (the row sum).</summary>
    public long Support(int c) => Enumerable.Range(0, ClassCount).Sum(p => this[c, p]);

    /// <summary>Number of examples predicted as class <paramref name="c"/> (the column sum).</summary>
    public long PredictedCount(int c) => Enumerable.Range(0, ClassCount).Sum(a => this[a, c]);

    /// <summary>Recall of class <paramref name="c"/>: correct / support. This is the class's accuracy.</summary>
    public double Recall(int c) => Ratio(this[c, c], Support(c));

    /// <summary>Precision of class <paramref name="c"/>: correct / predicted as c.</summary>
    public double Precision(int c) => Ratio(this[c, c], PredictedCount(c));

    /// <summary>F1 score of class <paramref name="c"/>: the harmonic mean of its precision and recall.</summary>
    public double F1(int c)
    {
        // 2TP / (2TP + FP + FN) equals 2PR/(P+R) and stays defined when one of them is 0.
        long tp = this[c, c];
        return Ratio(2 * tp, Support(c) + PredictedCount(c));
    }

    /// <summary>Accuracy of each class (its recall), indexed by class.</summary>
    public double[] PerClassAccuracy() => [.. Enumerable.Range(0, ClassCount).Select(Recall)];

    /// <summary>Unweighted mean of the per-class precisions.</summary>
    public double MacroPrecision => Enumerable.Range(0, ClassCount).Average(Precision);

    /// <summary>Unweighted mean of the per-class recalls.</summary>
    public double MacroRecall => Enumerable.Range(0, ClassCount).Average(Recall);

    /// <summary>Unweighted mean of the per-class F1 scores (scikit-learn's <c>f1_score(average="macro")</c>).</summary>
    public double MacroF1 => Enumerable.Range(0, ClassCount).Average(F1);

    /// <summary>The counts as a [ClassCount, ClassCount] array, rows = actual class, columns = predicted class.</summary>
    public long[,] ToArray()
    {
        var result = new long[ClassCount, ClassCount];
        for (int a = 0; a < ClassCount; a++)
            for (int p = 0; p < ClassCount; p++)
                result[a, p] = this[a, p];
        return result;
    }

    private int Index(int actual, int predicted)
    {
        if ((uint)actual >= (uint)ClassCount || (uint)predicted >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(nameof(actual), $"confusion matrix: ({actual}, {predicted}) is outside 0..{ClassCount - 1}");
        return actual * ClassCount + predicted;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
