namespace Scratch;

/// <summary>What an <see cref="LrFinder"/> run recorded.</summary>
/// <param name="Lrs">The learning rate of each step taken, increasing exponentially.</param>
/// <param name="Losses">The smoothed (bias-corrected exponential moving average) loss after each step.</param>
/// <param name="SuggestedLr">The rate where the smoothed loss fell fastest (steepest descent against log lr), or null with fewer than 2 points.</param>
/// <param name="Diverged">True when the run stopped early because the loss blew up (or was not finite).</param>
public sealed record LrFinderResult(IReadOnlyList<double> Lrs, IReadOnlyList<double> Losses, double? SuggestedLr, bool Diverged)
{
    /// <summary>The rate at which the smoothed loss was lowest (NaN when nothing was recorded).</summary>
    public double MinLossLr => Losses.Count == 0 ? double.NaN : Lrs[Losses.Select((l, i) => (l, i)).MinBy(p => p.l).i];
}

/// <summary>
/// Smith's learning-rate range test: trains for a number of steps while the rate grows exponentially
/// from a minimum to a maximum, records the smoothed loss, stops early once it exceeds
/// <c>divergeThreshold</c> × the best seen, then restores the optimizer's state and rates and suggests
/// the rate of steepest descent.
/// </summary>
/// <remarks>
/// The finder drives only the optimizer: each step it calls <c>ZeroGrad</c>, the caller's
/// <c>trainStep</c> (one forward and backward pass on a batch, returning the loss), then <c>Step</c>.
/// It cannot see the model, so the model's weights change during the test: pass
/// <c>saveState</c>/<c>restoreState</c> (e.g. saving and loading the module's state dict) to have them
/// restored, or restore them yourself afterwards.
/// </remarks>
public sealed class LrFinder
{
    private readonly Optimizer _optimizer;
    private readonly Func<double> _trainStep;
    private readonly Action? _saveState;
    private readonly Action? _restoreState;

    /// <summary>Prepares a range test of <paramref name="optimizer"/> driven by <paramref name="trainStep"/>.</summary>
    public LrFinder(Optimizer optimizer, Func<double> trainStep, Action? saveState = null, Action? restoreState = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(trainStep);
        if ((saveState is null) != (restoreState is null))
            throw new ArgumentException("LrFinder: give both saveState and restoreState, or neither");
        _optimizer = optimizer;
        _trainStep = trainStep;
        _saveState = saveState;
        _restoreState = restoreState;
    }

    /// <summary>
    /// Runs the test over <paramref name="steps"/> rates from <paramref name="minLr"/> to <paramref name="maxLr"/>
    /// (geometric), smoothing the loss with factor <paramref name="smoothing"/>. The suggestion ignores the first
    /// <paramref name="skipStart"/> and last <paramref name="skipEnd"/> points when enough remain.
    /// </summary>
    public LrFinderResult Run(double minLr = 1e-7, double maxLr = 10, int steps = 100, double smoothing = 0.98,
        double divergeThreshold = 4, int skipStart = 10, int skipEnd = 5)
    {
        if (!(minLr > 0 && maxLr > minLr))
            throw new ArgumentException($"LrFinder: need 0 < minLr < maxLr, got minLr {minLr}, maxLr {maxLr}");
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, $"LrFinder: steps must be >= 2, got {steps}");
        if (!(smoothing >= 0 && smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, $"LrFinder: smoothing must be in [0, 1), got {smoothing}");
        if (!(divergeThreshold > 1))
            throw new ArgumentOutOfRangeException(nameof(divergeThreshold), divergeThreshold, $"LrFinder: divergeThreshold must be > 1, got {divergeThreshold}");

        var lrs = new List<double>();
        var losses = new List<double>();
        bool diverged = false;
        var saved = _optimizer.StateDict();
        _saveState?.Invoke();
        try
        {
            double average = 0, best = double.PositiveInfinity;
            for (int i = 0; i < steps; i++)
            {
                double lr = minLr * Math.Pow(maxLr / minLr, (double)i / (steps - 1));
                foreach (var group in _optimizer.ParamGroups) group.Lr = lr;
                _optimizer.ZeroGrad();
                double loss = _trainStep();
                _optimizer.Step();

                average = smoothing * average + (1 - smoothing) * loss;
                double smoothed = average / (1 - Math.Pow(smoothing, i + 1));
                if (!double.IsFinite(smoothed))
                {
                    diverged = true;
                    break;
                }
                lrs.Add(lr);
                losses.Add(smoothed);
                best = Math.Min(best, smoothed);
                if (smoothed > divergeThreshold * best)
                {
                    diverged = true;
                    break;
                }
            }
        }
        finally
        {
            _optimizer.LoadStateDict(saved);
            _optimizer.ZeroGrad();
            _restoreState?.Invoke();
        }
        return new LrFinderResult(lrs, losses, Suggest(lrs, losses, skipStart, skipEnd), diverged);
    }

    /// <summary>The rate where the loss falls fastest: the minimum of its finite-difference slope (as <c>np.gradient</c>).</summary>
    private static double? Suggest(List<double> lrs, List<double> losses, int skipStart, int skipEnd)
    {
        int from = Math.Max(0, skipStart), to = losses.Count - Math.Max(0, skipEnd);
        if (to - from < 2)
        {
            from = 0;
            to = losses.Count;
        }
        if (to - from < 2) return null;

        int best = from;
        double steepest = double.PositiveInfinity;
        for (int i = from; i < to; i++)
        {
            double slope = i == from ? losses[i + 1] - losses[i]
                : i == to - 1 ? losses[i] - losses[i - 1]
                : (losses[i + 1] - losses[i - 1]) / 2;
            if (slope < steepest)
            {
                steepest = slope;
                best = i;
            }
        }
        return lrs[best];
    }
}
