using System.Globalization;

namespace Scratch.Training;

/// <summary>
/// Everything a training run's report shows. Build the page with <see cref="ToHtml"/> or <see cref="Save"/>.
/// Charts whose data is absent (no accuracy for regression, no confusion matrix) are left out.
/// </summary>
public sealed record TrainingReport
{
    /// <summary>Page title, e.g. "Fashion-MNIST, small CNN".</summary>
    public required string Title { get; init; }

    /// <summary>One line under the title, e.g. where the data came from.</summary>
    public string? Subtitle { get; init; }

    /// <summary>Run configuration (model, optimizer, batch size, seed, device...), in display order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; init; } = [];

    /// <summary>Per-epoch metrics.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; init; } = [];

    /// <summary>Learning rate per optimizer step, when it changes within epochs (warm-up, cosine...).</summary>
    public IReadOnlyList<(double Step, double LearningRate)> StepLearningRates { get; init; } = [];

    /// <summary>Test metrics (accuracy, macro F1, MAE...), formatted.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> TestMetrics { get; init; } = [];

    /// <summary>Timing (total time, per epoch, throughput...), formatted.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Timing { get; init; } = [];

    /// <summary>Confusion matrix on the test set (classification only).</summary>
    public ConfusionMatrix? Confusion { get; init; }

    /// <summary>Class names for the confusion matrix and per-class chart (default: "0", "1", ...).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>Use a logarithmic axis for the learning-rate chart (for schedules spanning decades).</summary>
    public bool LogLearningRate { get; init; }

    /// <summary>Builds the report page.</summary>
    public HtmlReport Build()
    {
        var report = new HtmlReport(Title, Subtitle);

        report.Section("Summary");
        if (Config.Count > 0) report.KeyValueTable("Run configuration", Config);
        if (TestMetrics.Count > 0) report.KeyValueTable("Test metrics", TestMetrics);
        if (Timing.Count > 0) report.KeyValueTable("Timing", Timing);

        if (Epochs.Count > 0)
        {
            report.Section("Training curves");
            var epochs = Epochs.Select(e => (double)e.Epoch).ToArray();
            var loss = new SvgLineChart("Loss", "epoch", "loss").Add("train", epochs, Values(e => e.TrainLoss));
            if (Epochs.Any(e => e.ValidationLoss is not null))
                loss.Add("validation", epochs, Values(e => e.ValidationLoss), ChartPalette.At(1), dashed: true);
            report.Chart(loss);

            if (Epochs.Any(e => e.TrainAccuracy is not null || e.ValidationAccuracy is not null))
            {
                var accuracy = new SvgLineChart("Accuracy", "epoch", "accuracy");
                if (Epochs.Any(e => e.TrainAccuracy is not null)) accuracy.Add("train", epochs, Values(e => e.TrainAccuracy), ChartPalette.At(0));
                if (Epochs.Any(e => e.ValidationAccuracy is not null))
                    accuracy.Add("validation", epochs, Values(e => e.ValidationAccuracy), ChartPalette.At(1), dashed: true);
                report.Chart(accuracy);
            }
        }

        var learningRate = LearningRateChart();
        if (learningRate is not null) report.Chart(learningRate);

        if (Confusion is not null)
        {
            var names = ClassNames ?? [.. Enumerable.Range(0, Confusion.ClassCount).Select(i => i.ToString(CultureInfo.InvariantCulture))];
            report.Section("Test set");
            report.Chart(SvgHeatmap.FromConfusionMatrix(Confusion, names, "Confusion matrix (test)"));
            report.Chart(new SvgBarChart("Per-class accuracy (test)", names, Confusion.PerClassAccuracy(), "accuracy")
            {
                Percent = true,
                YMax = 1,
                ReferenceValue = Confusion.Accuracy,
                ReferenceLabel = "overall",
            });
            report.Table("Per-class metrics (test)", ["class", "support", "precision", "recall", "F1"],
                Enumerable.Range(0, Confusion.ClassCount).Select(c => (IReadOnlyList<string>)
                [
                    names[c], Confusion.Support(c).ToString(CultureInfo.InvariantCulture),
                    F(Confusion.Precision(c)), F(Confusion.Recall(c)), F(Confusion.F1(c)),
                ]));
        }
        return report;
    }

    /// <summary>The report as one self-contained HTML page.</summary>
    public string ToHtml() => Build().ToHtml();

    /// <summary>Writes the report to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => Build().Save(path);

    private SvgLineChart? LearningRateChart()
    {
        if (StepLearningRates.Count > 0)
        {
            return new SvgLineChart("Learning rate", "step", "learning rate") { LogY = LogLearningRate, MaxMarkers = 0 }
                .Add("learning rate", [.. StepLearningRates.Select(s => s.Step)], [.. StepLearningRates.Select(s => s.LearningRate)], ChartPalette.At(2));
        }
        if (Epochs.Any(e => e.LearningRate is not null))
        {
            return new SvgLineChart("Learning rate", "epoch", "learning rate") { LogY = LogLearningRate }
                .Add("learning rate", [.. Epochs.Select(e => (double)e.Epoch)], Values(e => e.LearningRate), ChartPalette.At(2));
        }
        return null;
    }

    private double[] Values(Func<EpochRecord, double?> select) => [.. Epochs.Select(e => select(e) ?? double.NaN)];

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
