namespace Scratch.Training;

/// <summary>Turns a batch of model outputs into predictions for a <see cref="TaskKind"/>, checking the shapes first.</summary>
internal static class TaskOutputs
{
    /// <summary>Predicted class per row (classification: arg-max; binary: probability ≥ threshold).</summary>
    public static int[] PredictClasses(TaskKind task, NDArray output, double threshold) => task switch
    {
        TaskKind.Classification => ArgMax(output),
        TaskKind.Binary => Array.ConvertAll(Probabilities(output, task), p => Positive(p, threshold)),
        _ => throw new ArgumentException($"{task} has no single class per row"),
    };

    /// <summary>1 when probability <paramref name="p"/> reaches <paramref name="threshold"/>, else 0: the one rule every binary and multi-label prediction follows.</summary>
    public static int Positive(double p, double threshold) => p >= threshold ? 1 : 0;

    /// <summary>Sigmoid of the logits, row-major: [N] for binary (after checking the output is [N] or [N, 1]), [N·K] for multi-label.</summary>
    public static double[] Probabilities(NDArray output, TaskKind task)
    {
        if (task == TaskKind.Binary && !(output.Rank == 1 || (output.Rank == 2 && output.Shape[1] == 1)))
            throw new ArgumentException($"binary task: the model must give one logit per example, [N] or [N, 1]; it gave {output.ShapeString}");
        if (task == TaskKind.MultiLabel && output.Rank != 2)
            throw new ArgumentException($"multi-label task: the model must give [N, labels] logits; it gave {output.ShapeString}");
        var logits = output.To(DType.Float64).ToArray<double>();
        return Array.ConvertAll(logits, x => 1 / (1 + Math.Exp(-x)));
    }

    /// <summary>The 0/1 labels of a binary or multi-label target, with as many values as <paramref name="expected"/>.</summary>
    public static int[] BinaryLabels(NDArray target, int expected, string task)
    {
        var values = target.To(DType.Float64).ToArray<double>();
        if (values.Length != expected)
            throw new ArgumentException($"{task} task: {expected} outputs but the target {target.ShapeString} has {values.Length} values");
        var labels = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            labels[i] = values[i] switch
            {
                0 => 0,
                1 => 1,
                _ => throw new ArgumentException($"{task} task: target value {values[i]} at position {i} is not 0 or 1"),
            };
        }
        return labels;
    }

    /// <summary>Class labels of a classification target [N], matching the output's rows.</summary>
    public static int[] ClassLabels(NDArray target, int rows)
    {
        var labels = target.To(DType.Int32).ToArray<int>();
        if (labels.Length != rows)
            throw new ArgumentException($"classification task: {rows} output rows but the target {target.ShapeString} has {labels.Length} labels");
        return labels;
    }

    /// <summary>How many examples of the batch are predicted right (multi-label: every label of the example right).</summary>
    public static long CountCorrect(TaskKind task, NDArray output, NDArray target, double threshold)
    {
        switch (task)
        {
            case TaskKind.Classification:
            case TaskKind.Binary:
            {
                var predicted = PredictClasses(task, output, threshold);
                var labels = task == TaskKind.Binary ? BinaryLabels(target, predicted.Length, "binary") : ClassLabels(target, predicted.Length);
                long correct = 0;
                for (int i = 0; i < labels.Length; i++) if (predicted[i] == labels[i]) correct++;
                return correct;
            }
            case TaskKind.MultiLabel:
            {
                var probabilities = Probabilities(output, task);
                var labels = BinaryLabels(target, probabilities.Length, "multi-label");
                int k = output.Shape[1];
                long correct = 0;
                for (int r = 0; r < output.Shape[0]; r++)
                {
                    bool all = true;
                    for (int j = 0; j < k && all; j++) all = Positive(probabilities[r * k + j], threshold) == labels[r * k + j];
                    if (all) correct++;
                }
                return correct;
            }
            default:
                throw new ArgumentException($"{task} has no accuracy");
        }
    }

    private static int[] ArgMax(NDArray output)
    {
        if (output.Rank != 2)
            throw new ArgumentException($"classification task: the model must give [N, classes] logits; it gave {output.ShapeString}");
        if (output.Shape[1] == 1)
            throw new ArgumentException($"classification task: one output per example {output.ShapeString} cannot be an arg-max over classes (a single logit is a binary task: TaskKind.Binary)");
        return ClassificationMetrics.ArgMax<double>(output.To(DType.Float64).ToArray<double>(), output.Shape[1]);
    }
}
