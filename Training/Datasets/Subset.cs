namespace Scratch.Training;

/// <summary>The examples of another dataset at the given indices, in that order.</summary>
public sealed class Subset : IDataset
{
    private readonly int[] _indices;

    /// <summary>Selects <paramref name="indices"/> of <paramref name="source"/>.</summary>
    public Subset(IDataset source, int[] indices)
    {
        foreach (int i in indices)
            if ((uint)i >= (uint)source.Count) throw new IndexOutOfRangeException($"Subset: index {i} is out of range for {source.Count} examples");
        Source = source;
        _indices = (int[])indices.Clone();
    }

    /// <summary>The dataset the examples come from.</summary>
    public IDataset Source { get; }

    /// <summary>The selected indices into <see cref="Source"/>.</summary>
    public IReadOnlyList<int> Indices => _indices;

    /// <inheritdoc/>
    public int Count => _indices.Length;

    /// <inheritdoc/>
    public IReadOnlyList<int> InputShape => Source.InputShape;

    /// <inheritdoc/>
    public (NDArray Inputs, NDArray Targets) GetBatch(int[] indices)
        => Source.GetBatch(indices.Select(i => (uint)i < (uint)_indices.Length ? _indices[i]
            : throw new IndexOutOfRangeException($"Subset: index {i} is out of range for {_indices.Length} examples")).ToArray());

    /// <summary>
    /// Splits <paramref name="dataset"/> at random into parts of the given sizes (which must add up to
    /// its count), reproducibly for a given generator.
    /// </summary>
    public static Subset[] RandomSplit(IDataset dataset, int[] sizes, Generator generator)
    {
        if (sizes.Any(s => s < 0) || sizes.Sum() != dataset.Count)
            throw new ArgumentException($"RandomSplit: sizes [{string.Join(", ", sizes)}] must be >= 0 and add up to {dataset.Count}");
        var perm = NDArray.RandpermHost(dataset.Count, generator);
        var parts = new Subset[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = new Subset(dataset, perm[at..(at + sizes[i])]);
            at += sizes[i];
        }
        return parts;
    }

    /// <summary>Splits by fractions (e.g. 0.8, 0.1, 0.1); the last part takes the rounding remainder.</summary>
    public static Subset[] RandomSplit(IDataset dataset, double[] fractions, Generator generator)
    {
        if (fractions.Any(f => f < 0) || Math.Abs(fractions.Sum() - 1) > 1e-6)
            throw new ArgumentException($"RandomSplit: fractions [{string.Join(", ", fractions)}] must be >= 0 and add up to 1");
        var sizes = fractions.Select(f => (int)Math.Floor(f * dataset.Count)).ToArray();
        sizes[^1] += dataset.Count - sizes.Sum();
        return RandomSplit(dataset, sizes, generator);
    }
}
