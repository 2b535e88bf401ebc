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
    /// Options for <paramref name="dataset"/> with what suits it where the caller gave nothing:
    /// images train the CNN (their rows, <c>fashion-mnist-rows</c>, the LSTM) for 5 epochs in batches of 128; the small tables an MLP for 100 epochs in
    /// batches of 32 (a batch of 128 would be most of their training split) with dropout 0.2, since a
    /// few hundred rows overfit quickly.
    /// </summary>
    public static ExperimentOptions ForDataset(string dataset, string? model = null, int? epochs = null, int? batchSize = null, double? dropout = null)
    {
        bool rows = string.Equals(dataset, ExperimentData.FashionMnistRows, StringComparison.OrdinalIgnoreCase);
        bool images = rows || string.Equals(dataset, "fashion-mnist", StringComparison.OrdinalIgnoreCase);
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
