namespace Scratch;

/// <summary>
/// Linear warm-up over the first <c>warmupSteps</c> steps: lr = base·(start + (end − start)·min(t, N) / N),
/// as PyTorch's <c>LinearLR</c> (startFactor, endFactor, total_iters = N). When it wraps another scheduler
/// (<c>after</c>), that one takes over at step N from its own step 0, as PyTorch's
/// <c>SequentialLR([LinearLR, after], milestones=[N])</c> does.
/// </summary>
/// <remarks>Make the wrapped scheduler first, on the same optimizer, then pass it here.</remarks>
public sealed class LinearWarmup : LRScheduler
{
    private readonly int _warmupSteps;
    private readonly double _startFactor;
    private readonly double _endFactor;

    /// <summary>Creates the warm-up and applies the rate for step 0 (startFactor·base).</summary>
    public LinearWarmup(Optimizer optimizer, int warmupSteps, double startFactor = 1.0 / 3, double endFactor = 1.0, LRScheduler? after = null)
        : base(optimizer)
    {
        if (warmupSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"LinearWarmup: warmupSteps must be >= 1, got {warmupSteps}");
        if (!(startFactor > 0 && startFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, $"LinearWarmup: startFactor must be in (0, 1], got {startFactor}");
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, $"LinearWarmup: endFactor must be in [0, 1], got {endFactor}");
        if (after is not null && !ReferenceEquals(after.Optimizer, optimizer))
            throw new ArgumentException("LinearWarmup: the wrapped scheduler belongs to another optimizer");
        _warmupSteps = warmupSteps;
        _startFactor = startFactor;
        _endFactor = endFactor;
        After = after;
        Initialize();
    }

    /// <summary>The scheduler that takes over after the warm-up, if any.</summary>
    public LRScheduler? After { get; }

    /// <inheritdoc/>
    public override void Step()
    {
        if (After is null || LastEpoch + 1 < _warmupSteps)
        {
            base.Step();
            return;
        }
        LastEpoch++;
        if (LastEpoch == _warmupSteps) After.Restart();
        else After.Step();
        RecordLastLr(After.LastLr);
    }

    /// <inheritdoc/>
    protected override double ComputeLr(int group)
    {
        double t = Math.Min(LastEpoch, _warmupSteps);
        return BaseLrs[group] * (_startFactor + (_endFactor - _startFactor) * t / _warmupSteps);
    }

    /// <inheritdoc/>
    public override Dictionary<string, double> StateDict()
    {
        var state = base.StateDict();
        if (After is not null)
            foreach (var (key, value) in After.StateDict()) state["after." + key] = value;
        return state;
    }

    /// <inheritdoc/>
    public override void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        if (After is not null)
        {
            const string prefix = "after.";
            var inner = state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
            After.LoadStateDict(inner);
        }
        base.LoadStateDict(state);
    }
}
