namespace Scratch.Training;

/// <summary>What the target column of a table holds.</summary>
public enum TargetKind
{
    /// <summary>Class labels (any text); mapped to indices 0..k-1 with the names kept.</summary>
    Classification,

    /// <summary>A real number.</summary>
    Regression,
}

/// <summary>How <see cref="CsvTable"/> turns a categorical (non-numeric) feature column into numbers.</summary>
public enum CategoricalEncoding
{
    /// <summary>One feature holding the category's index in the column's vocabulary (for an embedding layer).</summary>
    Index,

    /// <summary>One 0/1 feature per category, named "column=category".</summary>
    OneHot,
}

/// <summary>How to read a CSV file into a <see cref="CsvTable"/>.</summary>
public sealed record CsvLoadOptions
{
    /// <summary>The name of the target column (as in the header row).</summary>
    public required string TargetColumn { get; init; }

    /// <summary>Whether the target is a class label or a real number.</summary>
    public TargetKind TargetKind { get; init; } = TargetKind.Classification;

    /// <summary>How categorical feature columns are encoded.</summary>
    public CategoricalEncoding CategoricalEncoding { get; init; } = CategoricalEncoding.Index;

    /// <summary>
    /// The classes in index order. When null, the labels found are sorted: numerically when all are numbers, else
    /// ordinally (so "benign" = 0, "malignant" = 1). Every label in the file must be one of these.
    /// </summary>
    public IReadOnlyList<string>? ClassOrder { get; init; }

    /// <summary>Columns to treat as categorical even though their cells are numbers (e.g. integer codes).</summary>
    public IReadOnlyCollection<string> CategoricalColumns { get; init; } = [];

    /// <summary>Columns to leave out (e.g. row ids).</summary>
    public IReadOnlyCollection<string> IgnoredColumns { get; init; } = [];

    /// <summary>The field separator; null detects it from the first lines (among , ; tab and |).</summary>
    public char? Separator { get; init; } = ',';
}
