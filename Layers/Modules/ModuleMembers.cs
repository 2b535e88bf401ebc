using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Scratch;

/// <summary>What a discovered member of a module holds.</summary>
internal enum MemberKind
{
    Parameter,
    Buffer,
    Module,
    ModuleSequence,
    ModuleMap,
    ParameterSequence,
    ParameterMap,
}

/// <summary>A field of a module type that holds state, with its state-dict name.</summary>
internal sealed record MemberSlot(string Name, MemberKind Kind, FieldInfo Field)
{
    public object? Read(Module owner) => Field.GetValue(owner);
}

/// <summary>
/// Finds, once per module type, the fields (including the backing fields of auto-properties, private
/// ones and those of base classes, base first, in declaration order) that hold parameters, buffers,
/// modules or collections of them, and names them for the state dict.
/// </summary>
internal static class ModuleMembers
{
    private static readonly ConcurrentDictionary<Type, MemberSlot[]> Cache = new();

    public static MemberSlot[] Of(Type type) => Cache.GetOrAdd(type, Discover);

    private static MemberSlot[] Discover(Type type)
    {
        var chain = new Stack<Type>();
        for (var t = type; t is not null && t != typeof(Module); t = t.BaseType) chain.Push(t);
        var slots = new List<MemberSlot>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in chain)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var kind = Classify(field.FieldType);
                if (kind is null) continue;
                var (memberName, attributes) = Describe(t, field);
                if (attributes.OfType<NotStateAttribute>().Any()) continue;
                string name = attributes.OfType<StateNameAttribute>().FirstOrDefault()?.Name ?? StateNames.FromMember(memberName);
                if (name.Contains('.', StringComparison.Ordinal))
                    throw new InvalidOperationException($"module {type.Name}: state name '{name}' of member {memberName} must not contain '.'");
                if (name.Length == 0 && kind is not (MemberKind.ModuleSequence or MemberKind.ModuleMap or MemberKind.ParameterSequence or MemberKind.ParameterMap))
                    throw new InvalidOperationException($"module {type.Name}: only collections may have an empty state name ({memberName})");
                if (name.Length > 0 && !seen.TryAdd(name, memberName))
                    throw new InvalidOperationException(
                        $"module {type.Name}: members {seen[name]} and {memberName} both map to the state name '{name}'; rename one or use [StateName]");
                slots.Add(new MemberSlot(name, kind.Value, field));
            }
        }
        return slots.ToArray();
    }

    private static MemberKind? Classify(Type type)
    {
        if (typeof(Parameter).IsAssignableFrom(type)) return MemberKind.Parameter;
        if (typeof(Buffer).IsAssignableFrom(type)) return MemberKind.Buffer;
        if (typeof(Module).IsAssignableFrom(type)) return MemberKind.Module;
        if (typeof(IEnumerable<KeyValuePair<string, Module>>).IsAssignableFrom(type)) return MemberKind.ModuleMap;
        if (typeof(IEnumerable<Module>).IsAssignableFrom(type)) return MemberKind.ModuleSequence;
        if (typeof(IEnumerable<Parameter>).IsAssignableFrom(type)) return MemberKind.ParameterSequence;
        if (typeof(IEnumerable<KeyValuePair<string, Parameter>>).IsAssignableFrom(type)) return MemberKind.ParameterMap;
        return null;
    }

    /// <summary>The member's source name and attributes (those of the property for an auto-property's backing field).</summary>
    private static (string Name, object[] Attributes) Describe(Type owner, FieldInfo field)
    {
        const string suffix = ">k__BackingField";
        if (field.Name.StartsWith('<') && field.Name.EndsWith(suffix, StringComparison.Ordinal))
        {
            string propertyName = field.Name[1..^suffix.Length];
            var property = owner.GetProperty(propertyName, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            var attributes = property?.GetCustomAttributes(inherit: true) ?? [];
            return (propertyName, attributes.Concat(field.GetCustomAttributes(inherit: true)).ToArray());
        }
        return (field.Name, field.GetCustomAttributes(inherit: true));
    }
}

/// <summary>The rule that turns C# member names into PyTorch-style state names.</summary>
public static class StateNames
{
    /// <summary>
    /// Leading underscores and an <c>m_</c> prefix are dropped, then words are lower-cased and joined
    /// by underscores, a word starting at each capital that follows a lower-case letter or digit, or
    /// that starts a capitalised word after an acronym; digits stay attached:
    /// <c>_conv1</c>, <c>Conv1</c> → <c>conv1</c>; <c>RunningMean</c> → <c>running_mean</c>;
    /// <c>BN1</c> → <c>bn1</c>; <c>HTTPServer</c> → <c>http_server</c>; <c>running_var</c> stays.
    /// </summary>
    public static string FromMember(string memberName)
    {
        string name = memberName.TrimStart('_');
        if (name.StartsWith("m_", StringComparison.Ordinal)) name = name[2..];
        var sb = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsUpper(c) && i > 0 && name[i - 1] != '_')
            {
                char prev = name[i - 1];
                bool afterWordEnd = char.IsLower(prev) || char.IsDigit(prev);
                bool acronymEnd = char.IsUpper(prev) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (afterWordEnd || acronymEnd) sb.Append('_');
            }
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
