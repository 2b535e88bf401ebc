namespace Scratch.Training;

/// <summary>
/// Starting a run from another run's weights: load what fits, freeze parameters by name prefix, replace the head,
/// and unfreeze later with a smaller learning rate for what was frozen (discriminative learning rates).
/// </summary>
public static class FineTuning
{
    /// <summary>What <see cref="LoadMatching"/> did with each tensor.</summary>
    /// <param name="Loaded">Model tensors copied from the checkpoint.</param>
    /// <param name="Reinitialised">Model tensors kept at their fresh initialisation (absent from the checkpoint, another shape, or the replaced head).</param>
    /// <param name="Skipped">Checkpoint tensors the model has no place for.</param>
    public sealed record LoadReport(IReadOnlyList<string> Loaded, IReadOnlyList<string> Reinitialised, IReadOnlyList<string> Skipped);

    /// <summary>
    /// Copies every tensor of <paramref name="checkpointModel"/> whose name and shape match one of
    /// <paramref name="model"/>'s state. The last Linear layer (the head) is left freshly initialised when
    /// <paramref name="newHead"/>; without it a head of another shape (another class count) is an error that says to
    /// pass <c>--new-head</c>.
    /// </summary>
    public static LoadReport LoadMatching(Module model, IReadOnlyDictionary<string, NDArray> checkpointModel, bool newHead, string source)
    {
        var state = model.StateDict();
        string? head = model.NamedModules().LastOrDefault(m => m.Module is Linear).Name;
        bool IsHead(string name) => head is not null && name.StartsWith(head + ".", StringComparison.Ordinal);
        var loaded = new List<string>();
        var reinitialised = new List<string>();
        var update = new Dictionary<string, NDArray>(state);
        foreach (var (name, current) in state)
        {
            bool fits = checkpointModel.TryGetValue(name, out var saved) && saved.Shape.SequenceEqual(current.Shape) && saved.DType == current.DType;
            if (IsHead(name) && !newHead && checkpointModel.ContainsKey(name) && !fits)
                throw new InvalidDataException($"{source}: the head '{name}' is {Shapes.Format(checkpointModel[name].Shape)} there and {Shapes.Format(current.Shape)} here (another class count?); pass --new-head to replace it");
            if (fits && !(newHead && IsHead(name)))
            {
                update[name] = saved!;
                loaded.Add(name);
            }
            else reinitialised.Add(name);
        }
        var skipped = checkpointModel.Keys.Where(k => !state.ContainsKey(k)).ToList();
        model.LoadStateDict(update);
        return new LoadReport(loaded, reinitialised, skipped);
    }

    /// <summary>The named parameters of <paramref name="model"/> under any of <paramref name="prefixes"/> (a prefix matches whole dotted names: "features" matches "features.0.weight", not "features2.weight").</summary>
    /// <exception cref="ArgumentException">A prefix matches no parameter; the message lists the top-level names.</exception>
    public static IReadOnlyList<(string Name, Tensor Tensor)> Select(Module model, IReadOnlyList<string> prefixes)
    {
        var parameters = model.NamedParameters().ToList();
        foreach (string prefix in prefixes)
        {
            if (!parameters.Any(p => Matches(p.Name, prefix)))
            {
                var tops = parameters.Select(p => p.Name.Split('.')[0]).Distinct();
                throw new ArgumentException($"--freeze {prefix}: no parameter has that prefix (top-level names: {string.Join(", ", tops)})");
            }
        }
        return [.. parameters.Where(p => prefixes.Any(prefix => Matches(p.Name, prefix)))];
    }

    private static bool Matches(string name, string prefix) =>
        name == prefix || name.StartsWith(prefix.TrimEnd('.') + ".", StringComparison.Ordinal);
}
