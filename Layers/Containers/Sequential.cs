using System.Collections;
using System.Globalization;

namespace Scratch;

/// <summary>
/// Modules applied one after another; children are named <c>0</c>, <c>1</c>, … (or by the names
/// given), so state-dict names match PyTorch's <c>nn.Sequential</c>.
/// </summary>
public sealed class Sequential : Module, IEnumerable<Module>
{
    [StateName("")]
    private readonly OrderedDictionary<string, Module> _modules = new(StringComparer.Ordinal);

    /// <summary>A chain of <paramref name="modules"/>, named by position.</summary>
    public Sequential(params Module[] modules)
    {
        foreach (var module in modules) Add(module);
    }

    /// <summary>A chain of named modules (like PyTorch's <c>Sequential(OrderedDict(...))</c>).</summary>
    public Sequential(IEnumerable<(string Name, Module Module)> modules)
    {
        foreach (var (name, module) in modules) Add(name, module);
    }

    /// <summary>Number of modules.</summary>
    public int Count => _modules.Count;

    /// <summary>The module at <paramref name="index"/>.</summary>
    public Module this[int index]
    {
        get
        {
            if (index < 0) index += _modules.Count;
            if (index < 0 || index >= _modules.Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"sequential: index out of range for {_modules.Count} modules");
            return _modules.GetAt(index).Value;
        }
    }

    /// <summary>The module named <paramref name="name"/>.</summary>
    public Module this[string name]
        => _modules.TryGetValue(name, out var module) ? module
            : throw new KeyNotFoundException($"sequential: no module named '{name}' (have: {string.Join(", ", _modules.Keys)})");

    /// <summary>Appends <paramref name="module"/> under the next index as its name; returns this.</summary>
    public Sequential Add(Module module) => Add(_modules.Count.ToString(CultureInfo.InvariantCulture), module);

    /// <summary>Appends <paramref name="module"/> under <paramref name="name"/>; returns this.</summary>
    public Sequential Add(string name, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"sequential: module name '{name}' must be non-empty and contain no '.'", nameof(name));
        if (!_modules.TryAdd(name, module))
            throw new ArgumentException($"sequential: a module named '{name}' already exists", nameof(name));
        return this;
    }

    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input)
    {
        var x = input;
        foreach (var module in _modules.Values) x = module.Forward(x);
        return x;
    }

    /// <summary>The modules in order.</summary>
    public IEnumerator<Module> GetEnumerator() => _modules.Values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
