namespace Scratch;

/// <summary>Multiplies the rate by <c>gamma</c> every step: lr = base·γ^t (PyTorch's <c>ExponentialLR</c>).</summary>
public sealed class ExponentialLR : LRScheduler
{
    private readonly double _gamma;

    /// <summary>Creates the scheduler and applies the rate for step 0.</summary>
    public ExponentialLR(Optimizer optimizer, double gamma) : base(optimizer)
    {
        _gamma = gamma;
        Initialize();
    }

    /// <inheritdoc/>
    protected override double ComputeLr(int group) => BaseLrs[group] * Math.Pow(_gamma, LastEpoch);
}
