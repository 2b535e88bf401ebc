namespace Scratch.Training;

/// <summary>Hooks into a <see cref="Trainer"/>'s loop; override what you need.</summary>
public abstract class TrainerCallback
{
    /// <summary>Before the first epoch of a <see cref="Trainer.Fit"/> call.</summary>
    public virtual void OnTrainBegin(Trainer trainer) { }

    /// <summary>At the start of epoch <paramref name="epoch"/> (from 1).</summary>
    public virtual void OnEpochBegin(Trainer trainer, int epoch) { }

    /// <summary>After each optimizer step.</summary>
    public virtual void OnBatchEnd(Trainer trainer, BatchProgress progress) { }

    /// <summary>After each epoch and its validation.</summary>
    public virtual void OnEpochEnd(Trainer trainer, EpochRecord record) { }

    /// <summary>When <see cref="Trainer.Fit"/> ends (normally or by early stopping).</summary>
    public virtual void OnTrainEnd(Trainer trainer) { }
}
