using System.Globalization;

namespace Scratch;

/// <summary>
/// A set of parameters that share hyper-parameters (learning rate, weight decay, momentum, …), as in
/// PyTorch's <c>optimizer.param_groups</c>. Hyper-parameters are named numbers with PyTorch's names
/// (<c>lr</c>, <c>weight_decay</c>, <c>momentum</c>, <c>beta1</c>, …; flags such as <c>nesterov</c> are
/// 0 or 1) so that schedulers can change them and checkpoints can store them.
/// </summary>
public sealed class ParamGroup
{
    private readonly Dictionary<string, double> _options;

    internal ParamGroup(IReadOnlyList<Tensor> parameters, Dictionary<string, double> options)
    {
        Parameters = parameters;
        _options = options;
    }

    /// <summary>The tensors this group updates, in order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Every hyper-parameter of the group by name.</summary>
    public IReadOnlyDictionary<string, double> Options => _options;

    /// <summary>The learning rate (<c>lr</c>).</summary>
    public double Lr
    {
        get => this["lr"];
        set => this["lr"] = value;
    }

    /// <summary>The weight decay (<c>weight_decay</c>).</summary>
    public double WeightDecay
    {
        get => this["weight_decay"];
        set => this["weight_decay"] = value;
    }

    /// <summary>
    /// The hyper-parameter <paramref name="name"/>. Reading an unknown name throws; writing one adds it
    /// (schedulers keep values such as <c>initial_lr</c> in the group, as PyTorch does).
    /// </summary>
    public double this[string name]
    {
        get
        {
            if (_options.TryGetValue(name, out double value)) return value;
            throw new KeyNotFoundException($"param group: no hyper-parameter '{name}'; the group has {string.Join(", ", _options.Keys)}");
        }
        set
        {
            if (double.IsNaN(value))
                throw new ArgumentException($"param group: hyper-parameter '{name}' cannot be NaN");
            _options[name] = value;
        }
    }

    /// <summary>Replaces every hyper-parameter (loading a state dict).</summary>
    internal void ReplaceOptions(Dictionary<string, double> options)
    {
        _options.Clear();
        foreach (var (key, value) in options) _options[key] = value;
    }

    /// <summary>True when the group has a hyper-parameter called <paramref name="name"/>.</summary>
    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>A 0/1 hyper-parameter read as a flag.</summary>
    public bool Flag(string name) => this[name] != 0;

    /// <summary>The group as PyTorch prints it, e.g. <c>ParamGroup(3 params, lr=0.1, momentum=0.9)</c>.</summary>
    public override string ToString()
        => $"ParamGroup({Parameters.Count} params, "
           + string.Join(", ", _options.Select(o => o.Key + "=" + o.Value.ToString("R", CultureInfo.InvariantCulture))) + ")";
}
