namespace Scratch.Training;

/// <summary>
/// Stops training when the monitored metric has not improved by more than <see cref="MinDelta"/> for
/// <see cref="Patience"/> epochs; optionally puts the best epoch's weights back at the end.
/// </summary>
public sealed class EarlyStopping : TrainerCallback
{
    private Dictionary<string, NDArray>? _bestWeights;
    private int _badEpochs;

    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Stop once this many epochs in a row bring no improvement (as Keras).</param>
    /// <param name="monitor">"val_loss" (lower is better) or "val_accuracy" (higher is better); falls back to the training value without validation.</param>
    /// <param name="minDelta">Smallest change that counts as an improvement.</param>
    /// <param name="restoreBestWeights">Load the best epoch's weights when training ends.</param>
    public EarlyStopping(int patience = 5, string monitor = "val_loss", double minDelta = 0, bool restoreBestWeights = true)
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, "EarlyStopping: patience must be >= 0");
        if (monitor is not ("val_loss" or "val_accuracy"))
            throw new ArgumentException($"EarlyStopping: unknown metric '{monitor}' (val_loss or val_accuracy)");
        Patience = patience;
        Monitor = monitor;
        MinDelta = minDelta;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }
    /// <summary>The metric watched.</summary>
    public string Monitor { get; }
    /// <summary>Smallest improvement that counts.</summary>
    public double MinDelta { get; }
    /// <summary>Whether the best weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }
    /// <summary>Best value seen.</summary>
    public double? Best { get; private set; }
    /// <summary>Epoch of the best value.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>Epoch at which training was stopped, or 0.</summary>
    public int StoppedEpoch { get; private set; }

    /// <summary>The monitored value of a record (higher-is-better metrics negated, so lower is always better).</summary>
    public double Score(EpochRecord record) => Monitor == "val_loss"
        ? record.ValidationLoss ?? record.TrainLoss
        : -(record.ValidationAccuracy ?? record.TrainAccuracy ?? double.NaN);

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        double score = Score(record);
        if (Best is null || score < Best.Value - MinDelta)
        {
            Best = score;
            BestEpoch = record.Epoch;
            _badEpochs = 0;
            if (RestoreBestWeights)
                _bestWeights = trainer.Model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.Clone());
            return;
        }
        if (++_badEpochs >= Patience)
        {
            StoppedEpoch = record.Epoch;
            trainer.StopRequested = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Trainer trainer)
    {
        if (RestoreBestWeights && _bestWeights is not null && StoppedEpoch > 0) trainer.Model.LoadStateDict(_bestWeights);
    }
}
