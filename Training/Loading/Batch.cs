namespace Scratch.Training;

/// <summary>One mini-batch: inputs [b, …] and targets [b, …] on the loader's device.</summary>
/// <param name="Input">The inputs.</param>
/// <param name="Target">The targets (Int32 class indices or floating values).</param>
public sealed record Batch(Tensor Input, Tensor Target)
{
    /// <summary>Number of examples in the batch.</summary>
    public int Size => Input.Shape[0];
}
