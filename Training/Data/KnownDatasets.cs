namespace Scratch.Training;

/// <summary>A tabular dataset shipped in Scratch's <c>data/</c> folder.</summary>
/// <param name="Name">Short name used on the command line, e.g. "wine".</param>
/// <param name="RelativePath">Path of the CSV file inside the data folder.</param>
/// <param name="TargetColumn">Name of the target column.</param>
/// <param name="TargetKind">Classification or regression.</param>
/// <param name="Description">One line for help texts and reports.</param>
public sealed record KnownCsvDataset(string Name, string RelativePath, string TargetColumn, TargetKind TargetKind, string Description)
{
    /// <summary>The options that read this dataset (one-hot or index encoding for categorical columns as asked).</summary>
    public CsvLoadOptions Options(CategoricalEncoding encoding = CategoricalEncoding.Index) =>
        new() { TargetColumn = TargetColumn, TargetKind = TargetKind, CategoricalEncoding = encoding };
}

/// <summary>The registry of datasets shipped with Scratch besides Fashion-MNIST (see <see cref="FashionMnist"/>).</summary>
public static class KnownDatasets
{
    /// <summary>The tabular datasets, converted from scikit-learn's copies (see <c>data/README.md</c>).</summary>
    public static IReadOnlyList<KnownCsvDataset> Csv { get; } =
    [
        new("wine", "wine/wine.csv", "target", TargetKind.Classification,
            "Wine recognition: 178 wines, 13 chemical features, 3 cultivars"),
        new("breast-cancer", "breast-cancer/breast-cancer.csv", "target", TargetKind.Classification,
            "Breast cancer Wisconsin (diagnostic): 569 samples, 30 features, benign/malignant"),
        new("diabetes", "diabetes/diabetes.csv", "target", TargetKind.Regression,
            "Diabetes: 442 patients, 10 raw (unscaled) features, disease progression after one year"),
    ];

    /// <summary>The dataset called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No dataset has that name; the message lists the known ones.</exception>
    public static KnownCsvDataset Get(string name) =>
        Csv.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown dataset '{name}' (known: fashion-mnist, {string.Join(", ", Csv.Select(d => d.Name))})", nameof(name));

    /// <summary>Loads the dataset called <paramref name="name"/> from <paramref name="dataRoot"/> (default: <see cref="DataLocator.RequireDataRoot"/>).</summary>
    public static CsvTable Load(string name, string? dataRoot = null, CategoricalEncoding encoding = CategoricalEncoding.Index)
    {
        var dataset = Get(name);
        string path = Path.Combine(dataRoot ?? DataLocator.RequireDataRoot(), dataset.RelativePath);
        return CsvTable.Load(path, dataset.Options(encoding));
    }
}
