namespace Scratch.Training;

public sealed partial class ExperimentData
{
    /// <summary>
    /// Reads an image folder (<see cref="ImageFolder"/>), holds out a stratified test split (15 %) and then a stratified
    /// validation split, and standardises each channel with the mean and standard deviation of the training split.
    /// Augmentation adds small rotations and, for colour images, colour jitter to random crops and flips.
    /// </summary>
    private static ExperimentData LoadImageFolder(ExperimentOptions options)
    {
        var folder = ImageFolder.Load(options.Images!, options.ImageSize, options.SkipBadImages);
        if (folder.Count < 10) throw new InvalidDataException($"{options.Images}: {folder.Count} images are too few to split into train, validation and test");
        int c = folder.Channels, s = folder.Size;
        var all = NDArray.FromArray(folder.Pixels, [folder.Count, c, s, s]);
        var (rest, test) = StratifiedSplit.Split(folder.Count, folder.Labels, CsvTestFraction, new Generator(options.Seed + 1));
        var (trainAt, validationAt) = StratifiedSplit.Split(rest.Length, [.. rest.Select(i => folder.Labels[i])], options.ValidationFraction, new Generator(options.Seed + 2));
        int[] train = [.. trainAt.Select(i => rest[i])], validation = [.. validationAt.Select(i => rest[i])];

        // Per-channel statistics over every training pixel: [C, 1, 1], broadcast over [N, C, H, W].
        var trainImages = all.IndexSelect(0, NDArray.FromArray(train));
        var channelsFirst = trainImages.Permute(1, 0, 2, 3).Contiguous().Reshape(c, -1);
        var mean = channelsFirst.Mean(1).Reshape(c, 1, 1);
        var std = channelsFirst.Var([1], unbiased: false).Sqrt();
        std = NDArray.Where(std.Gt(1e-6), std, NDArray.Scalar(1, std.DType)).Reshape(c, 1, 1);
        TensorDataset Part(int[] rows) => new((all.IndexSelect(0, NDArray.FromArray(rows)) - mean) / std, NDArray.FromArray(rows.Select(i => folder.Labels[i]).ToArray()));

        var skipped = folder.Skipped.Count == 0 ? "" : $"; skipped {folder.Skipped.Count} bad images: {string.Join("; ", folder.Skipped)}";
        return new ExperimentData
        {
            Train = Part(train), Validation = validation.Length == 0 ? null : Part(validation), Test = Part(test),
            InputShape = [c, s, s], Task = TaskKind.Classification, Outputs = folder.ClassNames.Count, ClassNames = folder.ClassNames,
            TrainLabels = [.. train.Select(i => folder.Labels[i])],
            Statistics = new Dictionary<string, NDArray> { ["input_mean"] = mean, ["input_std"] = std },
            Augmentation = new ComposedTransform(new RandomCropFlip(), new RandomRotationJitter()),
            Description = $"{options.Images}: {folder.Count} images of {folder.ClassNames.Count} classes ({string.Join(", ", folder.ClassNames)}), " +
                $"{(c == 1 ? "grey" : "RGB")} {s}x{s} (shorter side scaled, centre cropped), per-channel standardised " +
                $"(train {train.Length}, validation {validation.Length}, test {test.Length}, stratified){skipped}",
        };
    }
}
