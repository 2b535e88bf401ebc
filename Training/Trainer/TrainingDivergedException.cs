using System.Globalization;

namespace Scratch.Training;

/// <summary>
/// Training stopped because the loss, a gradient or the weights became NaN or infinite. The step that found it
/// did not update the weights, and no checkpoint was written with non-finite values.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="what"/> (e.g. "the loss is NaN") at a place in the loop.</summary>
    public TrainingDivergedException(string what, long step, int epoch, int batch, double loss, double learningRate)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"training diverged at step {step} (epoch {epoch}, batch {batch}): {what} (loss {loss:G6}); the weights were not updated with it. " +
            $"Try a lower learning rate (now {learningRate:G6}) or gradient clipping (--clip-norm)."))
    {
        Step = step;
        Epoch = epoch;
        Batch = batch;
        Loss = loss;
    }

    /// <summary>The optimizer step (from 1) that would have used the non-finite values.</summary>
    public long Step { get; }
    /// <summary>The epoch (from 1).</summary>
    public int Epoch { get; }
    /// <summary>The batch within the epoch (from 1).</summary>
    public int Batch { get; }
    /// <summary>The loss of that batch.</summary>
    public double Loss { get; }
}
