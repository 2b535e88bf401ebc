namespace Scratch.Training;

/// <summary>What the model predicts.</summary>
public enum TaskKind
{
    /// <summary>Class scores (logits) for Int32 labels.</summary>
    Classification,
    /// <summary>Real values for floating targets.</summary>
    Regression,
}
