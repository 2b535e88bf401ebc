using System.Text;

namespace Scratch;

/// <summary>What <see cref="Module.LoadStateDict"/> left out in non-strict mode.</summary>
/// <param name="MissingKeys">Names the module has but the dict lacked (left unchanged).</param>
/// <param name="UnexpectedKeys">Names in the dict the module does not have (ignored).</param>
public sealed record LoadStateDictResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);

public abstract partial class Module
{
    /// <summary>
    /// The module's persistent state in PyTorch order — each module's parameters, then its buffers,
    /// then its children's — under dotted names (<c>features.0.weight</c>, <c>bn.running_mean</c>).
    /// The arrays are the module's own (not copies): clone them for a snapshot that later training must not change.
    /// </summary>
    public OrderedDictionary<string, NDArray> StateDict()
    {
        var state = new OrderedDictionary<string, NDArray>(StringComparer.Ordinal);
        foreach (var (name, target) in StateTargets()) state[name] = target();
        return state;
    }

    /// <summary>
    /// Copies the arrays of <paramref name="stateDict"/> into this module's parameters and buffers in
    /// place (converting dtype and device), so optimizers holding the parameters stay valid. Shapes must
    /// match. When <paramref name="strict"/>, the keys must match exactly too. Nothing is copied when an
    /// error is thrown; the message lists every missing, unexpected and mis-shaped entry.
    /// </summary>
    public LoadStateDictResult LoadStateDict(IReadOnlyDictionary<string, NDArray> stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var targets = StateTargets().ToList();
        var known = new HashSet<string>(targets.Select(t => t.Name), StringComparer.Ordinal);
        var missing = targets.Where(t => !stateDict.ContainsKey(t.Name)).Select(t => t.Name).ToList();
        var unexpected = stateDict.Keys.Where(k => !known.Contains(k)).ToList();
        var mismatched = new List<string>();
        foreach (var (name, target) in targets)
        {
            if (!stateDict.TryGetValue(name, out var source)) continue;
            var current = target();
            if (source is null || !source.Shape.SequenceEqual(current.Shape))
                mismatched.Add($"{name}: checkpoint {(source is null ? "null" : source.ShapeString)}, model {current.ShapeString}");
        }
        if (mismatched.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
        {
            var message = new StringBuilder($"load_state_dict: error(s) loading the state dict into {TypeName}:");
            if (strict && missing.Count > 0) message.Append($"\n  missing keys ({missing.Count}): ").Append(string.Join(", ", missing));
            if (strict && unexpected.Count > 0) message.Append($"\n  unexpected keys ({unexpected.Count}): ").Append(string.Join(", ", unexpected));
            foreach (var m in mismatched) message.Append("\n  size mismatch for ").Append(m);
            throw new ArgumentException(message.ToString(), nameof(stateDict));
        }
        foreach (var (name, target) in targets)
            if (stateDict.TryGetValue(name, out var source)) target().CopyFrom(source);
        return new LoadStateDictResult(missing, unexpected);
    }

    /// <summary>The state entries as lazily read arrays (a buffer's or parameter's array can be replaced by <c>To</c>).</summary>
    private IEnumerable<(string Name, Func<NDArray> Target)> StateTargets()
    {
        var seenParameters = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        var seenBuffers = new HashSet<Buffer>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
        {
            foreach (var (name, parameter) in module.DirectParameters())
                if (seenParameters.Add(parameter)) yield return (Join(prefix, name), () => parameter.Data);
            foreach (var (name, buffer) in module.DirectBuffers())
                if (buffer.Persistent && seenBuffers.Add(buffer)) yield return (Join(prefix, name), () => buffer.Value);
        }
    }

    // ---- device and dtype -------------------------------------------------------------------

    /// <summary>
    /// Moves every parameter (with its gradient) and buffer to <paramref name="device"/>; returns this
    /// module. Parameters get new tensors: create the optimizer after moving the model.
    /// </summary>
    public Module To(Device device) => Convert(a => a.To(device), a => a.To(device));

    /// <summary>
    /// Converts every floating-point parameter and buffer to <paramref name="dtype"/> (integer buffers
    /// such as counters stay); returns this module. Parameters get new tensors: create the optimizer afterwards.
    /// </summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"module.to: parameters must stay floating point, cannot convert to {dtype.Name()}", nameof(dtype));
        return Convert(a => a.DType.IsFloatingPoint() ? a.To(dtype) : a, a => a.DType.IsFloatingPoint() ? a.To(dtype) : a);
    }

    /// <summary>Moves to <paramref name="device"/> and converts to <paramref name="dtype"/>.</summary>
    public Module To(Device device, DType dtype) => To(device).To(dtype);

    private Module Convert(Func<NDArray, NDArray> parameterConversion, Func<NDArray, NDArray> bufferConversion)
    {
        foreach (var (_, parameter) in NamedParameterHolders()) parameter.Convert(parameterConversion);
        var seen = new HashSet<Buffer>(ReferenceEqualityComparer.Instance);
        foreach (var module in Modules())
            foreach (var (_, buffer) in module.DirectBuffers())
                if (seen.Add(buffer)) buffer.Value = bufferConversion(buffer.Value);
        return this;
    }
}
