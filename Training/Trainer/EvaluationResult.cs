namespace Scratch.Training;

/// <summary>A model's metrics on one dataset.</summary>
public sealed record EvaluationResult
{
    /// <summary>Mean loss.</summary>
    public required double Loss { get; init; }
    /// <summary>Number of examples.</summary>
    public required int Count { get; init; }
    /// <summary>Accuracy (classification).</summary>
    public double? Accuracy { get; init; }
    /// <summary>Top-5 accuracy (classification with more than 5 classes).</summary>
    public double? Top5Accuracy { get; init; }
    /// <summary>Confusion matrix (classification).</summary>
    public ConfusionMatrix? Confusion { get; init; }
    /// <summary>Mean absolute error (regression).</summary>
    public double? Mae { get; init; }
    /// <summary>Root mean squared error (regression).</summary>
    public double? Rmse { get; init; }
    /// <summary>Coefficient of determination (regression).</summary>
    public double? R2 { get; init; }
    /// <summary>The probability at or above which a binary or multi-label output counts as positive.</summary>
    public double? Threshold { get; init; }
    /// <summary>Area under the ROC curve (binary; NaN when the data hold one class only).</summary>
    public double? RocAuc { get; init; }
    /// <summary>Area under the precision–recall curve as average precision (binary).</summary>
    public double? PrAuc { get; init; }
    /// <summary>Per-label and pooled counts (multi-label); <see cref="Accuracy"/> is then the subset accuracy.</summary>
    public MultiLabelMetrics? MultiLabel { get; init; }
    /// <summary>Examples per second during evaluation.</summary>
    public double ExamplesPerSecond { get; init; }

    /// <summary>Names of the classes or labels, for <see cref="Describe"/> (null: their indices).</summary>
    public IReadOnlyList<string>? LabelNames { get; init; }

    private string LabelName(int k) => LabelNames is { } names && k < names.Count ? names[k] : $"label {k}";

    /// <summary>Named values for tables and logs.</summary>
    public IEnumerable<KeyValuePair<string, string>> Describe()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        yield return new("loss", Loss.ToString("F4", c));
        if (Accuracy is double a) yield return new(MultiLabel is null ? "accuracy" : "subset accuracy", a.ToString("P2", c));
        if (Threshold is double th) yield return new("threshold", th.ToString("G4", c));
        if (RocAuc is double roc) yield return new("ROC AUC", roc.ToString("F4", c));
        if (PrAuc is double pr) yield return new("PR AUC", pr.ToString("F4", c));
        if (MultiLabel is { } ml)
        {
            yield return new("micro F1", ml.MicroF1.ToString("F4", c));
            yield return new("macro F1", ml.MacroF1.ToString("F4", c));
            yield return new("Hamming loss", ml.HammingLoss.ToString("F4", c));
            for (int k = 0; k < ml.LabelCount; k++) yield return new($"F1 of {LabelName(k)}", ml.F1(k).ToString("F4", c));
        }
        if (Top5Accuracy is double t) yield return new("top-5 accuracy", t.ToString("P2", c));
        if (Confusion is { } m)
        {
            yield return new("macro precision", m.MacroPrecision.ToString("F4", c));
            yield return new("macro recall", m.MacroRecall.ToString("F4", c));
            yield return new("macro F1", m.MacroF1.ToString("F4", c));
        }
        if (Mae is double mae) yield return new("MAE", mae.ToString("F4", c));
        if (Rmse is double rmse) yield return new("RMSE", rmse.ToString("F4", c));
        if (R2 is double r2) yield return new("R²", r2.ToString("F4", c));
        yield return new("examples", Count.ToString(c));
    }
}
