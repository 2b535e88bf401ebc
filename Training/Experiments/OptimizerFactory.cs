namespace Scratch.Training;

/// <summary>Builds optimizers and schedulers by the names the command line uses.</summary>
public static class OptimizerFactory
{
    /// <summary>Optimizer names accepted by <see cref="Create"/>.</summary>
    public static IReadOnlyList<string> OptimizerNames { get; } =
        ["sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw", "adagrad", "adadelta", "adamax", "nadam"];

    /// <summary>Scheduler names accepted by <see cref="CreateScheduler"/>.</summary>
    public static IReadOnlyList<string> SchedulerNames { get; } =
        ["none", "step", "multistep", "exponential", "cosine", "sgdr", "onecycle", "plateau", "warmup"];

    /// <summary>The optimizer called <paramref name="name"/> over <paramref name="parameters"/> (momentum variants use μ = 0.9).</summary>
    public static Optimizer Create(string name, IEnumerable<Tensor> parameters, double lr, double weightDecay) => name.ToLowerInvariant() switch
    {
        "sgd" => new SGD(parameters, lr, weightDecay: weightDecay),
        "momentum" => new SGD(parameters, lr, momentum: 0.9, weightDecay: weightDecay),
        "nesterov" => new SGD(parameters, lr, momentum: 0.9, weightDecay: weightDecay, nesterov: true),
        "rmsprop" => new RMSprop(parameters, lr, weightDecay: weightDecay),
        "adam" => new Adam(parameters, lr, weightDecay: weightDecay),
        "adamw" => new AdamW(parameters, lr, weightDecay: weightDecay),
        "adagrad" => new Adagrad(parameters, lr, weightDecay: weightDecay),
        "adadelta" => new Adadelta(parameters, lr, weightDecay: weightDecay),
        "adamax" => new Adamax(parameters, lr, weightDecay: weightDecay),
        "nadam" => new NAdam(parameters, lr, weightDecay: weightDecay),
        _ => throw new ArgumentException($"unknown optimizer '{name}' (known: {string.Join(", ", OptimizerNames)})"),
    };

    /// <summary>
    /// The scheduler called <paramref name="name"/>, wrapped so the trainer steps it at the right time
    /// (per batch for onecycle and warmup, per epoch otherwise), or null for "none".
    /// </summary>
    public static SchedulerCallback? CreateScheduler(string name, Optimizer optimizer, double lr, int epochs, int batchesPerEpoch)
    {
        int totalSteps = Math.Max(1, epochs * batchesPerEpoch);
        return name.ToLowerInvariant() switch
        {
            "none" => null,
            "step" => new SchedulerCallback(new StepLR(optimizer, Math.Max(1, epochs / 3), 0.1), perBatch: false),
            "multistep" => new SchedulerCallback(new MultiStepLR(optimizer, [Math.Max(1, epochs / 2), Math.Max(2, 3 * epochs / 4)], 0.1), perBatch: false),
            "exponential" => new SchedulerCallback(new ExponentialLR(optimizer, 0.9), perBatch: false),
            "cosine" => new SchedulerCallback(new CosineAnnealingLR(optimizer, Math.Max(1, epochs)), perBatch: false),
            "sgdr" => new SchedulerCallback(new CosineAnnealingWarmRestarts(optimizer, Math.Max(1, epochs / 3), 2), perBatch: false),
            "onecycle" => new SchedulerCallback(new OneCycleLR(optimizer, lr * 10, totalSteps), perBatch: true),
            "plateau" => new SchedulerCallback(new ReduceLROnPlateau(optimizer, PlateauMode.Min, 0.1, 2)),
            "warmup" => new SchedulerCallback(new LinearWarmup(optimizer, Math.Max(1, batchesPerEpoch)), perBatch: true),
            _ => throw new ArgumentException($"unknown scheduler '{name}' (known: {string.Join(", ", SchedulerNames)})"),
        };
    }
}
