using System.Globalization;

namespace Scratch.Training;

/// <summary>The target column(s) of a CSV table read for a task, the task chosen when asked to detect it.</summary>
internal sealed record TabularTarget
{
    /// <summary>The task.</summary>
    public required TaskKind Task { get; init; }
    /// <summary>Classification and binary: the class index of each row.</summary>
    public int[]? Labels { get; init; }
    /// <summary>Regression and multi-label: the values, row-major [rows, columns].</summary>
    public float[]? Values { get; init; }
    /// <summary>Class names (classification, binary) or label names (multi-label: the target columns).</summary>
    public IReadOnlyList<string>? Names { get; init; }
    /// <summary>Number of model outputs.</summary>
    public required int Outputs { get; init; }
    /// <summary>Why this task, for the log.</summary>
    public required string Reason { get; init; }

    /// <summary>Largest number of distinct integer values a numeric target may have to be detected as classes.</summary>
    public const int MaxDetectedClasses = 10;

    /// <summary>
    /// Reads the target <paramref name="columns"/> of <paramref name="raw"/> for <paramref name="task"/> ("auto", "binary",
    /// "multiclass", "multilabel" or "regression"). Auto: several columns are multi-label; one column of text is binary
    /// with 2 values and multiclass with more; a numeric column is binary with 2 values, multiclass when it holds at most
    /// <see cref="MaxDetectedClasses"/> distinct integers, and regression otherwise.
    /// </summary>
    public static TabularTarget Read(CsvRawTable raw, IReadOnlyList<int> columns, string task)
    {
        string names = string.Join(", ", columns.Select(c => raw.Header[c]));
        string reason = "as asked (--task)";
        task = task.ToLowerInvariant();
        if (task == "auto")
        {
            if (columns.Count > 1) (task, reason) = ("multilabel", $"{columns.Count} target columns");
            else (task, reason) = Detect(raw, columns[0]);
        }
        if (task != "multilabel" && columns.Count > 1)
            throw new ArgumentException($"--task {task} takes one target column; {columns.Count} were given ({names})");
        switch (task)
        {
            case "regression":
            {
                var values = CsvColumnEncoder.ParseNumbers(raw, columns[0]);
                return new TabularTarget { Task = TaskKind.Regression, Values = Array.ConvertAll(values, v => (float)v), Outputs = 1, Reason = reason };
            }
            case "binary":
            case "multiclass":
            {
                var (labels, classes) = CsvTable.EncodeClasses(raw, columns[0], null);
                if (task == "binary" && classes.Length != 2)
                    throw new InvalidDataException($"{raw.Source}, column '{raw.Header[columns[0]]}': a binary target needs 2 classes, found {classes.Length} ({Sample(classes)})");
                if (classes.Length < 2)
                    throw new InvalidDataException($"{raw.Source}, column '{raw.Header[columns[0]]}': the target has only one class ({Sample(classes)})");
                return task == "binary"
                    ? new TabularTarget { Task = TaskKind.Binary, Labels = labels, Names = classes, Outputs = 1, Reason = reason }
                    : new TabularTarget { Task = TaskKind.Classification, Labels = labels, Names = classes, Outputs = classes.Length, Reason = reason };
            }
            case "multilabel":
            {
                var values = new float[raw.Rows.Count * columns.Count];
                for (int j = 0; j < columns.Count; j++)
                {
                    var column = CsvColumnEncoder.ParseNumbers(raw, columns[j]);
                    for (int r = 0; r < column.Length; r++)
                    {
                        if (column[r] is not (0 or 1))
                            throw new InvalidDataException($"{raw.Where(r, columns[j])}: a multi-label target must be 0 or 1, got '{raw.Rows[r][columns[j]]}'");
                        values[r * columns.Count + j] = (float)column[r];
                    }
                }
                return new TabularTarget
                {
                    Task = TaskKind.MultiLabel, Values = values, Names = [.. columns.Select(c => raw.Header[c])], Outputs = columns.Count, Reason = reason,
                };
            }
            default:
                throw new ArgumentException($"unknown task '{task}' (known: auto, binary, multiclass, multilabel, regression)");
        }
    }

    private static (string Task, string Reason) Detect(CsvRawTable raw, int column)
    {
        var distinct = raw.Rows.Select(r => r[column]).Where(c => c.Length > 0).Distinct().ToArray();
        var numbers = distinct.Select(c => CsvColumnEncoder.TryParseNumber(c, out double v) ? v : (double?)null).ToArray();
        if (numbers.Any(n => n is null))
            return distinct.Length == 2 ? ("binary", "2 distinct labels") : ("multiclass", $"{distinct.Length} distinct text labels");
        if (distinct.Length == 2) return ("binary", "2 distinct values");
        if (distinct.Length <= MaxDetectedClasses && numbers.All(n => n == Math.Floor(n!.Value)))
            return ("multiclass", $"{distinct.Length} distinct integer values");
        return ("regression", $"{distinct.Length.ToString(CultureInfo.InvariantCulture)} distinct numeric values");
    }

    private static string Sample(string[] classes) => string.Join(", ", classes.Take(5)) + (classes.Length > 5 ? ", …" : "");
}
