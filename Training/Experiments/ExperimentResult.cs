namespace Scratch.Training;

/// <summary>The outcome of <see cref="Experiment.Run"/>.</summary>
public sealed record ExperimentResult
{
    /// <summary>Folder with the checkpoints, metrics and report.</summary>
    public required string RunDirectory { get; init; }
    /// <summary>The best checkpoint (by validation loss), or the last when there was no validation.</summary>
    public required string CheckpointPath { get; init; }
    /// <summary>The HTML report.</summary>
    public required string ReportPath { get; init; }
    /// <summary>Metrics on the test split.</summary>
    public required EvaluationResult Test { get; init; }
    /// <summary>One record per epoch (including epochs before a resume).</summary>
    public required IReadOnlyList<EpochRecord> History { get; init; }
    /// <summary>Trainable parameters.</summary>
    public required long Parameters { get; init; }
    /// <summary>Mean seconds per epoch trained in this run.</summary>
    public required double SecondsPerEpoch { get; init; }
    /// <summary>Training throughput (examples per second) in this run.</summary>
    public required double ExamplesPerSecond { get; init; }
    /// <summary>The device used.</summary>
    public required Device Device { get; init; }
    /// <summary>Classification or regression.</summary>
    public required TaskKind Task { get; init; }
}
