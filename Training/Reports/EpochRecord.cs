namespace Scratch.Training;

/// <summary>The metrics of one training epoch, as a report charts them. Null means "not measured".</summary>
/// <param name="Epoch">Epoch number (1-based by convention).</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="ValidationLoss">Validation loss after the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy (fraction) over the epoch.</param>
/// <param name="ValidationAccuracy">Validation accuracy (fraction) after the epoch.</param>
/// <param name="LearningRate">Learning rate used in the epoch.</param>
/// <param name="Seconds">Wall-clock duration of the epoch.</param>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double? ValidationLoss = null,
    double? TrainAccuracy = null,
    double? ValidationAccuracy = null,
    double? LearningRate = null,
    double? Seconds = null);
