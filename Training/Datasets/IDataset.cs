namespace Scratch.Training;

/// <summary>
/// A finite set of (input, target) examples that can hand out any batch of them by index.
/// Batch-level access lets in-memory datasets gather a whole batch in one kernel call.
/// </summary>
public interface IDataset
{
    /// <summary>Number of examples.</summary>
    int Count { get; }

    /// <summary>Shape of one input example (e.g. [1, 28, 28] or [13]).</summary>
    IReadOnlyList<int> InputShape { get; }

    /// <summary>The inputs [n, …] and targets [n] (or [n, …]) of the examples at <paramref name="indices"/>, on the CPU.</summary>
    (NDArray Inputs, NDArray Targets) GetBatch(int[] indices);
}
