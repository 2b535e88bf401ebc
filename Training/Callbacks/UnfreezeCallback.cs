namespace Scratch.Training;

/// <summary>Makes frozen parameters trainable again after a given epoch (gradual unfreezing when fine-tuning).</summary>
public sealed class UnfreezeCallback(IReadOnlyList<Tensor> parameters, int afterEpoch) : TrainerCallback
{
    /// <summary>The epoch after which the parameters train.</summary>
    public int AfterEpoch { get; } = afterEpoch >= 0 ? afterEpoch : throw new ArgumentOutOfRangeException(nameof(afterEpoch));

    /// <inheritdoc/>
    public override void OnTrainBegin(Trainer trainer) => Set(trainer.Epoch >= AfterEpoch);

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        if (record.Epoch == AfterEpoch) Set(true);
    }

    private void Set(bool trainable)
    {
        foreach (var p in parameters) p.RequiresGrad = trainable;
    }
}
