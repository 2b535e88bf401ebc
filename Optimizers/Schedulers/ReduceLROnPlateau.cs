namespace Scratch;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> wants the metric to go down (a loss) or up (an accuracy).</summary>
public enum PlateauMode
{
    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>How <see cref="ReduceLROnPlateau"/> decides that a metric improved.</summary>
public enum ThresholdMode
{
    /// <summary>Better than best·(1 ∓ threshold).</summary>
    Rel,

    /// <summary>Better than best ∓ threshold.</summary>
    Abs,
}

/// <summary>
/// Cuts the learning rate by <c>factor</c> when a metric has stopped improving for more than
/// <c>patience</c> steps, then waits <c>cooldown</c> steps before counting again; rates never go below
/// <c>minLr</c> (changes smaller than <c>eps</c> are skipped). Exactly PyTorch's <c>ReduceLROnPlateau</c>;
/// call <see cref="Step(double)"/> with the metric (e.g. the validation loss) once per epoch.
/// </summary>
public sealed class ReduceLROnPlateau
{
    private readonly PlateauMode _mode;
    private readonly double _factor;
    private readonly int _patience;
    private readonly double _threshold;
    private readonly ThresholdMode _thresholdMode;
    private readonly int _cooldown;
    private readonly double[] _minLrs;
    private readonly double _eps;
    private readonly double[] _lastLr;

    /// <summary>Creates the scheduler (it does not change the rates until a plateau is seen).</summary>
    public ReduceLROnPlateau(Optimizer optimizer, PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10,
        double threshold = 1e-4, ThresholdMode thresholdMode = ThresholdMode.Rel, int cooldown = 0, double minLr = 0, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!(factor < 1 && factor >= 0))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, $"ReduceLROnPlateau: factor must be in [0, 1), got {factor}");
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), patience, $"ReduceLROnPlateau: patience must be >= 0, got {patience}");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), cooldown, $"ReduceLROnPlateau: cooldown must be >= 0, got {cooldown}");
        Optimizer = optimizer;
        _mode = mode;
        _factor = factor;
        _patience = patience;
        _threshold = threshold;
        _thresholdMode = thresholdMode;
        _cooldown = cooldown;
        _minLrs = Enumerable.Repeat(minLr, optimizer.ParamGroups.Count).ToArray();
        _eps = eps;
        _lastLr = optimizer.ParamGroups.Select(g => g.Lr).ToArray();
        Best = WorstValue;
    }

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The best metric seen so far.</summary>
    public double Best { get; private set; }

    /// <summary>Consecutive steps without improvement.</summary>
    public int NumBadEpochs { get; private set; }

    /// <summary>Steps left in the current cooldown.</summary>
    public int CooldownCounter { get; private set; }

    /// <summary>How many times <see cref="Step(double)"/> was called.</summary>
    public int LastEpoch { get; private set; }

    /// <summary>The learning rate of each group after the last step.</summary>
    public IReadOnlyList<double> LastLr => _lastLr;

    private double WorstValue => _mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>Records the metric of one epoch and cuts the rates when it has plateaued.</summary>
    public void Step(double metric)
    {
        LastEpoch++;
        if (IsBetter(metric, Best))
        {
            Best = metric;
            NumBadEpochs = 0;
        }
        else
        {
            NumBadEpochs++;
        }

        if (CooldownCounter > 0)
        {
            CooldownCounter--;
            NumBadEpochs = 0; // bad epochs during a cooldown do not count
        }

        if (NumBadEpochs > _patience)
        {
            ReduceLrs();
            CooldownCounter = _cooldown;
            NumBadEpochs = 0;
        }

        var groups = Optimizer.ParamGroups;
        for (int i = 0; i < _lastLr.Length; i++) _lastLr[i] = groups[i].Lr;
    }

    private void ReduceLrs()
    {
        var groups = Optimizer.ParamGroups;
        if (groups.Count != _minLrs.Length)
            throw new InvalidOperationException($"ReduceLROnPlateau: the optimizer now has {groups.Count} parameter groups, the scheduler was made for {_minLrs.Length}");
        for (int i = 0; i < groups.Count; i++)
        {
            double old = groups[i].Lr;
            double reduced = Math.Max(old * _factor, _minLrs[i]);
            if (old - reduced > _eps) groups[i].Lr = reduced;
        }
    }

    private bool IsBetter(double a, double best) => (_mode, _thresholdMode) switch
    {
        (PlateauMode.Min, ThresholdMode.Rel) => a < best * (1 - _threshold),
        (PlateauMode.Min, ThresholdMode.Abs) => a < best - _threshold,
        (PlateauMode.Max, ThresholdMode.Rel) => a > best * (_threshold + 1),
        _ => a > best + _threshold,
    };

    /// <summary>The counters as name → number: <c>best</c>, <c>num_bad_epochs</c>, <c>cooldown_counter</c>, <c>last_epoch</c>, <c>last_lr.i</c>.</summary>
    public Dictionary<string, double> StateDict()
    {
        var state = new Dictionary<string, double>
        {
            ["best"] = Best,
            ["num_bad_epochs"] = NumBadEpochs,
            ["cooldown_counter"] = CooldownCounter,
            ["last_epoch"] = LastEpoch,
        };
        for (int i = 0; i < _lastLr.Length; i++) state[$"last_lr.{i}"] = _lastLr[i];
        return state;
    }

    /// <summary>Restores the counters saved by <see cref="StateDict"/>.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        double Read(string key) => state.TryGetValue(key, out double v)
            ? v
            : throw new ArgumentException($"ReduceLROnPlateau: the state lacks '{key}'; was it saved from another scheduler?");
        var lastLr = Enumerable.Range(0, _lastLr.Length).Select(i => Read($"last_lr.{i}")).ToArray();
        double best = Read("best");
        int bad = (int)Read("num_bad_epochs"), cooldown = (int)Read("cooldown_counter"), epoch = (int)Read("last_epoch");
        Best = best;
        NumBadEpochs = bad;
        CooldownCounter = cooldown;
        LastEpoch = epoch;
        lastLr.CopyTo(_lastLr, 0);
    }
}
