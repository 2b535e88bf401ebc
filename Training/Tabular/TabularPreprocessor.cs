using System.Text.Json;
using CsvHelper;

namespace Scratch.Training;

/// <summary>
/// Turns the feature columns of a CSV table into one float matrix, with every statistic fitted on the training
/// rows only: numeric columns are imputed with their median and standardised; categorical columns are imputed with
/// their mode and become an embedding index (entity embeddings) or one-hot features; a column with missing cells in
/// the training split adds a 0/1 missing-indicator feature. It is saved as JSON in the checkpoint, so prediction
/// repeats exactly these steps.
/// </summary>
/// <remarks>
/// Feature layout: the embedding indices of the embedded categorical columns first (in column order, one each, as
/// <see cref="TabularNet"/> expects), then the standardised numbers, then the one-hot blocks, then the indicators.
/// A cell is missing when it is empty or one of <see cref="MissingMarkers"/>. A category not seen in the training
/// split is treated as missing.
/// </remarks>
public sealed class TabularPreprocessor
{
    /// <summary>Cell texts read as a missing value (besides the empty cell), as pandas reads them by default.</summary>
    public static IReadOnlySet<string> MissingMarkers { get; } = new HashSet<string>(StringComparer.Ordinal)
        { "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "#N/A" };

    private readonly Dictionary<string, int>[] _index;

    /// <summary>Creates a preprocessor from fitted columns (e.g. read back from a checkpoint).</summary>
    public TabularPreprocessor(IReadOnlyList<TabularColumn> columns)
    {
        Columns = columns;
        _index = [.. columns.Select(c =>
        {
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int k = 0; k < c.Categories.Count; k++) map[c.Categories[k]] = k;
            return map;
        })];
        var names = new List<string>();
        names.AddRange(Embedded.Select(c => c.Name));
        names.AddRange(columns.Where(c => c.Kind == TabularColumnKind.Numeric).Select(c => c.Name));
        foreach (var c in columns.Where(c => c.Kind == TabularColumnKind.Categorical && c.EmbeddingDim == 0))
            names.AddRange(c.Categories.Select(v => $"{c.Name}={v}"));
        names.AddRange(columns.Where(c => c.MissingIndicator).Select(c => $"{c.Name} (missing)"));
        FeatureNames = names;
    }

    /// <summary>The feature columns in the order of the file that was fitted.</summary>
    public IReadOnlyList<TabularColumn> Columns { get; }

    /// <summary>One name per feature, in the layout described above.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>Number of features per row.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>The categorical columns that become embeddings, in the order of their index features.</summary>
    public IReadOnlyList<TabularColumn> Embedded => [.. Columns.Where(c => c.Kind == TabularColumnKind.Categorical && c.EmbeddingDim > 0)];

    /// <summary>
    /// The embedding size of a column with <paramref name="cardinality"/> categories: min(50, ⌈cardinality / 2⌉),
    /// the rule of thumb of fast.ai's course for entity embeddings (Guo &amp; Berkhahn, 2016) — half the categories,
    /// at most 50.
    /// </summary>
    public static int EmbeddingSize(int cardinality) => Math.Clamp((cardinality + 1) / 2, 1, 50);

    /// <summary>Whether <paramref name="cell"/> (trimmed) counts as missing.</summary>
    public static bool IsMissing(string cell) => cell.Length == 0 || MissingMarkers.Contains(cell);

    /// <summary>The columns as JSON, for a checkpoint.</summary>
    public string ToJson() => JsonSerializer.Serialize(Columns);

    /// <summary>Reads columns written by <see cref="ToJson"/>.</summary>
    /// <exception cref="InvalidDataException">The text is not such JSON.</exception>
    public static TabularPreprocessor FromJson(string json, string source)
    {
        try
        {
            var columns = JsonSerializer.Deserialize<List<TabularColumn>>(json) ?? throw new JsonException("null");
            return new TabularPreprocessor(columns);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: the saved table preprocessing is malformed ({e.Message})", e);
        }
    }

    /// <summary>
    /// Fits the columns <paramref name="columns"/> of <paramref name="raw"/> on <paramref name="trainRows"/>. A column is
    /// categorical when listed in <paramref name="categorical"/> or when none of its cells is a number; one whose cells
    /// are mostly numbers with some text is an error at its first bad cell (a typo far more often than a category).
    /// </summary>
    internal static TabularPreprocessor Fit(CsvRawTable raw, IReadOnlyList<int> columns, IReadOnlyList<int> trainRows,
        IReadOnlySet<string> categorical, bool oneHot)
    {
        if (trainRows.Count == 0) throw new InvalidDataException($"{raw.Source}: no rows to fit the preprocessing on");
        var fitted = new List<TabularColumn>();
        foreach (int c in columns)
        {
            string name = raw.Header[c];
            bool missingInTrain = trainRows.Any(r => IsMissing(raw.Rows[r][c]));
            if (categorical.Contains(name) || !IsNumeric(raw, c))
            {
                var counts = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (int r in trainRows)
                {
                    string cell = raw.Rows[r][c];
                    if (!IsMissing(cell)) counts[cell] = counts.GetValueOrDefault(cell) + 1;
                }
                if (counts.Count == 0) throw new InvalidDataException($"{raw.Source}, column '{name}': every cell of the training split is missing");
                string[] categories = [.. counts.Keys.Order(StringComparer.Ordinal)];
                string mode = categories.MaxBy(v => counts[v])!;
                fitted.Add(new TabularColumn
                {
                    Name = name, Kind = TabularColumnKind.Categorical, Categories = categories, Mode = mode,
                    MissingIndicator = missingInTrain, EmbeddingDim = oneHot ? 0 : EmbeddingSize(categories.Length),
                });
                continue;
            }
            var values = trainRows.Where(r => !IsMissing(raw.Rows[r][c])).Select(r => Number(raw, r, c)).ToArray();
            if (values.Length == 0) throw new InvalidDataException($"{raw.Source}, column '{name}': every cell of the training split is missing");
            double median = Median(values);
            var imputed = trainRows.Select(r => IsMissing(raw.Rows[r][c]) ? median : Number(raw, r, c)).ToArray();
            var scaler = Standardizer.Fit(NDArray.FromArray(imputed));
            fitted.Add(new TabularColumn
            {
                Name = name, Kind = TabularColumnKind.Numeric, Median = median, Mean = scaler.Mean.Item(), Std = scaler.Std.Item(),
                MissingIndicator = missingInTrain,
            });
        }
        return new TabularPreprocessor(fitted);
    }

    /// <summary>
    /// Reads the feature columns of a CSV file (in any column order; other columns are ignored) and transforms every
    /// row; also returns the line each row starts on and how many categorical cells were unseen in training.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed, lacks a feature column, or has a cell that is not a number in a numeric column.</exception>
    public (float[] Features, int Rows, int Unseen, long[] Lines) TransformFile(string path)
    {
        using var reader = CsvReader.FromFile(path, CsvTable.ReaderOptions(new CsvLoadOptions { TargetColumn = "", Separator = null }));
        var raw = CsvRawTable.Read(reader, path);
        var (features, unseen) = Transform(raw, Enumerable.Range(0, raw.Rows.Count).ToArray());
        return (features, raw.Rows.Count, unseen, [.. raw.Lines]);
    }

    /// <summary>The features of <paramref name="rows"/> of <paramref name="raw"/>, row-major [rows, <see cref="FeatureCount"/>], and how many categorical cells were unseen.</summary>
    internal (float[] Features, int Unseen) Transform(CsvRawTable raw, IReadOnlyList<int> rows)
    {
        var at = new int[Columns.Count];
        for (int j = 0; j < Columns.Count; j++)
        {
            at[j] = Array.IndexOf(raw.Header, Columns[j].Name);
            if (at[j] < 0) throw new InvalidDataException($"{raw.Source}: no column '{Columns[j].Name}', which the model was trained on (columns: {string.Join(", ", raw.Header)})");
        }
        int f = FeatureCount, unseen = 0;
        int embeddedCount = Embedded.Count, numericCount = Columns.Count(c => c.Kind == TabularColumnKind.Numeric);
        int indicatorCount = Columns.Count(c => c.MissingIndicator);
        var features = new float[(long)rows.Count * f];
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            var row = features.AsSpan(i * f, f);
            int embedded = 0, numeric = embeddedCount, oneHot = embeddedCount + numericCount, indicator = f - indicatorCount;
            for (int j = 0; j < Columns.Count; j++)
            {
                var column = Columns[j];
                string cell = raw.Rows[r][at[j]];
                bool missing = IsMissing(cell);
                if (column.Kind == TabularColumnKind.Numeric)
                {
                    double value = missing ? column.Median : Number(raw, r, at[j]);
                    row[numeric++] = (float)((value - column.Mean) / column.Std);
                }
                else
                {
                    if (!missing && !_index[j].ContainsKey(cell))
                    {
                        unseen++;
                        missing = true;
                    }
                    int k = _index[j][missing ? column.Mode! : cell];
                    if (column.EmbeddingDim > 0) row[embedded++] = k;
                    else
                    {
                        row[oneHot + k] = 1;
                        oneHot += column.Categories.Count;
                    }
                }
                if (column.MissingIndicator) row[indicator++] = missing ? 1 : 0;
            }
        }
        return (features, unseen);
    }

    private static bool IsNumeric(CsvRawTable raw, int column)
    {
        int numbers = 0, present = 0, firstText = -1;
        for (int r = 0; r < raw.Rows.Count; r++)
        {
            string cell = raw.Rows[r][column];
            if (IsMissing(cell)) continue;
            present++;
            if (CsvColumnEncoder.TryParseNumber(cell, out _)) numbers++;
            else if (firstText < 0) firstText = r;
        }
        if (firstText < 0) return present > 0;
        if (numbers * 2 <= present) return false;
        throw new InvalidDataException(
            $"{raw.Where(firstText, column)}: '{raw.Rows[firstText][column]}' is not a number, but {numbers} of the column's " +
            $"{present} filled cells are (list the column with --categorical if it is categorical)");
    }

    private static double Number(CsvRawTable raw, int row, int column)
    {
        string cell = raw.Rows[row][column];
        return CsvColumnEncoder.TryParseNumber(cell, out double value) ? value
            : throw new InvalidDataException($"{raw.Where(row, column)}: cannot read '{cell}' as a finite number");
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
