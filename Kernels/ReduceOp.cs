namespace Scratch.Kernels;

/// <summary>Reductions for <see cref="IBackend.Reduce"/>.</summary>
public enum ReduceOp
{
    /// <summary>Σ x</summary>
    Sum,
    /// <summary>Σ x / n (NaN when n = 0, as PyTorch).</summary>
    Mean,
    /// <summary>max x; NaN propagates.</summary>
    Max,
    /// <summary>min x; NaN propagates.</summary>
    Min,
    /// <summary>Int32 index of the first maximum, flattened row-major over the reduced dims.</summary>
    ArgMax,
    /// <summary>Int32 index of the first minimum, flattened row-major over the reduced dims.</summary>
    ArgMin,
    /// <summary>log Σ e^x, computed as m + log Σ e^(x − m) with m = max x.</summary>
    LogSumExp,
}
