namespace Scratch.Training;

/// <summary>What the model predicts, and so how its outputs are scored.</summary>
public enum TaskKind
{
    /// <summary>One of C classes: logits [N, C] for Int32 labels [N]; the prediction is the arg-max.</summary>
    Classification,
    /// <summary>Real values [N, T] for floating targets of the same shape.</summary>
    Regression,
    /// <summary>
    /// Two classes from one logit: output [N] or [N, 1], labels 0/1 ([N] or [N, 1], Int32 or floating); the
    /// prediction is 1 where sigmoid(logit) ≥ the trainer's threshold.
    /// </summary>
    Binary,
    /// <summary>K independent yes/no labels: logits [N, K] for 0/1 targets [N, K], one sigmoid and threshold per label.</summary>
    MultiLabel,
}
