namespace Scratch.Training;

/// <summary>Collects the outputs and targets of evaluation batches and turns them into an <see cref="EvaluationResult"/> for the task.</summary>
internal sealed class EvaluationAccumulator(TaskKind task, double threshold)
{
    private readonly List<int> _predictions = [];
    private readonly List<int> _labels = [];
    private readonly List<double> _scores = [];
    private readonly List<double> _outputs = [];
    private readonly List<double> _targets = [];
    private int _classes;
    private long _top5;
    private double _lossSum;
    private int _count;

    /// <summary>Examples added so far.</summary>
    public int Count => _count;

    /// <summary>Adds one batch: its mean loss, outputs and targets.</summary>
    public void Add(double meanLoss, NDArray output, NDArray target)
    {
        int n = output.Rank == 0 ? 1 : output.Shape[0];
        _lossSum += meanLoss * n;
        _count += n;
        switch (task)
        {
            case TaskKind.Classification:
            {
                var predicted = TaskOutputs.PredictClasses(task, output, threshold);
                var labels = TaskOutputs.ClassLabels(target, predicted.Length);
                _classes = output.Shape[1];
                _predictions.AddRange(predicted);
                _labels.AddRange(labels);
                if (_classes > 5)
                    _top5 += (long)Math.Round(ClassificationMetrics.TopKAccuracy<double>(output.To(DType.Float64).ToArray<double>(), _classes, labels, 5) * n);
                break;
            }
            case TaskKind.Binary:
            {
                var probabilities = TaskOutputs.Probabilities(output, task);
                var labels = TaskOutputs.BinaryLabels(target, probabilities.Length, "binary");
                _scores.AddRange(probabilities);
                _labels.AddRange(labels);
                _predictions.AddRange(probabilities.Select(p => TaskOutputs.Positive(p, threshold)));
                break;
            }
            case TaskKind.MultiLabel:
            {
                var probabilities = TaskOutputs.Probabilities(output, task);
                _classes = output.Shape[1];
                _labels.AddRange(TaskOutputs.BinaryLabels(target, probabilities.Length, "multi-label"));
                _predictions.AddRange(probabilities.Select(p => TaskOutputs.Positive(p, threshold)));
                break;
            }
            default:
            {
                var values = output.To(DType.Float64).ToArray<double>();
                var targets = target.To(DType.Float64).ToArray<double>();
                if (values.Length != targets.Length)
                    throw new ArgumentException($"regression task: the model gave {output.ShapeString} for targets {target.ShapeString}");
                _outputs.AddRange(values);
                _targets.AddRange(targets);
                break;
            }
        }
    }

    /// <summary>The metrics of everything added, with <paramref name="examplesPerSecond"/> recorded.</summary>
    public EvaluationResult Result(double examplesPerSecond)
    {
        double meanLoss = _count == 0 ? double.NaN : _lossSum / _count;
        var result = new EvaluationResult { Loss = meanLoss, Count = _count, ExamplesPerSecond = examplesPerSecond };
        if (_count == 0) return result;
        switch (task)
        {
            case TaskKind.Classification:
            {
                var confusion = ConfusionMatrix.From(_predictions.ToArray(), _labels.ToArray(), _classes);
                return result with
                {
                    Accuracy = confusion.Accuracy, Confusion = confusion, Top5Accuracy = _classes > 5 ? (double)_top5 / _count : null,
                };
            }
            case TaskKind.Binary:
            {
                var labels = _labels.ToArray();
                var scores = _scores.ToArray();
                var confusion = ConfusionMatrix.From(_predictions.ToArray(), labels, 2);
                return result with
                {
                    Accuracy = confusion.Accuracy, Confusion = confusion, Threshold = threshold,
                    RocAuc = BinaryMetrics.RocAuc(scores, labels), PrAuc = BinaryMetrics.AveragePrecision(scores, labels),
                };
            }
            case TaskKind.MultiLabel:
            {
                var metrics = MultiLabelMetrics.From(_predictions.ToArray(), _labels.ToArray(), _classes);
                return result with { Accuracy = metrics.SubsetAccuracy, MultiLabel = metrics, Threshold = threshold };
            }
            default:
            {
                var p = _outputs.ToArray();
                var t = _targets.ToArray();
                return result with
                {
                    Mae = RegressionMetrics.MeanAbsoluteError<double>(p, t),
                    Rmse = RegressionMetrics.RootMeanSquaredError<double>(p, t),
                    R2 = RegressionMetrics.R2Score<double>(p, t),
                };
            }
        }
    }
}
