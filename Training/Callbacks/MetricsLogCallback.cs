namespace Scratch.Training;

/// <summary>Appends one row per epoch to <c>metrics.csv</c> and <c>metrics.jsonl</c> in a run folder.</summary>
public sealed class MetricsLogCallback(string directory) : TrainerCallback
{
    private readonly MetricsLog _log = new(directory,
        ["epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"]);

    /// <summary>Path of the CSV file.</summary>
    public string CsvPath => _log.CsvPath;

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record) => _log.Append(
        ("epoch", record.Epoch), ("step", trainer.Step), ("train_loss", record.TrainLoss), ("train_accuracy", record.TrainAccuracy),
        ("val_loss", record.ValidationLoss), ("val_accuracy", record.ValidationAccuracy), ("lr", record.LearningRate), ("seconds", record.Seconds));
}
