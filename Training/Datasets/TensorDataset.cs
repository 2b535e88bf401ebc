namespace Scratch.Training;

/// <summary>A dataset held in two arrays whose first dim indexes the examples.</summary>
public sealed class TensorDataset : IDataset
{
    /// <summary>Wraps <paramref name="inputs"/> [n, …] and <paramref name="targets"/> [n, …].</summary>
    public TensorDataset(NDArray inputs, NDArray targets)
    {
        if (inputs.Rank == 0 || targets.Rank == 0 || inputs.Shape[0] != targets.Shape[0])
            throw new ArgumentException($"TensorDataset: inputs {inputs.ShapeString} and targets {targets.ShapeString} must have the same first dim");
        Inputs = inputs.Contiguous();
        Targets = targets.Contiguous();
    }

    /// <summary>All inputs.</summary>
    public NDArray Inputs { get; }

    /// <summary>All targets.</summary>
    public NDArray Targets { get; }

    /// <inheritdoc/>
    public int Count => Inputs.Shape[0];

    /// <inheritdoc/>
    public IReadOnlyList<int> InputShape => Inputs.Shape.Skip(1).ToArray();

    /// <inheritdoc/>
    public (NDArray Inputs, NDArray Targets) GetBatch(int[] indices)
    {
        foreach (int i in indices)
            if ((uint)i >= (uint)Count) throw new IndexOutOfRangeException($"TensorDataset: index {i} is out of range for {Count} examples");
        var index = NDArray.FromArray(indices);
        return (Inputs.IndexSelect(0, index), Targets.IndexSelect(0, index));
    }
}
