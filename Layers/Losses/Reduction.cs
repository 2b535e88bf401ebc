namespace Scratch;

/// <summary>How a loss turns its per-element values into the result.</summary>
public enum Reduction
{
    /// <summary>The average (for class-weighted cross entropy and NLL: divided by the summed weights of the targets, as PyTorch).</summary>
    Mean,
    /// <summary>The sum.</summary>
    Sum,
    /// <summary>No reduction: the per-element (or per-sample) losses.</summary>
    None,
    /// <summary>The sum divided by the batch size (dim 0), PyTorch's <c>batchmean</c> for KL divergence; accepted by every loss.</summary>
    BatchMean,
}
