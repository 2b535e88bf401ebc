namespace Scratch;

/// <summary>
/// Base of the optimizers: updates any leaf <see cref="Tensor"/>s from their <see cref="Tensor.Grad"/>,
/// whoever owns them. Parameters are organised in <see cref="ParamGroup"/>s with their own
/// hyper-parameters; per-parameter state (momentum buffers, moment estimates, step counts) is kept
/// here and can be saved and restored with <see cref="StateDict"/> / <see cref="LoadStateDict"/>.
/// </summary>
/// <remarks>Typical loop: <c>opt.ZeroGrad(); loss.Backward(); opt.Step();</c></remarks>
public abstract class Optimizer
{
    private readonly List<ParamGroup> _groups = new();
    private readonly HashSet<Tensor> _members = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, ParameterState> _state = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, double> _defaults;

    /// <summary>Creates the optimizer with one group holding <paramref name="parameters"/> and the given default hyper-parameters.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, IReadOnlyDictionary<string, double> defaults)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _defaults = new Dictionary<string, double>(defaults);
        ValidateOptions(_defaults);
        AddParamGroup(parameters);
    }

    /// <summary>The hyper-parameters a new group gets unless it overrides them.</summary>
    public IReadOnlyDictionary<string, double> Defaults => _defaults;

    /// <summary>The parameter groups, in order.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => _groups;

    /// <summary>Every parameter of every group, in order (the numbering used by <see cref="StateDict"/>).</summary>
    public IEnumerable<Tensor> Parameters => _groups.SelectMany(g => g.Parameters);

    /// <summary>Name used in messages (the class name).</summary>
    protected string Name => GetType().Name;

    /// <summary>
    /// Adds a group of parameters with its own hyper-parameters: <paramref name="options"/> (PyTorch names,
    /// e.g. <c>momentum</c>, <c>beta1</c>), then <paramref name="lr"/> and <paramref name="weightDecay"/>,
    /// override the optimizer's <see cref="Defaults"/>. Parameters must be floating-point leaves; frozen ones
    /// (<c>RequiresGrad = false</c>) are accepted and simply skipped while they have no gradient, as in PyTorch.
    /// </summary>
    public ParamGroup AddParamGroup(IEnumerable<Tensor> parameters, double? lr = null, double? weightDecay = null,
        IReadOnlyDictionary<string, double>? options = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters.ToList();
        if (list.Count == 0)
            throw new ArgumentException($"{Name}: a parameter group needs at least one parameter, got an empty list");
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in list)
        {
            if (p is null) throw new ArgumentException($"{Name}: the parameter list contains null");
            if (!p.IsLeaf)
                throw new ArgumentException($"{Name}: cannot optimize a non-leaf tensor {p.ShapeString} (made by {p.GradFn!.Name}); optimize the leaves it came from");
            if (!p.DType.IsFloatingPoint())
                throw new ArgumentException($"{Name}: cannot optimize a {p.DType.Name()} tensor {p.ShapeString}; parameters must be floating point");
            if (!seen.Add(p) || _members.Contains(p))
                throw new ArgumentException($"{Name}: parameter {Describe(p)} appears more than once; a parameter may belong to one group only");
        }

        var merged = new Dictionary<string, double>(_defaults);
        if (options is not null)
        {
            foreach (var (key, value) in options)
            {
                if (!_defaults.ContainsKey(key))
                    throw new ArgumentException($"{Name}: unknown hyper-parameter '{key}'; known: {string.Join(", ", _defaults.Keys)}");
                merged[key] = value;
            }
        }
        if (lr is double l) merged["lr"] = l;
        if (weightDecay is double wd) merged["weight_decay"] = wd;
        ValidateOptions(merged);

        var group = new ParamGroup(list, merged);
        _groups.Add(group);
        _members.UnionWith(list);
        return group;
    }

    /// <summary>
    /// Throws when a hyper-parameter is out of range (<see cref="ArgumentOutOfRangeException"/> naming it).
    /// Overrides add their own checks after calling the base, which checks <c>lr</c> and <c>weight_decay</c>.
    /// </summary>
    protected virtual void ValidateOptions(IReadOnlyDictionary<string, double> options)
    {
        RequireAtLeast(options, "lr", 0);
        RequireAtLeast(options, "weight_decay", 0);
    }

    /// <summary>Throws unless <c>options[name] ≥ min</c>.</summary>
    protected void RequireAtLeast(IReadOnlyDictionary<string, double> options, string name, double min)
    {
        double value = options[name];
        if (!(value >= min))
            throw new ArgumentOutOfRangeException(name, value, $"{Name}: {name} must be >= {min}, got {value}");
    }

    /// <summary>Throws unless <c>min ≤ options[name] &lt; max</c>.</summary>
    protected void RequireInRange(IReadOnlyDictionary<string, double> options, string name, double min, double max)
    {
        double value = options[name];
        if (!(value >= min && value < max))
            throw new ArgumentOutOfRangeException(name, value, $"{Name}: {name} must be in [{min}, {max}), got {value}");
    }

    /// <summary>Forgets the gradients: sets every parameter's <see cref="Tensor.Grad"/> to null (or to zeros when <paramref name="setToNone"/> is false).</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters)
        {
            if (setToNone) p.Grad = null;
            else p.Grad?.Data.FillInPlace(0);
        }
    }

    /// <summary>Updates every parameter that has a gradient (parameters whose <see cref="Tensor.Grad"/> is null are skipped).</summary>
    public void Step()
    {
        using var noGrad = Tensor.NoGrad();
        foreach (var group in _groups)
        {
            foreach (var p in group.Parameters)
            {
                var grad = p.Grad?.Data;
                if (grad is null) continue;
                CheckGradient(p, grad);
                if (!_state.TryGetValue(p, out var state))
                {
                    state = new ParameterState();
                    _state[p] = state;
                }
                state.Step++;
                Update(group, p.Data, grad, state);
            }
        }
    }

    /// <summary>Runs <paramref name="closure"/> (which computes the loss and its gradients), then <see cref="Step()"/>; returns the loss.</summary>
    public double Step(Func<double> closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        double loss = closure();
        Step();
        return loss;
    }

    /// <summary>
    /// Applies one update to <paramref name="param"/> given its gradient. Called inside a no-grad scope
    /// after <see cref="ParameterState.Step"/> was incremented; <paramref name="grad"/> has the parameter's
    /// shape, dtype and device but may be non-contiguous.
    /// </summary>
    protected abstract void Update(ParamGroup group, NDArray param, NDArray grad, ParameterState state);

    /// <summary>
    /// Runs a fused update that needs a contiguous parameter: directly on <paramref name="param"/> when it is
    /// contiguous, else on a contiguous copy that is written back.
    /// </summary>
    protected static void UpdateContiguous(NDArray param, Action<NDArray> update)
    {
        var work = param.Contiguous();
        update(work);
        if (!ReferenceEquals(work, param)) param.CopyFrom(work);
    }

    /// <summary>The state kept for <paramref name="parameter"/>, or null before its first update.</summary>
    public ParameterState? GetState(Tensor parameter) => _state.GetValueOrDefault(parameter);

    private void CheckGradient(Tensor p, NDArray grad)
    {
        if (!grad.Shape.SequenceEqual(p.Shape) || grad.DType != p.DType || grad.Device != p.Device)
            throw new InvalidOperationException(
                $"{Name}: gradient {grad.ShapeString} {grad.DType.Name()} on {grad.Device} does not match parameter {Describe(p)} {p.DType.Name()} on {p.Device}");
    }

    private static string Describe(Tensor p) => p.Name is null ? p.ShapeString : $"'{p.Name}' {p.ShapeString}";

    // ---- state dict ---------------------------------------------------------------------------

    /// <summary>
    /// A copy of the optimizer's state (per-parameter buffers and numbers, and every group's
    /// hyper-parameters) keyed as <see cref="OptimizerState"/> documents.
    /// </summary>
    public OptimizerState StateDict()
    {
        var tensors = new Dictionary<string, NDArray>();
        var scalars = new Dictionary<string, double>();
        int index = 0;
        for (int g = 0; g < _groups.Count; g++)
        {
            var group = _groups[g];
            scalars[$"param_groups.{g}.param_count"] = group.Parameters.Count;
            foreach (var (key, value) in group.Options) scalars[$"param_groups.{g}.{key}"] = value;
            foreach (var p in group.Parameters)
            {
                if (_state.TryGetValue(p, out var state))
                {
                    scalars[$"state.{index}.step"] = state.Step;
                    foreach (var (key, value) in state.Scalars) scalars[$"state.{index}.{key}"] = value;
                    foreach (var (key, buffer) in state.Buffers) tensors[$"state.{index}.{key}"] = buffer.Clone();
                }
                index++;
            }
        }
        return new OptimizerState(tensors, scalars);
    }

    /// <summary>
    /// Replaces the optimizer's state and hyper-parameters with <paramref name="stateDict"/> (from
    /// <see cref="StateDict"/> of an optimizer of the same kind over parameters of the same shapes, in the
    /// same groups). Buffers are copied to each parameter's dtype and device. Everything is checked before
    /// anything changes.
    /// </summary>
    public void LoadStateDict(OptimizerState stateDict)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var parameters = Parameters.ToList();
        var groupOptions = ReadGroupOptions(stateDict.Scalars);
        var states = new Dictionary<int, ParameterState>();

        ParameterState StateAt(string key, int index)
        {
            if (index < 0 || index >= parameters.Count)
                throw new ArgumentException($"{Name}: state key '{key}' names parameter {index}, but the optimizer has {parameters.Count} parameters");
            if (!states.TryGetValue(index, out var state)) states[index] = state = new ParameterState();
            return state;
        }

        foreach (var (key, value) in stateDict.Scalars)
        {
            if (!TryParseStateKey(key, out int index, out string name))
            {
                if (!key.StartsWith("param_groups.", StringComparison.Ordinal))
                    throw new ArgumentException($"{Name}: unexpected key '{key}' (expected state.<index>.<name> or param_groups.<index>.<name>)");
                continue;
            }
            var state = StateAt(key, index);
            if (name == "step")
            {
                if (value < 0 || value != Math.Floor(value))
                    throw new ArgumentException($"{Name}: state key '{key}' must be a whole step count >= 0, got {value}");
                state.Step = (long)value;
            }
            else state.SetScalar(name, value);
        }
        foreach (var (key, tensor) in stateDict.Tensors)
        {
            if (!TryParseStateKey(key, out int index, out string name))
                throw new ArgumentException($"{Name}: unexpected tensor key '{key}' (expected state.<index>.<name>)");
            var state = StateAt(key, index);
            var p = parameters[index];
            if (!tensor.Shape.SequenceEqual(p.Shape))
                throw new ArgumentException($"{Name}: state tensor '{key}' {tensor.ShapeString} does not match parameter {index} {Describe(p)}");
            state.Set(name, tensor.To(p.DType, forceCopy: true).To(p.Device));
        }

        // Everything checked: commit.
        for (int g = 0; g < _groups.Count; g++) _groups[g].ReplaceOptions(groupOptions[g]);
        _state.Clear();
        foreach (var (index, state) in states) _state[parameters[index]] = state;
    }

    private List<Dictionary<string, double>> ReadGroupOptions(IReadOnlyDictionary<string, double> scalars)
    {
        var result = _groups.Select(_ => new Dictionary<string, double>()).ToList();
        var counts = new double?[_groups.Count];
        foreach (var (key, value) in scalars)
        {
            if (!key.StartsWith("param_groups.", StringComparison.Ordinal)) continue;
            var parts = key.Split('.', 3);
            if (parts.Length != 3 || !int.TryParse(parts[1], out int g))
                throw new ArgumentException($"{Name}: unexpected key '{key}' (expected param_groups.<index>.<name>)");
            if (g < 0 || g >= _groups.Count)
                throw new ArgumentException($"{Name}: the state has a parameter group {g}, but the optimizer has {_groups.Count} groups");
            if (parts[2] == "param_count") counts[g] = value;
            else result[g][parts[2]] = value;
        }
        for (int g = 0; g < _groups.Count; g++)
        {
            if (counts[g] is not double count)
                throw new ArgumentException($"{Name}: the state lacks param_groups.{g}.param_count (the optimizer has {_groups.Count} groups)");
            if (count != _groups[g].Parameters.Count)
                throw new ArgumentException($"{Name}: parameter group {g} has {_groups[g].Parameters.Count} parameters, the state has {count}");
            foreach (var name in _defaults.Keys)
            {
                if (!result[g].ContainsKey(name))
                    throw new ArgumentException($"{Name}: the state lacks param_groups.{g}.{name}; was it saved from another kind of optimizer?");
            }
            ValidateOptions(result[g]);
        }
        return result;
    }

    private static bool TryParseStateKey(string key, out int index, out string name)
    {
        index = -1;
        name = "";
        if (!key.StartsWith("state.", StringComparison.Ordinal)) return false;
        var parts = key.Split('.', 3);
        if (parts.Length != 3 || !int.TryParse(parts[1], out index) || parts[2].Length == 0)
            throw new ArgumentException($"unexpected state key '{key}' (expected state.<index>.<name>)");
        name = parts[2];
        return true;
    }
}
