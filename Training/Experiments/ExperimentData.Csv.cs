using CsvHelper;

namespace Scratch.Training;

public sealed partial class ExperimentData
{
    /// <summary>Share of the rows held out as the test split of a CSV file.</summary>
    public const double CsvTestFraction = 0.15;

    /// <summary>
    /// Reads the user's CSV: the target decides the task, the test split (15 %) and then the validation split are held
    /// out (stratified by class for classification and binary), the preprocessing is fitted on the training split only
    /// and applied to all three, and a regression target is standardised with the training split's statistics.
    /// </summary>
    private static ExperimentData LoadCsv(ExperimentOptions options)
    {
        string path = options.Csv!;
        if (!File.Exists(path)) throw new FileNotFoundException($"CSV file '{path}' does not exist", path);
        if (options.Target.Count == 0) throw new ArgumentException("--csv needs --target COLUMN (the column to predict)");
        CsvRawTable raw;
        using (var reader = CsvReader.FromFile(path, CsvTable.ReaderOptions(new CsvLoadOptions { TargetColumn = options.Target[0], Separator = null })))
            raw = CsvRawTable.Read(reader, path);
        if (raw.Rows.Count < 10) throw new InvalidDataException($"{path}: {raw.Rows.Count} data rows are too few to split into train, validation and test");

        string columnList = string.Join(", ", raw.Header);
        int ColumnOf(string name, string option) => Array.IndexOf(raw.Header, name) is int c and >= 0 ? c
            : throw new InvalidDataException($"{path}: {option} names column '{name}', which the file lacks (columns: {columnList})");
        var targetColumns = options.Target.Select(t => ColumnOf(t, "--target")).ToArray();
        foreach (var name in options.Categorical) ColumnOf(name, "--categorical");
        var dropped = options.Drop.Select(d => ColumnOf(d, "--drop")).ToHashSet();
        var featureColumns = Enumerable.Range(0, raw.Header.Length).Where(c => !targetColumns.Contains(c) && !dropped.Contains(c)).ToArray();
        if (featureColumns.Length == 0) throw new InvalidDataException($"{path}: no feature columns are left besides the target");

        var target = TabularTarget.Read(raw, targetColumns, options.Task);
        bool stratify = target.Labels is not null;
        var (rest, test) = StratifiedSplit.Split(raw.Rows.Count, target.Labels, CsvTestFraction, new Generator(options.Seed + 1));
        var restLabels = stratify ? rest.Select(i => target.Labels![i]).ToArray() : null;
        var (trainAt, validationAt) = StratifiedSplit.Split(rest.Length, restLabels, options.ValidationFraction, new Generator(options.Seed + 2));
        int[] train = [.. trainAt.Select(i => rest[i])], validation = [.. validationAt.Select(i => rest[i])];

        var tabular = TabularPreprocessor.Fit(raw, featureColumns, train, options.Categorical.ToHashSet(), options.OneHot);
        var stats = new Dictionary<string, NDArray>();
        Standardizer? targetScaler = null;
        if (target.Task == TaskKind.Regression)
        {
            targetScaler = Standardizer.Fit(NDArray.FromArray(train.Select(i => target.Values![i]).ToArray(), [train.Length, 1]));
            stats["target_mean"] = targetScaler.Mean;
            stats["target_std"] = targetScaler.Std;
        }

        TensorDataset Part(int[] rows)
        {
            var (features, _) = tabular.Transform(raw, rows);
            var inputs = NDArray.FromArray(features, [rows.Length, tabular.FeatureCount]);
            NDArray targets = target.Task switch
            {
                TaskKind.Regression => targetScaler!.Transform(NDArray.FromArray(rows.Select(i => target.Values![i]).ToArray(), [rows.Length, 1])),
                TaskKind.MultiLabel => NDArray.FromArray(rows.SelectMany(i => target.Values!.Skip(i * target.Outputs).Take(target.Outputs)).ToArray(), [rows.Length, target.Outputs]),
                _ => NDArray.FromArray(rows.Select(i => target.Labels![i]).ToArray()),
            };
            return new TensorDataset(inputs, targets);
        }

        int numeric = tabular.Columns.Count(c => c.Kind == TabularColumnKind.Numeric);
        int categorical = tabular.Columns.Count - numeric;
        string encoding = categorical == 0 ? "" : options.OneHot ? " (one-hot)" : $" (embeddings of {string.Join(", ", tabular.Embedded.Select(c => $"{c.Name}: {c.Categories.Count}→{c.EmbeddingDim}"))})";
        int imputed = tabular.Columns.Count(c => c.MissingIndicator);
        return new ExperimentData
        {
            Train = Part(train), Validation = validation.Length == 0 ? null : Part(validation), Test = Part(test),
            InputShape = [tabular.FeatureCount], Task = target.Task, Outputs = target.Outputs, ClassNames = target.Names,
            Tabular = tabular, TrainLabels = stratify ? train.Select(i => target.Labels![i]).ToArray() : null,
            Statistics = stats,
            Description = $"{path}: {raw.Rows.Count} rows; target {string.Join(", ", options.Target)} → {TaskName(target.Task)} ({target.Reason}); " +
                $"{numeric} numeric and {categorical} categorical columns{encoding}; {imputed} with missing cells imputed; {tabular.FeatureCount} features " +
                $"(train {train.Length}, validation {validation.Length}, test {test.Length}{(stratify ? ", stratified" : "")})",
        };
    }

    /// <summary>The task as <c>--task</c> spells it.</summary>
    public static string TaskName(TaskKind task) => task switch
    {
        TaskKind.Classification => "multiclass",
        TaskKind.Binary => "binary",
        TaskKind.MultiLabel => "multilabel",
        _ => "regression",
    };
}
