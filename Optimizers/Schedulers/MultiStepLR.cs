namespace Scratch;

/// <summary>
/// Multiplies the rate by <c>gamma</c> at each milestone: lr = base·γ^(number of milestones ≤ t)
/// (PyTorch's <c>MultiStepLR</c>; a milestone listed twice counts twice).
/// </summary>
public sealed class MultiStepLR : LRScheduler
{
    private readonly int[] _milestones;
    private readonly double _gamma;

    /// <summary>Creates the scheduler and applies the rate for step 0.</summary>
    public MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1) : base(optimizer)
    {
        ArgumentNullException.ThrowIfNull(milestones);
        _milestones = milestones.Order().ToArray();
        _gamma = gamma;
        Initialize();
    }

    /// <summary>The milestones, sorted.</summary>
    public IReadOnlyList<int> Milestones => _milestones;

    /// <inheritdoc/>
    protected override double ComputeLr(int group)
        => BaseLrs[group] * Math.Pow(_gamma, _milestones.Count(m => m <= LastEpoch));
}
