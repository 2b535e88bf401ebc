namespace Scratch.Training;

/// <summary>
/// Metrics of a multi-label classifier: per label the true positives, false positives and false negatives of
/// 0/1 predictions against 0/1 labels, both row-major [n, labels]. Undefined ratios are 0, as in scikit-learn with
/// <c>zero_division=0</c>.
/// </summary>
public sealed class MultiLabelMetrics
{
    private readonly long[] _tp, _fp, _fn;

    private MultiLabelMetrics(int labels, long rows, long exact, long[] tp, long[] fp, long[] fn)
    {
        LabelCount = labels;
        Rows = rows;
        ExactRows = exact;
        _tp = tp;
        _fp = fp;
        _fn = fn;
    }

    /// <summary>Counts <paramref name="predictions"/> against <paramref name="labels"/> ([n, <paramref name="labelCount"/>], each 0 or 1).</summary>
    public static MultiLabelMetrics From(ReadOnlySpan<int> predictions, ReadOnlySpan<int> labels, int labelCount)
    {
        if (labelCount < 1) throw new ArgumentOutOfRangeException(nameof(labelCount), $"multi-label metrics: {labelCount} labels");
        ClassificationMetrics.CheckLengths(predictions.Length, labels.Length, "multi-label metrics", "predictions");
        if (labels.Length % labelCount != 0)
            throw new ArgumentException($"multi-label metrics: {labels.Length} values are not a whole number of rows of {labelCount} labels");
        long rows = labels.Length / labelCount, exact = 0;
        long[] tp = new long[labelCount], fp = new long[labelCount], fn = new long[labelCount];
        for (long r = 0; r < rows; r++)
        {
            bool all = true;
            for (int k = 0; k < labelCount; k++)
            {
                long i = r * labelCount + k;
                int p = predictions[(int)i], y = labels[(int)i];
                if (p is not (0 or 1) || y is not (0 or 1))
                    throw new ArgumentException($"multi-label metrics: row {r}, label {k} has prediction {p} and label {y}; both must be 0 or 1");
                if (p == 1 && y == 1) tp[k]++;
                else if (p == 1) fp[k]++;
                else if (y == 1) fn[k]++;
                all &= p == y;
            }
            if (all) exact++;
        }
        return new MultiLabelMetrics(labelCount, rows, exact, tp, fp, fn);
    }

    /// <summary>Number of labels.</summary>
    public int LabelCount { get; }

    /// <summary>Number of examples.</summary>
    public long Rows { get; }

    /// <summary>Examples whose every label was predicted right.</summary>
    public long ExactRows { get; }

    /// <summary>Subset accuracy: the fraction of examples whose whole label set is right (scikit-learn's <c>accuracy_score</c>).</summary>
    public double SubsetAccuracy => Rows == 0 ? 0 : (double)ExactRows / Rows;

    /// <summary>The fraction of (example, label) cells predicted wrong.</summary>
    public double HammingLoss => Rows == 0 ? 0 : (double)(_fp.Sum() + _fn.Sum()) / (Rows * LabelCount);

    /// <summary>F1 of label <paramref name="k"/>: 2TP / (2TP + FP + FN).</summary>
    public double F1(int k) => Ratio(2 * _tp[k], 2 * _tp[k] + _fp[k] + _fn[k]);

    /// <summary>Precision of label <paramref name="k"/>.</summary>
    public double Precision(int k) => Ratio(_tp[k], _tp[k] + _fp[k]);

    /// <summary>Recall of label <paramref name="k"/>.</summary>
    public double Recall(int k) => Ratio(_tp[k], _tp[k] + _fn[k]);

    /// <summary>The unweighted mean of the per-label F1 scores.</summary>
    public double MacroF1 => Enumerable.Range(0, LabelCount).Average(F1);

    /// <summary>F1 of the counts pooled over all labels.</summary>
    public double MicroF1
    {
        get
        {
            long tp = _tp.Sum();
            return Ratio(2 * tp, 2 * tp + _fp.Sum() + _fn.Sum());
        }
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;
}
