namespace Scratch.Training;

/// <summary>Where a training epoch stands after one batch (for progress displays).</summary>
/// <param name="Epoch">Epoch number, from 1.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="Batch">Batches done in this epoch, from 1.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Step">Optimizer steps done in total.</param>
/// <param name="Loss">Mean loss over the epoch so far.</param>
/// <param name="Accuracy">Accuracy over the epoch so far (classification), else null.</param>
/// <param name="ExamplesPerSecond">Throughput over the epoch so far.</param>
/// <param name="LearningRate">The first parameter group's learning rate.</param>
/// <param name="Elapsed">Time spent in this epoch.</param>
public sealed record BatchProgress(int Epoch, int Epochs, int Batch, int Batches, long Step, double Loss, double? Accuracy,
    double ExamplesPerSecond, double LearningRate, TimeSpan Elapsed)
{
    /// <summary>Estimated time left in this epoch.</summary>
    public TimeSpan Remaining => Batch == 0 ? TimeSpan.Zero : Elapsed * ((double)(Batches - Batch) / Batch);
}
