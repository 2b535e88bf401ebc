namespace Scratch.Training;

/// <summary>Batch transforms applied one after another, all drawing from the batch's generator in turn.</summary>
public sealed class ComposedTransform(params IBatchTransform[] transforms) : IBatchTransform
{
    /// <summary>The transforms, in order.</summary>
    public IReadOnlyList<IBatchTransform> Transforms { get; } = transforms;

    /// <inheritdoc/>
    public (NDArray Inputs, NDArray Targets) Apply(NDArray inputs, NDArray targets, Generator generator)
    {
        foreach (var t in Transforms) (inputs, targets) = t.Apply(inputs, targets, generator);
        return (inputs, targets);
    }
}
