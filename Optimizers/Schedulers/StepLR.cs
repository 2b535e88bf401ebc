namespace Scratch;

/// <summary>Multiplies the rate by <c>gamma</c> every <c>stepSize</c> steps: lr = base·γ^⌊t / stepSize⌋ (PyTorch's <c>StepLR</c>).</summary>
public sealed class StepLR : LRScheduler
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>Creates the scheduler and applies the rate for step 0.</summary>
    public StepLR(Optimizer optimizer, int stepSize, double gamma = 0.1) : base(optimizer)
    {
        if (stepSize < 1) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"StepLR: stepSize must be >= 1, got {stepSize}");
        _stepSize = stepSize;
        _gamma = gamma;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double ComputeLr(int group) => BaseLrs[group] * Math.Pow(_gamma, LastEpoch / _stepSize);
}
