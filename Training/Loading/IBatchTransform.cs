namespace Scratch.Training;

/// <summary>A change applied to each training batch as it is loaded (augmentation, normalisation).</summary>
public interface IBatchTransform
{
    /// <summary>Transforms a CPU batch; random choices draw from <paramref name="generator"/>.</summary>
    (NDArray Inputs, NDArray Targets) Apply(NDArray inputs, NDArray targets, Generator generator);
}
