namespace Scratch.Training;

/// <summary>
/// The running sums of an unfinished epoch, so that a run resumed mid-epoch reports the same epoch means as an
/// uninterrupted one.
/// </summary>
/// <param name="LossSum">Σ batch loss · batch size.</param>
/// <param name="Correct">Correct predictions (classification).</param>
/// <param name="Seen">Examples seen.</param>
public sealed record EpochTotals(double LossSum, long Correct, long Seen)
{
    /// <summary>Nothing seen yet.</summary>
    public static EpochTotals Empty { get; } = new(0, 0, 0);
}
