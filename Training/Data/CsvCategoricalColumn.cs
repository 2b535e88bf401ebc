namespace Scratch.Training;

/// <summary>A categorical feature column of a <see cref="CsvTable"/> and its vocabulary.</summary>
/// <param name="Name">The column's name in the header.</param>
/// <param name="FirstFeature">
/// Index of the column's first feature: its only feature with <see cref="CategoricalEncoding.Index"/>, the first of
/// <c>Categories.Count</c> one-hot features with <see cref="CategoricalEncoding.OneHot"/>.
/// </param>
/// <param name="Categories">The distinct values, sorted ordinally; a value's position is its index.</param>
public sealed record CsvCategoricalColumn(string Name, int FirstFeature, IReadOnlyList<string> Categories);
