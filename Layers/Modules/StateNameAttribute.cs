namespace Scratch;

/// <summary>
/// Overrides the state-dict name of a field or auto-property of a <see cref="Module"/> (the default
/// is derived from the member name, see <see cref="Module"/>). An empty name on a collection of
/// modules names its items by index (or key) alone, as <see cref="Sequential"/> does.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class StateNameAttribute(string name) : Attribute
{
    /// <summary>The name used in state dicts and parameter names.</summary>
    public string Name { get; } = name;
}

/// <summary>
/// Keeps a field or auto-property of a <see cref="Module"/> out of discovery (e.g. a reference to a
/// module owned elsewhere).
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class NotStateAttribute : Attribute;
