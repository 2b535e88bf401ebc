namespace Scratch.Training;

/// <summary>Steps a learning-rate scheduler after every batch or after every epoch.</summary>
public sealed class SchedulerCallback : TrainerCallback
{
    private readonly LRScheduler? _scheduler;
    private readonly ReduceLROnPlateau? _plateau;

    /// <summary>Steps <paramref name="scheduler"/> per batch (e.g. OneCycleLR) or per epoch (e.g. StepLR).</summary>
    public SchedulerCallback(LRScheduler scheduler, bool perBatch)
    {
        _scheduler = scheduler;
        PerBatch = perBatch;
    }

    /// <summary>Steps <paramref name="plateau"/> after each epoch with the validation loss (the training loss without validation).</summary>
    public SchedulerCallback(ReduceLROnPlateau plateau) => _plateau = plateau;

    /// <summary>True when the scheduler steps after every batch.</summary>
    public bool PerBatch { get; }

    /// <summary>The wrapped scheduler's state, for checkpoints.</summary>
    public Dictionary<string, double> StateDict() => _scheduler?.StateDict() ?? _plateau!.StateDict();

    /// <summary>Restores the wrapped scheduler's state.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        if (_scheduler is not null) _scheduler.LoadStateDict(state);
        else _plateau!.LoadStateDict(state);
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(Trainer trainer, BatchProgress progress)
    {
        if (PerBatch) _scheduler?.Step();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (_plateau is not null) _plateau.Step(record.ValidationLoss ?? record.TrainLoss);
        else if (!PerBatch) _scheduler!.Step();
    }
}
