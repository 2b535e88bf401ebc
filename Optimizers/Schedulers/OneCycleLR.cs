namespace Scratch;

/// <summary>How <see cref="OneCycleLR"/> moves between two values.</summary>
public enum AnnealStrategy
{
    /// <summary>Half a cosine: end + (start − end)·(1 + cos(π·pct)) / 2.</summary>
    Cos,

    /// <summary>A straight line: start + (end − start)·pct.</summary>
    Linear,
}

/// <summary>
/// The 1cycle policy (Smith), as PyTorch's <c>OneCycleLR</c>: over <c>totalSteps</c> steps (batches) the rate
/// rises from maxLr / divFactor to maxLr during the first <c>pctStart</c> of the steps, then falls to
/// maxLr / (divFactor·finalDivFactor); the momentum (or Adam's <c>beta1</c>) moves the opposite way between
/// maxMomentum and baseMomentum. With <c>threePhase</c> the rate first returns symmetrically to the
/// initial rate and only then falls to the minimum.
/// </summary>
/// <remarks>
/// Momentum is cycled for groups that have a <c>beta1</c> or <c>momentum</c> hyper-parameter (note that
/// SGD always has one: with cycling on, its momentum becomes non-zero, as in PyTorch); groups with neither
/// keep their settings. Stepping past <c>totalSteps</c> throws. The group keys <c>initial_lr</c>,
/// <c>max_lr</c>, <c>min_lr</c>, <c>max_momentum</c> and <c>base_momentum</c> are written as PyTorch does.
/// </remarks>
public sealed class OneCycleLR : LRScheduler
{
    private readonly record struct Phase(double EndStep, string StartLr, string EndLr, string StartMomentum, string EndMomentum);

    private readonly int _totalSteps;
    private readonly Phase[] _phases;
    private readonly AnnealStrategy _anneal;
    private readonly string?[] _momentumKeys;

    /// <summary>Creates the scheduler, writes the cycle's limits into every group and applies step 0.</summary>
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart = 0.3,
        AnnealStrategy anneal = AnnealStrategy.Cos, bool cycleMomentum = true, double baseMomentum = 0.85,
        double maxMomentum = 0.95, double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
        : base(Prepare(optimizer, maxLr, totalSteps, pctStart, divFactor, finalDivFactor))
    {
        _totalSteps = totalSteps;
        _anneal = anneal;
        double warmEnd = pctStart * totalSteps - 1;
        _phases = threePhase
            ?
            [
                new Phase(warmEnd, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(2 * pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            :
            [
                new Phase(warmEnd, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ];

        var groups = optimizer.ParamGroups;
        _momentumKeys = new string?[groups.Count];
        if (cycleMomentum)
        {
            for (int i = 0; i < groups.Count; i++)
            {
                string? key = groups[i].Has("beta1") ? "beta1" : groups[i].Has("momentum") ? "momentum" : null;
                _momentumKeys[i] = key;
                if (key is null) continue;
                groups[i]["max_momentum"] = maxMomentum;
                groups[i]["base_momentum"] = baseMomentum;
            }
        }
        Initialize();
    }

    private static Optimizer Prepare(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, double divFactor, double finalDivFactor)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (totalSteps < 1)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"OneCycleLR: totalSteps must be >= 1, got {totalSteps}");
        if (!(pctStart >= 0 && pctStart <= 1))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"OneCycleLR: pctStart must be in [0, 1], got {pctStart}");
        if (!(maxLr > 0 && divFactor > 0 && finalDivFactor > 0))
            throw new ArgumentException($"OneCycleLR: maxLr, divFactor and finalDivFactor must be > 0, got {maxLr}, {divFactor}, {finalDivFactor}");
        // Set before the base constructor reads initial_lr, as PyTorch does.
        foreach (var group in optimizer.ParamGroups)
        {
            double initial = maxLr / divFactor;
            group["initial_lr"] = initial;
            group["max_lr"] = maxLr;
            group["min_lr"] = initial / finalDivFactor;
        }
        return optimizer;
    }

    /// <summary>The number of steps in the cycle.</summary>
    public int TotalSteps => _totalSteps;

    /// <inheritdoc/>
    protected override void Advance()
    {
        if (LastEpoch > _totalSteps)
            throw new InvalidOperationException($"OneCycleLR: stepped {LastEpoch} times, but the cycle has only {_totalSteps} steps");
    }

    /// <inheritdoc/>
    protected override double ComputeLr(int group)
    {
        var (phase, pct) = Locate();
        var g = Optimizer.ParamGroups[group];
        return Anneal(g[phase.StartLr], g[phase.EndLr], pct);
    }

    /// <inheritdoc/>
    protected override void ApplyExtras()
    {
        var (phase, pct) = Locate();
        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < groups.Count; i++)
        {
            if (_momentumKeys[i] is not string key) continue;
            groups[i][key] = Anneal(groups[i][phase.StartMomentum], groups[i][phase.EndMomentum], pct);
        }
    }

    /// <summary>The phase that step <see cref="LRScheduler.LastEpoch"/> is in and how far through it.</summary>
    private (Phase Phase, double Pct) Locate()
    {
        double start = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var phase = _phases[i];
            if (LastEpoch <= phase.EndStep || i == _phases.Length - 1)
            {
                // A phase of no length (e.g. pctStart·totalSteps = 1) is already at its end.
                double length = phase.EndStep - start;
                return (phase, length > 0 ? (LastEpoch - start) / length : 1);
            }
            start = phase.EndStep;
        }
        throw new InvalidOperationException("OneCycleLR: no phase");
    }

    private double Anneal(double start, double end, double pct) => _anneal switch
    {
        AnnealStrategy.Cos => end + (start - end) / 2 * (Math.Cos(Math.PI * pct) + 1),
        _ => (end - start) * pct + start,
    };
}
