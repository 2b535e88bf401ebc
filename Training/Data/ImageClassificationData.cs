namespace Scratch.Training;

/// <summary>An image classification dataset with a train and a test split, as plain arrays.</summary>
/// <param name="TrainImages">Training images.</param>
/// <param name="TrainLabels">One class index per training image.</param>
/// <param name="TestImages">Test images (same size as the training images).</param>
/// <param name="TestLabels">One class index per test image.</param>
/// <param name="ClassNames">Class names indexed by label.</param>
/// <param name="Description">Where the data came from, for logs and reports.</param>
public sealed record ImageClassificationData(
    IdxImages TrainImages,
    byte[] TrainLabels,
    IdxImages TestImages,
    byte[] TestLabels,
    IReadOnlyList<string> ClassNames,
    string Description);
