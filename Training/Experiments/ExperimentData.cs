namespace Scratch.Training;

/// <summary>A dataset made ready for training: splits, shapes, class names and the statistics used to normalise it.</summary>
public sealed partial class ExperimentData
{
    /// <summary>Training split.</summary>
    public required IDataset Train { get; init; }
    /// <summary>Validation split (may be null when none was held out).</summary>
    public IDataset? Validation { get; init; }
    /// <summary>Test split.</summary>
    public required IDataset Test { get; init; }
    /// <summary>Shape of one input.</summary>
    public required IReadOnlyList<int> InputShape { get; init; }
    /// <summary>Classification or regression.</summary>
    public required TaskKind Task { get; init; }
    /// <summary>Number of model outputs (classes, or 1 for regression).</summary>
    public required int Outputs { get; init; }
    /// <summary>Class names (classification).</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
    /// <summary>What was loaded, from where.</summary>
    public required string Description { get; init; }
    /// <summary>Input mean and std used for normalisation, and for regression the target mean and std.</summary>
    public required IReadOnlyDictionary<string, NDArray> Statistics { get; init; }

    /// <summary>CSV data: the fitted preprocessing, which the model's input layout follows (null for other data).</summary>
    public TabularPreprocessor? Tabular { get; init; }
    /// <summary>The augmentation <c>--augment</c> applies (null: random crop and flip).</summary>
    public IBatchTransform? Augmentation { get; init; }
    /// <summary>Training split's labels (classification and binary), e.g. for balanced class weights.</summary>
    public int[]? TrainLabels { get; init; }

    /// <summary>Loads <paramref name="options"/>' dataset, normalised with statistics of the training split only.</summary>
    public static ExperimentData Load(ExperimentOptions options)
    {
        if (options.Csv is not null) return LoadCsv(options);
        if (options.Images is not null) return LoadImageFolder(options);
        string name = options.Dataset.ToLowerInvariant();
        return name switch
        {
            "fashion-mnist" => LoadImages(options, rows: false),
            FashionMnistRows => LoadImages(options, rows: true),
            _ => LoadTable(options, name),
        };
    }

    /// <summary>Fashion-MNIST as sequences: each image is 28 time steps (rows) of 28 features (the classic sequential-MNIST task).</summary>
    public const string FashionMnistRows = "fashion-mnist-rows";

    private static ExperimentData LoadImages(ExperimentOptions options, bool rows)
    {
        var source = DataLocator.LocateFashionMnist(options.Data);
        var data = FashionMnist.Load(source);
        var train = ToImages(data.TrainImages);
        var test = ToImages(data.TestImages);
        // One mean and std over all training pixels (Fashion-MNIST ≈ 0.286 and 0.353).
        var mean = train.Mean();
        var std = train.Std(unbiased: false);
        var scale = (NDArray x) => (x - mean) / std;
        int h = data.TrainImages.Rows, w = data.TrainImages.Cols;
        var shape = (NDArray x) => rows ? x.Reshape(x.Shape[0], h, w) : x;
        var trainSet = new TensorDataset(shape(scale(train)), ToLabels(data.TrainLabels));
        var testSet = new TensorDataset(shape(scale(test)), ToLabels(data.TestLabels));
        var (fit, validation) = HoldOut(trainSet, options);
        return new ExperimentData
        {
            Train = fit, Validation = validation, Test = testSet, InputShape = rows ? [h, w] : [1, h, w],
            Task = TaskKind.Classification, Outputs = data.ClassNames.Count, ClassNames = data.ClassNames,
            Description = rows ? $"{source.Description}, as sequences of {h} rows × {w} features" : source.Description, Statistics = new Dictionary<string, NDArray> { ["input_mean"] = mean, ["input_std"] = std },
        };
    }

    private static ExperimentData LoadTable(ExperimentOptions options, string name)
    {
        string? root = options.Data is null || options.Data == DataLocator.BuiltinKeyword ? null : options.Data;
        var table = KnownDatasets.Load(name, root);
        int n = table.RowCount, f = table.FeatureCount;
        var features = NDArray.FromArray(table.FeaturesAsSingle(), [n, f]);
        bool classification = table.TargetKind == TargetKind.Classification;
        var targets = classification ? NDArray.FromArray(table.Labels) : NDArray.FromArray(table.Targets.Select(v => (float)v).ToArray(), [n, 1]);

        // Test split first (15%), then validation from the rest, all seeded.
        var all = new TensorDataset(features, targets);
        int testCount = (int)Math.Round(n * 0.15);
        var parts = Subset.RandomSplit(all, [n - testCount, testCount], new Generator(options.Seed + 1));
        var trainPart = Materialise(parts[0]);
        var testPart = Materialise(parts[1]);

        var standardizer = Standardizer.Fit(trainPart.Inputs);
        var stats = new Dictionary<string, NDArray> { ["input_mean"] = standardizer.Mean, ["input_std"] = standardizer.Std };
        NDArray trainTargets = trainPart.Targets, testTargets = testPart.Targets;
        if (!classification)
        {
            var targetScaler = Standardizer.Fit(trainPart.Targets);
            stats["target_mean"] = targetScaler.Mean;
            stats["target_std"] = targetScaler.Std;
            trainTargets = targetScaler.Transform(trainTargets);
            testTargets = targetScaler.Transform(testTargets);
        }
        var trainSet = new TensorDataset(standardizer.Transform(trainPart.Inputs), trainTargets);
        var testSet = new TensorDataset(standardizer.Transform(testPart.Inputs), testTargets);
        var (fit, validation) = HoldOut(trainSet, options);
        return new ExperimentData
        {
            Train = fit, Validation = validation, Test = testSet, InputShape = [f],
            Task = classification ? TaskKind.Classification : TaskKind.Regression,
            Outputs = classification ? table.ClassCount : 1, ClassNames = classification ? table.ClassNames : null,
            Description = $"{name}: {n} rows, {f} features from {table.Source} (train {trainSet.Count - (validation?.Count ?? 0)}, validation {validation?.Count ?? 0}, test {testSet.Count})",
            Statistics = stats,
        };
    }

    private static (IDataset Train, IDataset? Validation) HoldOut(TensorDataset train, ExperimentOptions options)
    {
        if (options.ValidationFraction is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, "validation fraction must be in [0, 1)");
        int validation = (int)Math.Round(train.Count * options.ValidationFraction);
        if (validation == 0) return (train, null);
        var parts = Subset.RandomSplit(train, [train.Count - validation, validation], new Generator(options.Seed + 2));
        return (Materialise(parts[0]), Materialise(parts[1]));
    }

    private static TensorDataset Materialise(IDataset dataset)
    {
        var (inputs, targets) = dataset.GetBatch(Enumerable.Range(0, dataset.Count).ToArray());
        return new TensorDataset(inputs, targets);
    }

    private static NDArray ToImages(IdxImages images)
    {
        var pixels = new float[images.Pixels.Length];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = images.Pixels[i] / 255f;
        return NDArray.FromArray(pixels, [images.Count, 1, images.Rows, images.Cols]);
    }

    private static NDArray ToLabels(byte[] labels) => NDArray.FromArray(Array.ConvertAll(labels, b => (int)b));
}
