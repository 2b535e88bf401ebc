using System.Globalization;
using CsvHelper;

namespace Scratch.Training;

/// <summary>
/// A CSV file read as a feature matrix and a target, for tabular classification or regression. Numeric columns are
/// parsed with the invariant culture; columns of text are categorical: their values become indices into a sorted
/// vocabulary (kept, e.g. for an embedding) or one-hot features. Every error names the file, line and column.
/// </summary>
public sealed class CsvTable
{
    private CsvTable(
        string source, int rowCount, string[] featureNames, CsvCategoricalColumn[] categorical, double[] features,
        string targetColumn, TargetKind targetKind, int[] labels, string[] classNames, double[] targets)
    {
        Source = source;
        RowCount = rowCount;
        FeatureNames = featureNames;
        CategoricalColumns = categorical;
        Features = features;
        TargetColumn = targetColumn;
        TargetKind = targetKind;
        Labels = labels;
        ClassNames = classNames;
        Targets = targets;
    }

    /// <summary>The file the table was read from.</summary>
    public string Source { get; }

    /// <summary>Number of data rows (examples).</summary>
    public int RowCount { get; }

    /// <summary>Number of features per row (after one-hot expansion, if chosen).</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>One name per feature: the column name, or "column=category" for a one-hot feature.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The categorical feature columns with their vocabularies, in column order.</summary>
    public IReadOnlyList<CsvCategoricalColumn> CategoricalColumns { get; }

    /// <summary>The features, row-major: [<see cref="RowCount"/>, <see cref="FeatureCount"/>].</summary>
    public double[] Features { get; }

    /// <summary>The name of the target column.</summary>
    public string TargetColumn { get; }

    /// <summary>Whether <see cref="Labels"/> or <see cref="Targets"/> holds the target.</summary>
    public TargetKind TargetKind { get; }

    /// <summary>Classification: one class index (0..<see cref="ClassCount"/>-1) per row. Empty for regression.</summary>
    public int[] Labels { get; }

    /// <summary>Classification: the class names, indexed by label. Empty for regression.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of classes (0 for regression).</summary>
    public int ClassCount => ClassNames.Count;

    /// <summary>Regression: one target value per row. Empty for classification.</summary>
    public double[] Targets { get; }

    /// <summary>The features of row <paramref name="row"/>.</summary>
    public ReadOnlySpan<double> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, RowCount);
        return Features.AsSpan(row * FeatureCount, FeatureCount);
    }

    /// <summary>The features converted to 32-bit floats, row-major.</summary>
    public float[] FeaturesAsSingle() => Array.ConvertAll(Features, value => (float)value);

    /// <summary>Reads the CSV file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is malformed, a cell cannot be read, or the target column is missing.</exception>
    public static CsvTable Load(string path, CsvLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var reader = CsvReader.FromFile(path, ReaderOptions(options));
        return Build(CsvRawTable.Read(reader, path), options);
    }

    /// <summary>Reads CSV text; <paramref name="sourceName"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The text is malformed, a cell cannot be read, or the target column is missing.</exception>
    public static CsvTable Parse(string csvText, string sourceName, CsvLoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var reader = CsvReader.FromText(csvText, ReaderOptions(options));
        return Build(CsvRawTable.Read(reader, sourceName), options);
    }

    internal static CsvReaderOptions ReaderOptions(CsvLoadOptions options) => CsvReaderOptions.Default with
    {
        Separator = options.Separator,
        HasHeader = true,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        FormatProvider = CultureInfo.InvariantCulture,
    };

    private static CsvTable Build(CsvRawTable raw, CsvLoadOptions options)
    {
        CheckNamedColumns(raw, options);
        int target = Array.IndexOf(raw.Header, options.TargetColumn);
        var featureColumns = Enumerable.Range(0, raw.Header.Length)
            .Where(c => c != target && !options.IgnoredColumns.Contains(raw.Header[c]))
            .ToArray();

        // Decide each column's kind first, so the feature layout is known before filling the matrix.
        var encoders = featureColumns
            .Select(c => CsvColumnEncoder.Create(raw, c, options.CategoricalColumns.Contains(raw.Header[c]), options.CategoricalEncoding))
            .ToArray();
        var featureNames = encoders.SelectMany(e => e.FeatureNames).ToArray();
        var categorical = new List<CsvCategoricalColumn>();
        int offset = 0;
        foreach (var encoder in encoders)
        {
            if (encoder.Categories is not null) categorical.Add(new CsvCategoricalColumn(encoder.Name, offset, encoder.Categories));
            offset += encoder.FeatureNames.Count;
        }

        int rows = raw.Rows.Count;
        var features = new double[(long)rows * featureNames.Length];
        for (int r = 0; r < rows; r++)
        {
            var destination = features.AsSpan(r * featureNames.Length, featureNames.Length);
            foreach (var encoder in encoders)
            {
                encoder.Encode(r, raw.Rows[r], destination[..encoder.FeatureNames.Count]);
                destination = destination[encoder.FeatureNames.Count..];
            }
        }

        if (options.TargetKind == TargetKind.Regression)
        {
            double[] targets = CsvColumnEncoder.ParseNumbers(raw, target);
            return new CsvTable(raw.Source, rows, featureNames, [.. categorical], features, options.TargetColumn,
                TargetKind.Regression, [], [], targets);
        }
        var (labels, classNames) = EncodeClasses(raw, target, options.ClassOrder);
        return new CsvTable(raw.Source, rows, featureNames, [.. categorical], features, options.TargetColumn,
            TargetKind.Classification, labels, classNames, []);
    }

    private static void CheckNamedColumns(CsvRawTable raw, CsvLoadOptions options)
    {
        string columns = string.Join(", ", raw.Header);
        if (Array.IndexOf(raw.Header, options.TargetColumn) < 0)
            throw new InvalidDataException($"{raw.Source}: no target column '{options.TargetColumn}' (columns: {columns})");
        foreach (string name in options.CategoricalColumns.Concat(options.IgnoredColumns))
        {
            if (Array.IndexOf(raw.Header, name) < 0)
                throw new InvalidDataException($"{raw.Source}: the options name column '{name}', which the file lacks (columns: {columns})");
        }
        if (options.IgnoredColumns.Contains(options.TargetColumn))
            throw new ArgumentException($"CsvTable: the target column '{options.TargetColumn}' is also listed as ignored");
    }

    /// <summary>Maps class labels to 0..k-1: in the given order, or sorted (numerically when all are numbers).</summary>
    internal static (int[] Labels, string[] ClassNames) EncodeClasses(CsvRawTable raw, int column, IReadOnlyList<string>? classOrder)
    {
        for (int r = 0; r < raw.Rows.Count; r++)
        {
            if (raw.Rows[r][column].Length == 0)
                throw new InvalidDataException($"{raw.Where(r, column)}: empty class label");
        }

        string[] classNames;
        if (classOrder is not null)
        {
            classNames = [.. classOrder];
            var duplicate = classNames.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new ArgumentException($"CsvTable: ClassOrder lists '{duplicate.Key}' twice");
        }
        else
        {
            var distinct = raw.Rows.Select(row => row[column]).Distinct().ToArray();
            bool numeric = distinct.All(label => double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            classNames = numeric
                ? [.. distinct.OrderBy(label => double.Parse(label, NumberStyles.Float, CultureInfo.InvariantCulture))]
                : [.. distinct.Order(StringComparer.Ordinal)];
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < classNames.Length; k++) index[classNames[k]] = k;
        var labels = new int[raw.Rows.Count];
        for (int r = 0; r < labels.Length; r++)
        {
            if (!index.TryGetValue(raw.Rows[r][column], out labels[r]))
            {
                throw new InvalidDataException(
                    $"{raw.Where(r, column)}: class '{raw.Rows[r][column]}' is not in ClassOrder ({string.Join(", ", classNames)})");
            }
        }
        return (labels, classNames);
    }
}
