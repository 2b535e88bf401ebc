namespace Scratch.Training;

/// <summary>
/// Saves <c>last.safetensors</c> after every epoch (and every <see cref="EverySteps"/> steps when set)
/// and <c>best.safetensors</c> whenever the validation loss (or accuracy) improves.
/// </summary>
public sealed class CheckpointCallback : TrainerCallback
{
    private readonly Func<IReadOnlyDictionary<string, string>> _config;
    private readonly IReadOnlyDictionary<string, NDArray> _extra;
    private readonly SchedulerCallback? _scheduler;
    private readonly Generator? _generator;

    /// <summary>Creates the callback.</summary>
    /// <param name="directory">Where the files go (created if needed).</param>
    /// <param name="config">Run configuration stored in every checkpoint.</param>
    /// <param name="extra">Arrays stored in every checkpoint (e.g. standardisation statistics).</param>
    /// <param name="scheduler">A scheduler whose state is saved too.</param>
    /// <param name="everySteps">Also save <c>last</c> every this many optimizer steps (0 = only per epoch).</param>
    /// <param name="monitor">"val_loss" or "val_accuracy" for the best checkpoint.</param>
    /// <param name="generator">The run's random generator (dropout masks), whose state is saved too.</param>
    public CheckpointCallback(string directory, Func<IReadOnlyDictionary<string, string>> config, IReadOnlyDictionary<string, NDArray>? extra = null,
        SchedulerCallback? scheduler = null, int everySteps = 0, string monitor = "val_loss", Generator? generator = null)
    {
        _generator = generator;
        Directory = directory;
        _config = config;
        _extra = extra ?? new Dictionary<string, NDArray>();
        _scheduler = scheduler;
        EverySteps = everySteps >= 0 ? everySteps : throw new ArgumentOutOfRangeException(nameof(everySteps));
        Monitor = new EarlyStopping(0, monitor, restoreBestWeights: false);
    }

    /// <summary>Folder of the checkpoint files.</summary>
    public string Directory { get; }
    /// <summary>Steps between mid-epoch saves (0 = none).</summary>
    public int EverySteps { get; }
    /// <summary>Path of the most recent checkpoint.</summary>
    public string LastPath => Path.Combine(Directory, "last.safetensors");
    /// <summary>Path of the best checkpoint.</summary>
    public string BestPath => Path.Combine(Directory, "best.safetensors");
    private EarlyStopping Monitor { get; }
    private double? _best;

    /// <summary>Builds the checkpoint of the trainer's current state.</summary>
    public Checkpoint Capture(Trainer trainer) => new()
    {
        Model = trainer.Model.StateDict(),
        Optimizer = trainer.Optimizer.StateDict(),
        Scheduler = _scheduler?.StateDict(),
        Epoch = trainer.Epoch,
        BatchInEpoch = trainer.BatchInEpoch,
        Step = trainer.Step,
        History = trainer.History.ToArray(),
        PartialEpoch = trainer.BatchInEpoch > 0 ? trainer.PartialEpoch : null,
        GeneratorState = _generator?.GetState(),
        Config = _config(),
        Extra = _extra,
    };

    /// <summary>
    /// Takes the best score so far from the trainer's history, so that after a resume <c>best</c> is replaced
    /// only by an epoch that beats every earlier one, not by the first epoch after the resume.
    /// </summary>
    public override void OnTrainBegin(Trainer trainer)
    {
        _best = null;
        foreach (var record in trainer.History)
        {
            double score = Monitor.Score(record);
            if (_best is null || score < _best) _best = score;
        }
    }

    /// <inheritdoc/>
    public override void OnBatchEnd(Trainer trainer, BatchProgress progress)
    {
        if (EverySteps > 0 && trainer.Step % EverySteps == 0 && progress.Batch < progress.Batches) Save(trainer, Capture(trainer), LastPath, progress.Loss);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(Trainer trainer, EpochRecord record)
    {
        // Called before the trainer moves on, so Epoch already counts this one and BatchInEpoch is 0.
        var checkpoint = Capture(trainer);
        Save(trainer, checkpoint, LastPath, record.TrainLoss);
        double score = Monitor.Score(record);
        if (!double.IsNaN(score) && (_best is null || score < _best))
        {
            _best = score;
            checkpoint.Save(BestPath);
        }
    }

    /// <summary>Saves unless a weight is NaN or infinite: a diverged model never replaces a good checkpoint.</summary>
    private static void Save(Trainer trainer, Checkpoint checkpoint, string path, double loss)
    {
        foreach (var (name, value) in checkpoint.Model)
        {
            if (!value.DType.IsFloatingPoint() || value.Count == 0) continue;
            using var scope = new ArrayScope();
            if (!double.IsFinite((value * 0).Sum().To(DType.Float64).Item()))
                throw new TrainingDivergedException($"weight '{name}' is NaN or infinite, so {Path.GetFileName(path)} was not overwritten",
                    trainer.Step, trainer.Epoch + (trainer.BatchInEpoch > 0 ? 1 : 0), trainer.BatchInEpoch, loss, trainer.LearningRate);
        }
        checkpoint.Save(path);
    }
}
