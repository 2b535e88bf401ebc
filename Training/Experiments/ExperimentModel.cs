namespace Scratch.Training;

/// <summary>Builds the model of a run from its options and data, and the class weights its loss uses.</summary>
public static class ExperimentModel
{
    /// <summary>Hidden widths of the MLP for tables.</summary>
    public static readonly int[] TableHidden = [64, 32];

    /// <summary>
    /// The model <paramref name="model"/> for inputs of <paramref name="inputShape"/>: for CSV data
    /// (<paramref name="tabular"/> set) the MLP is a <see cref="TabularNet"/> with the preprocessing's embeddings,
    /// otherwise <see cref="Models.Create"/>.
    /// </summary>
    public static Module Create(string model, IReadOnlyList<int> inputShape, int outputs, double dropout, TabularPreprocessor? tabular, Generator generator)
    {
        if (tabular is null) return Models.Create(model, inputShape, outputs, dropout, generator);
        if (!string.Equals(model, "mlp", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"model '{model}' needs image input [C, H, W]; a CSV table trains the MLP (use --model mlp)");
        return TabularNet.For(tabular, TableHidden, outputs, dropout, generator);
    }

    /// <summary>
    /// The class weights of <paramref name="option"/>: null for none; "balanced" for n / (k · count) from the training
    /// split (multi-label: negatives / positives per label, PyTorch's suggested <c>pos_weight</c>); or a comma-separated
    /// list, one weight per class (binary: negative, positive; multi-label: per label).
    /// </summary>
    public static double[]? ClassWeights(string? option, ExperimentData data)
    {
        if (string.IsNullOrWhiteSpace(option)) return null;
        int expected = data.Task == TaskKind.Binary ? 2 : data.Outputs;
        if (data.Task == TaskKind.Regression) throw new ArgumentException("--class-weights makes no sense for regression");
        if (option.Equals("balanced", StringComparison.OrdinalIgnoreCase))
        {
            if (data.TrainLabels is { } labels) return TaskLosses.Balanced(labels, expected);
            if (data.Task == TaskKind.MultiLabel)
            {
                var (_, targets) = data.Train.GetBatch(Enumerable.Range(0, data.Train.Count).ToArray());
                var values = targets.To(DType.Float64).ToArray<double>();
                var weights = new double[expected];
                for (int k = 0; k < expected; k++)
                {
                    double positives = 0;
                    for (int r = k; r < values.Length; r += expected) positives += values[r];
                    weights[k] = positives == 0 ? 1 : (data.Train.Count - positives) / positives;
                }
                return weights;
            }
            var (_, all) = data.Train.GetBatch(Enumerable.Range(0, data.Train.Count).ToArray());
            return TaskLosses.Balanced(all.To(DType.Int32).ToArray<int>(), expected);
        }
        var parts = option.Split(',', StringSplitOptions.TrimEntries);
        var parsed = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out parsed[i]) || !(parsed[i] >= 0) || double.IsInfinity(parsed[i]))
                throw new ArgumentException($"--class-weights: '{parts[i]}' is not a weight >= 0 (give 'balanced' or {expected} comma-separated numbers)");
        }
        if (parsed.Length != expected)
        {
            string what = data.Task == TaskKind.Binary ? "2 (negative, positive)" : $"{expected}";
            throw new ArgumentException($"--class-weights: {parsed.Length} weights given, this task needs {what}" +
                (data.ClassNames is { } names ? $" for {string.Join(", ", names)}" : ""));
        }
        return parsed;
    }
}
