namespace Scratch.Training;

/// <summary>
/// Fashion-MNIST (Zalando Research, MIT licence): 28x28 grayscale images of clothing in 10 classes, in IDX files.
/// Find a copy with <see cref="DataLocator.LocateFashionMnist(string?)"/>, then <see cref="Load"/> it.
/// </summary>
public static class FashionMnist
{
    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ];

    /// <summary>File name stems of the four IDX files; each may be stored raw or with a ".gz" suffix.</summary>
    public const string TrainImages = "train-images-idx3-ubyte";

    /// <inheritdoc cref="TrainImages"/>
    public const string TrainLabels = "train-labels-idx1-ubyte";

    /// <inheritdoc cref="TrainImages"/>
    public const string TestImages = "t10k-images-idx3-ubyte";

    /// <inheritdoc cref="TrainImages"/>
    public const string TestLabels = "t10k-labels-idx1-ubyte";

    /// <summary>Whether <paramref name="directory"/> holds all four files (raw or gzip-compressed).</summary>
    public static bool IsPresent(string directory) =>
        Directory.Exists(directory) &&
        new[] { TrainImages, TrainLabels, TestImages, TestLabels }.All(stem => FindFile(directory, stem) is not null);

    /// <summary>The path of <paramref name="stem"/> in <paramref name="directory"/> (".gz" preferred), or null.</summary>
    public static string? FindFile(string directory, string stem)
    {
        foreach (string name in new[] { stem + ".gz", stem })
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>
    /// The number of train and test examples in <paramref name="directory"/>, read from the label files' headers
    /// only (cheap even for the full set).
    /// </summary>
    public static (int Train, int Test) CountExamples(string directory) =>
        (IdxReader.ReadHeader(RequireFile(directory, TrainLabels)).Dimensions[0],
         IdxReader.ReadHeader(RequireFile(directory, TestLabels)).Dimensions[0]);

    /// <summary>
    /// Loads the train and test split from <paramref name="source"/>, checking that each image file matches its
    /// label file and that every label is a valid class.
    /// </summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or the files do not fit together.</exception>
    public static ImageClassificationData Load(DataSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (trainImages, trainLabels) = LoadSplit(source.Directory, TrainImages, TrainLabels);
        var (testImages, testLabels) = LoadSplit(source.Directory, TestImages, TestLabels);
        if (trainImages.Rows != testImages.Rows || trainImages.Cols != testImages.Cols)
        {
            throw new InvalidDataException(
                $"{source.Directory}: train images are {trainImages.Rows}x{trainImages.Cols}, " +
                $"test images {testImages.Rows}x{testImages.Cols}");
        }
        return new ImageClassificationData(trainImages, trainLabels, testImages, testLabels, ClassNames, source.Description);
    }

    private static (IdxImages Images, byte[] Labels) LoadSplit(string directory, string imagesStem, string labelsStem)
    {
        string imagesPath = RequireFile(directory, imagesStem);
        string labelsPath = RequireFile(directory, labelsStem);
        IdxImages images = IdxReader.ReadImages(imagesPath);
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (images.Count != labels.Length)
            throw new InvalidDataException($"{imagesPath} holds {images.Count} images but {labelsPath} holds {labels.Length} labels");
        int bad = Array.FindIndex(labels, label => label >= ClassNames.Count);
        if (bad >= 0)
            throw new InvalidDataException($"{labelsPath}: label {labels[bad]} at index {bad} is not a class (0..{ClassNames.Count - 1})");
        return (images, labels);
    }

    private static string RequireFile(string directory, string stem) =>
        FindFile(directory, stem) ?? throw new FileNotFoundException(
            $"Fashion-MNIST: {Path.Combine(directory, stem)}.gz (or without .gz) not found", Path.Combine(directory, stem + ".gz"));
}
