namespace Scratch;

/// <summary>
/// What an optimizer remembers about one parameter between steps: the step count, named buffers
/// (<c>momentum_buffer</c>, <c>exp_avg</c>, <c>exp_avg_sq</c>, …, shaped like the parameter) and
/// named numbers (e.g. NAdam's <c>mu_product</c>).
/// </summary>
public sealed class ParameterState
{
    private readonly Dictionary<string, NDArray> _buffers = new();
    private readonly Dictionary<string, double> _scalars = new();

    /// <summary>Steps taken for this parameter (1 during the first update).</summary>
    public long Step { get; internal set; }

    /// <summary>The buffers by name.</summary>
    public IReadOnlyDictionary<string, NDArray> Buffers => _buffers;

    /// <summary>The per-parameter numbers by name (the step count is <see cref="Step"/>, not here).</summary>
    public IReadOnlyDictionary<string, double> Scalars => _scalars;

    /// <summary>The buffer <paramref name="name"/>.</summary>
    public NDArray this[string name]
    {
        get
        {
            if (_buffers.TryGetValue(name, out var buffer)) return buffer;
            throw new KeyNotFoundException($"optimizer state: no buffer '{name}'; the state has {(_buffers.Count == 0 ? "none" : string.Join(", ", _buffers.Keys))}");
        }
    }

    /// <summary>The buffer <paramref name="name"/>, or null when there is none yet.</summary>
    public NDArray? Find(string name) => _buffers.GetValueOrDefault(name);

    /// <summary>The buffer <paramref name="name"/>, created by <paramref name="create"/> on first use.</summary>
    public NDArray GetOrCreate(string name, Func<NDArray> create)
    {
        if (!_buffers.TryGetValue(name, out var buffer))
        {
            // The state outlives the step that creates it, even when that step runs in an ArrayScope.
            buffer = ArrayScope.Escape(create());
            _buffers[name] = buffer;
        }
        return buffer;
    }

    /// <summary>Sets (or replaces) the buffer <paramref name="name"/>.</summary>
    public void Set(string name, NDArray buffer) => _buffers[name] = ArrayScope.Escape(buffer);

    /// <summary>The number <paramref name="name"/>, or <paramref name="fallback"/> when unset.</summary>
    public double Scalar(string name, double fallback) => _scalars.GetValueOrDefault(name, fallback);

    /// <summary>Sets the number <paramref name="name"/>.</summary>
    public void SetScalar(string name, double value) => _scalars[name] = value;
}
