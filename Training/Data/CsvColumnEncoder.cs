using System.Globalization;

namespace Scratch.Training;

/// <summary>Turns one CSV column into features: a number, a category index, or one-hot features.</summary>
internal sealed class CsvColumnEncoder
{
    private readonly int _column;
    private readonly double[]? _numbers;
    private readonly Dictionary<string, int>? _categoryIndex;
    private readonly bool _oneHot;

    private CsvColumnEncoder(string name, int column, double[]? numbers, string[]? categories, bool oneHot)
    {
        Name = name;
        _column = column;
        _numbers = numbers;
        _oneHot = oneHot;
        Categories = categories;
        if (categories is null)
        {
            FeatureNames = [name];
            return;
        }
        _categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < categories.Length; k++) _categoryIndex[categories[k]] = k;
        FeatureNames = oneHot ? [.. categories.Select(category => $"{name}={category}")] : [name];
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The names of the features this column becomes.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>The sorted vocabulary of a categorical column; null for a numeric one.</summary>
    public string[]? Categories { get; }

    /// <summary>
    /// Decides whether <paramref name="column"/> is numeric or categorical. A column is numeric when every cell is a
    /// finite number, categorical when forced or when no cell is a number. A column where most cells are numbers and
    /// some are not is reported as an error at its first bad cell: that is a typo far more often than a category.
    /// </summary>
    public static CsvColumnEncoder Create(CsvRawTable raw, int column, bool forceCategorical, CategoricalEncoding encoding)
    {
        string name = raw.Header[column];
        for (int r = 0; r < raw.Rows.Count; r++)
        {
            if (raw.Rows[r][column].Length == 0)
                throw new InvalidDataException($"{raw.Where(r, column)}: empty cell (missing values are not supported)");
        }
        if (forceCategorical) return Categorical(raw, column, encoding);

        int numbers = 0, firstText = -1;
        for (int r = 0; r < raw.Rows.Count; r++)
        {
            if (TryParseNumber(raw.Rows[r][column], out _)) numbers++;
            else if (firstText < 0) firstText = r;
        }
        if (firstText < 0) return new CsvColumnEncoder(name, column, ParseNumbers(raw, column), null, oneHot: false);
        if (numbers * 2 <= raw.Rows.Count) return Categorical(raw, column, encoding);
        throw new InvalidDataException(
            $"{raw.Where(firstText, column)}: '{raw.Rows[firstText][column]}' is not a number, but {numbers} of the " +
            $"column's {raw.Rows.Count} cells are (list the column in CategoricalColumns if it is categorical)");
    }

    /// <summary>Parses every cell of <paramref name="column"/> as a finite number.</summary>
    public static double[] ParseNumbers(CsvRawTable raw, int column)
    {
        var values = new double[raw.Rows.Count];
        for (int r = 0; r < values.Length; r++)
        {
            string cell = raw.Rows[r][column];
            if (cell.Length == 0)
                throw new InvalidDataException($"{raw.Where(r, column)}: empty cell (missing values are not supported)");
            if (!TryParseNumber(cell, out values[r]))
                throw new InvalidDataException($"{raw.Where(r, column)}: cannot read '{cell}' as a finite number");
        }
        return values;
    }

    /// <summary>Writes this column's features of row <paramref name="row"/> into <paramref name="destination"/>.</summary>
    public void Encode(int row, string[] cells, Span<double> destination)
    {
        if (_categoryIndex is null)
        {
            // Numeric columns were parsed once, when they were classified.
            destination[0] = _numbers![row];
            return;
        }
        int index = _categoryIndex[cells[_column]];
        if (_oneHot)
        {
            destination.Clear();
            destination[index] = 1;
        }
        else
        {
            destination[0] = index;
        }
    }

    private static CsvColumnEncoder Categorical(CsvRawTable raw, int column, CategoricalEncoding encoding)
    {
        string[] categories = [.. raw.Rows.Select(row => row[column]).Distinct().Order(StringComparer.Ordinal)];
        return new CsvColumnEncoder(raw.Header[column], column, null, categories, encoding == CategoricalEncoding.OneHot);
    }

    internal static bool TryParseNumber(string cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
