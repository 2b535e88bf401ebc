namespace Scratch;

/// <summary>
/// Cosine annealing from the base rate down to <c>etaMin</c> over <c>tMax</c> steps:
/// lr = η_min + (base − η_min)·(1 + cos(π·t / T_max)) / 2 (PyTorch's <c>CosineAnnealingLR</c>, closed form;
/// past T_max the cosine rises again).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private readonly int _tMax;
    private readonly double _etaMin;

    /// <summary>Creates the scheduler and applies the rate for step 0.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0) : base(optimizer)
    {
        if (tMax < 1) throw new ArgumentOutOfRangeException(nameof(tMax), tMax, $"CosineAnnealingLR: tMax must be >= 1, got {tMax}");
        _tMax = tMax;
        _etaMin = etaMin;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double ComputeLr(int group)
        => _etaMin + (BaseLrs[group] - _etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / 2;
}
