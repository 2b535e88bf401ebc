namespace Scratch;

/// <summary>
/// Base of the learning-rate schedulers: each <see cref="Step"/> advances a step counter
/// (<see cref="LastEpoch"/>, an epoch or a batch, as the caller decides) and writes the new learning rate
/// into every parameter group of the <see cref="Optimizer"/>, as PyTorch's <c>LRScheduler</c> does.
/// Construction already applies the rate for step 0.
/// </summary>
/// <remarks>
/// The base rate of a group is its <c>initial_lr</c> hyper-parameter, set from its <c>lr</c> by the first
/// scheduler made on the optimizer (so it is saved with the optimizer's state). A scheduler's own
/// <see cref="StateDict"/> holds only its counters; a checkpoint stores both it and the optimizer's.
/// </remarks>
public abstract class LRScheduler
{
    private double[] _baseLrs;
    private readonly double[] _lastLr;

    /// <summary>Records the base rates of <paramref name="optimizer"/>'s groups. Subclasses call <see cref="Initialize"/> at the end of their constructor.</summary>
    protected LRScheduler(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        Optimizer = optimizer;
        foreach (var group in optimizer.ParamGroups)
            if (!group.Has("initial_lr")) group["initial_lr"] = group.Lr;
        _baseLrs = optimizer.ParamGroups.Select(g => g["initial_lr"]).ToArray();
        _lastLr = optimizer.ParamGroups.Select(g => g.Lr).ToArray();
    }

    /// <summary>The optimizer whose learning rates this scheduler sets.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The base learning rate of each group (its <c>initial_lr</c>).</summary>
    public IReadOnlyList<double> BaseLrs => _baseLrs;

    /// <summary>How many times <see cref="Step"/> was called (PyTorch's <c>last_epoch</c>).</summary>
    public int LastEpoch { get; protected set; }

    /// <summary>The learning rate of each group as last set by this scheduler.</summary>
    public IReadOnlyList<double> LastLr => _lastLr;

    /// <summary>Name used in messages (the class name).</summary>
    protected string Name => GetType().Name;

    /// <summary>Advances one step and applies the new learning rates.</summary>
    public virtual void Step()
    {
        LastEpoch++;
        Advance();
        Apply();
    }

    /// <summary>The learning rate of group <paramref name="group"/> at step <see cref="LastEpoch"/>.</summary>
    protected abstract double ComputeLr(int group);

    /// <summary>Updates subclass state after <see cref="LastEpoch"/> was incremented by <see cref="Step"/>.</summary>
    protected virtual void Advance()
    {
    }

    /// <summary>Returns subclass state to step 0.</summary>
    protected virtual void ResetState()
    {
    }

    /// <summary>Sets other hyper-parameters (e.g. momentum) after the learning rates were applied.</summary>
    protected virtual void ApplyExtras()
    {
    }

    /// <summary>Starts at step 0 and applies its rates; each subclass constructor calls this last.</summary>
    protected void Initialize() => Restart();

    /// <summary>Goes back to step 0 and applies its rates (a wrapping scheduler hands over this way).</summary>
    internal void Restart()
    {
        LastEpoch = 0;
        ResetState();
        Apply();
    }

    /// <summary>Writes <see cref="ComputeLr"/> into every group and records it in <see cref="LastLr"/>.</summary>
    protected void Apply()
    {
        var groups = Optimizer.ParamGroups;
        if (groups.Count != _lastLr.Length)
            throw new InvalidOperationException($"{Name}: the optimizer now has {groups.Count} parameter groups, the scheduler was made for {_lastLr.Length}");
        for (int i = 0; i < groups.Count; i++)
        {
            double lr = ComputeLr(i);
            groups[i].Lr = lr;
            _lastLr[i] = lr;
        }
        ApplyExtras();
    }

    /// <summary>Records rates that were set on this scheduler's behalf (by a scheduler it wraps).</summary>
    protected void RecordLastLr(IReadOnlyList<double> lrs)
    {
        for (int i = 0; i < _lastLr.Length; i++) _lastLr[i] = lrs[i];
    }

    /// <summary>The scheduler's counters as name → number: <c>last_epoch</c>, <c>base_lrs.i</c>, <c>last_lr.i</c> and subclass state.</summary>
    public virtual Dictionary<string, double> StateDict()
    {
        var state = new Dictionary<string, double> { ["last_epoch"] = LastEpoch };
        for (int i = 0; i < _baseLrs.Length; i++) state[$"base_lrs.{i}"] = _baseLrs[i];
        for (int i = 0; i < _lastLr.Length; i++) state[$"last_lr.{i}"] = _lastLr[i];
        return state;
    }

    /// <summary>Restores the counters saved by <see cref="StateDict"/> (the optimizer's learning rates come from its own state).</summary>
    public virtual void LoadStateDict(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var baseLrs = new double[_baseLrs.Length];
        var lastLr = new double[_lastLr.Length];
        for (int i = 0; i < baseLrs.Length; i++)
        {
            baseLrs[i] = Read(state, $"base_lrs.{i}");
            lastLr[i] = Read(state, $"last_lr.{i}");
        }
        if (state.ContainsKey($"base_lrs.{baseLrs.Length}"))
            throw new ArgumentException($"{Name}: the state has more parameter groups than the optimizer's {baseLrs.Length}");
        LastEpoch = ReadInt(state, "last_epoch");
        _baseLrs = baseLrs;
        lastLr.CopyTo(_lastLr, 0);
    }

    /// <summary>Reads <paramref name="key"/> from a state dict, throwing when it is missing.</summary>
    protected double Read(IReadOnlyDictionary<string, double> state, string key)
    {
        if (state.TryGetValue(key, out double value)) return value;
        throw new ArgumentException($"{Name}: the state lacks '{key}'; was it saved from another scheduler?");
    }

    /// <summary>Reads a whole number from a state dict.</summary>
    protected int ReadInt(IReadOnlyDictionary<string, double> state, string key)
    {
        double value = Read(state, key);
        if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
            throw new ArgumentException($"{Name}: state '{key}' must be a whole number, got {value}");
        return (int)value;
    }
}
