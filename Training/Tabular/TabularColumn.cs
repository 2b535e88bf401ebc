namespace Scratch.Training;

/// <summary>Whether a feature column of a table holds numbers or categories.</summary>
public enum TabularColumnKind
{
    /// <summary>A number, standardised with the training split's mean and standard deviation.</summary>
    Numeric,

    /// <summary>A category from a vocabulary seen in the training split (an embedding index, or one-hot features).</summary>
    Categorical,
}

/// <summary>
/// How one feature column of a table is turned into features, fitted on the training split only, so that
/// prediction applies exactly the same steps.
/// </summary>
public sealed record TabularColumn
{
    /// <summary>The column's name in the CSV header.</summary>
    public required string Name { get; init; }

    /// <summary>Numeric or categorical.</summary>
    public required TabularColumnKind Kind { get; init; }

    /// <summary>Numeric: the training split's median, which fills missing cells.</summary>
    public double Median { get; init; }

    /// <summary>Numeric: the mean after imputation, subtracted.</summary>
    public double Mean { get; init; }

    /// <summary>Numeric: the (population) standard deviation after imputation, divided by; 1 for a constant column.</summary>
    public double Std { get; init; } = 1;

    /// <summary>Categorical: the values seen in the training split, sorted ordinally; a value's position is its index.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Categorical: the most frequent value of the training split (the first in order on a tie), which fills missing and unseen cells.</summary>
    public string? Mode { get; init; }

    /// <summary>True when the training split had missing cells here: a 0/1 feature "name (missing)" then says which were filled.</summary>
    public bool MissingIndicator { get; init; }

    /// <summary>Categorical: the size of the column's embedding vector; 0 means one-hot features instead.</summary>
    public int EmbeddingDim { get; init; }
}
