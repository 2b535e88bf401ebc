namespace Scratch.Training;

/// <summary>Everything that defines a training run (the options of <c>scratch train</c>).</summary>
public sealed record ExperimentOptions
{
    /// <summary>cnn, mlp, resnet or densenet (images); lstm, gru, rnn or conv1d (sequences).</summary>
    public string Model { get; init; } = "cnn";
    /// <summary>fashion-mnist, fashion-mnist-rows, wine, breast-cancer or diabetes.</summary>
    public string Dataset { get; init; } = "fashion-mnist";
    /// <summary>Total epochs (a resumed run continues up to this number).</summary>
    public int Epochs { get; init; } = 5;
    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Learning rate.</summary>
    public double Lr { get; init; } = 1e-3;
    /// <summary>sgd, momentum, nesterov, rmsprop, adam, adamw, adagrad, adadelta, adamax or nadam.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>none, step, multistep, exponential, cosine, sgdr, onecycle, plateau or warmup.</summary>
    public string Scheduler { get; init; } = "none";
    /// <summary>Weight decay (L2, or decoupled for AdamW).</summary>
    public double WeightDecay { get; init; }
    /// <summary>Dropout before the classifier (0 = none).</summary>
    public double Dropout { get; init; }
    /// <summary>Seed of initialisation, splits, shuffles and augmentation.</summary>
    public ulong Seed { get; init; }
    /// <summary>Data folder, <c>builtin</c>, or null to find it (full Fashion-MNIST when installed).</summary>
    public string? Data { get; init; }
    /// <summary>Folder for run outputs.</summary>
    public string Out { get; init; } = "runs";
    /// <summary>A run name (default: model-dataset-time).</summary>
    public string? RunName { get; init; }
    /// <summary>A checkpoint to resume from.</summary>
    public string? Resume { get; init; }
    /// <summary>cpu, cuda, cuda:N or auto.</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Share of the training split held out for validation.</summary>
    public double ValidationFraction { get; init; } = 0.1;
    /// <summary>Random crop and flip augmentation of training images.</summary>
    public bool Augment { get; init; }
    /// <summary>Early-stopping patience in epochs (0 = off).</summary>
    public int Patience { get; init; }
    /// <summary>Save a checkpoint every this many steps too (0 = per epoch only).</summary>
    public int CheckpointEvery { get; init; }
    /// <summary>Clip gradients to this total norm (0 = off).</summary>
    public double ClipNorm { get; init; }
    /// <summary>
    /// The options given explicitly, by their command-line names without dashes (<c>epochs</c>, <c>clip-norm</c>, …),
    /// or null when every value counts as given (a library caller). On resume the others come from the checkpoint.
    /// </summary>
    public IReadOnlySet<string>? Given { get; init; }

    /// <summary>True when <paramref name="name"/> (a command-line name without dashes) was given explicitly.</summary>
    public bool IsGiven(string name) => Given is null || Given.Contains(name);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option whose value is out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string option, object value, string rule)
        {
            if (!ok) throw new ArgumentException($"--{option} {Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}: {rule}");
        }
        Check(Epochs > 0, "epochs", Epochs, "must be positive");
        Check(BatchSize > 0, "batch-size", BatchSize, "must be positive");
        Check(double.IsFinite(Lr) && Lr >= 0, "lr", Lr, "must be a finite number >= 0");
        Check(double.IsFinite(WeightDecay) && WeightDecay >= 0, "weight-decay", WeightDecay, "must be a finite number >= 0");
        Check(Dropout is >= 0 and < 1, "dropout", Dropout, "must be in [0, 1)");
        Check(ValidationFraction is >= 0 and < 1, "val-fraction", ValidationFraction, "must be in [0, 1)");
        Check(Patience >= 0, "patience", Patience, "must be >= 0 (0 = off)");
        Check(CheckpointEvery >= 0, "checkpoint-every", CheckpointEvery, "must be >= 0 (0 = per epoch only)");
        Check(double.IsFinite(ClipNorm) && ClipNorm >= 0, "clip-norm", ClipNorm, "must be a finite number >= 0 (0 = off)");
    }

    /// <summary>A CSV file to train on instead of a shipped dataset (then <see cref="Dataset"/> is "csv").</summary>
    public string? Csv { get; init; }
    /// <summary>The CSV's target column; several make a multi-label task.</summary>
    public IReadOnlyList<string> Target { get; init; } = [];
    /// <summary>auto, binary, multiclass, multilabel or regression (CSV).</summary>
    public string Task { get; init; } = "auto";
    /// <summary>CSV columns to treat as categorical even when they hold numbers.</summary>
    public IReadOnlyList<string> Categorical { get; init; } = [];
    /// <summary>CSV columns to leave out (ids, leaks).</summary>
    public IReadOnlyList<string> Drop { get; init; } = [];
    /// <summary>Categorical CSV columns become one-hot features instead of embeddings.</summary>
    public bool OneHot { get; init; }
    /// <summary>null, "balanced", or one weight per class (binary: negative, positive; multi-label: per label's positives).</summary>
    public string? ClassWeights { get; init; }
    /// <summary>Binary and multi-label: the probability from which an output counts as positive.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>An image folder to train on (one sub-folder per class; then <see cref="Dataset"/> is "images").</summary>
    public string? Images { get; init; }
    /// <summary>Side of the square images are scaled and centre-cropped to.</summary>
    public int ImageSize { get; init; } = 32;
    /// <summary>Skip images that cannot be decoded (listing them) instead of failing.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>A checkpoint whose matching weights start this run (fine-tuning).</summary>
    public string? InitFrom { get; init; }
    /// <summary>Parameter-name prefixes to freeze (e.g. "features", "body.1").</summary>
    public IReadOnlyList<string> Freeze { get; init; } = [];
    /// <summary>Start the last Linear layer afresh instead of from <see cref="InitFrom"/> (needed when the class count differs).</summary>
    public bool NewHead { get; init; }
    /// <summary>Make the frozen parameters trainable after this epoch (0 = never).</summary>
    public int UnfreezeAfter { get; init; }
    /// <summary>Learning rate of the frozen parameters once unfrozen, as a factor of <see cref="Lr"/> (discriminative learning rates).</summary>
    public double FreezeLrFactor { get; init; } = 1;

    /// <summary>
    /// Options for <paramref name="dataset"/> with what suits it where the caller gave nothing:
    /// images train the CNN (their rows, <c>fashion-mnist-rows</c>, the LSTM) for 5 epochs in batches of 128; the small tables an MLP for 100 epochs in
    /// batches of 32 (a batch of 128 would be most of their training split) with dropout 0.2, since a
    /// few hundred rows overfit quickly.
    /// </summary>
    public static ExperimentOptions ForDataset(string dataset, string? model = null, int? epochs = null, int? batchSize = null, double? dropout = null)
    {
        bool rows = string.Equals(dataset, ExperimentData.FashionMnistRows, StringComparison.OrdinalIgnoreCase);
        bool images = rows || string.Equals(dataset, "fashion-mnist", StringComparison.OrdinalIgnoreCase) || string.Equals(dataset, "images", StringComparison.OrdinalIgnoreCase);
        return new ExperimentOptions
        {
            Dataset = dataset,
            Model = model ?? (rows ? "lstm" : images ? "cnn" : "mlp"),
            Epochs = epochs ?? (images ? 5 : 100),
            BatchSize = batchSize ?? (images ? 128 : 32),
            Dropout = dropout ?? (images ? 0 : 0.2),
        };
    }
}
