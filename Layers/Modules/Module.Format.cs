using System.Globalization;
using System.Text;

namespace Scratch;

public abstract partial class Module
{
    /// <summary>The name shown in <see cref="ToString"/> and <see cref="Summary"/> (the class name by default).</summary>
    public virtual string TypeName
    {
        get
        {
            string name = GetType().Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>The settings shown between the parentheses in <see cref="ToString"/>, e.g. <c>in_features=4, out_features=2, bias=True</c>.</summary>
    protected virtual string ExtraRepr() => "";

    /// <summary>A nested description like PyTorch's module repr.</summary>
    public override string ToString()
    {
        var extra = ExtraRepr();
        var extraLines = extra.Length == 0 ? [] : extra.Split('\n');
        var childLines = NamedChildren().Select(c => $"({c.Name}): {Indent(c.Module.ToString(), 2)}").ToList();
        var sb = new StringBuilder(TypeName).Append('(');
        if (extraLines.Length == 1 && childLines.Count == 0) sb.Append(extraLines[0]);
        else if (extraLines.Length + childLines.Count > 0)
            sb.Append("\n  ").Append(string.Join("\n  ", extraLines.Concat(childLines))).Append('\n');
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// Runs one forward pass on zeros of <paramref name="inputShape"/> (batch dim included; in
    /// evaluation mode, without gradients) and returns a table of every submodule call in order with
    /// its output shape and the number of parameters it holds directly, then the totals.
    /// </summary>
    public string Summary(params int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        var names = new Dictionary<Module, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in NamedModules()) names[module] = name;
        var first = NamedParameterHolders().Select(p => p.Parameter.Value).FirstOrDefault();
        var input = new Tensor(NDArray.Zeros(inputShape, first?.DType ?? DType.Float32, first?.Device ?? Device.Cpu));

        var rows = new List<SummaryRow>();
        var open = new Stack<SummaryRow>();
        var handles = new List<IDisposable>();
        var modes = Modules().Select(m => (Module: m, m._training)).ToList();
        try
        {
            foreach (var (module, name) in names)
            {
                if (ReferenceEquals(module, this)) continue;
                handles.Add(module.RegisterForwardPreHook((m, _) =>
                {
                    var row = new SummaryRow(name, m.TypeName, open.Count, m.DirectParameters().Sum(p => p.Parameter.Count));
                    rows.Add(row);
                    open.Push(row);
                }));
                handles.Add(module.RegisterForwardHook((_, _, output) => open.Pop().Output = output.ShapeString));
            }
            Eval();
            using (Tensor.NoGrad()) Forward(input);
        }
        finally
        {
            foreach (var handle in handles) handle.Dispose();
            foreach (var (module, training) in modes) module._training = training;
        }

        var c = CultureInfo.InvariantCulture;
        var lines = rows.Select(r => (Layer: new string(' ', 2 * r.Depth) + $"{r.Name} ({r.Type})", r.Output, Params: r.Parameters.ToString("N0", c))).ToList();
        int w1 = Math.Max("Layer (type)".Length, lines.Count == 0 ? 0 : lines.Max(l => l.Layer.Length)) + 2;
        int w2 = Math.Max("Output shape".Length, lines.Count == 0 ? 0 : lines.Max(l => l.Output.Length)) + 2;
        int w3 = Math.Max("Param #".Length, lines.Count == 0 ? 0 : lines.Max(l => l.Params.Length));
        var rule = new string('=', w1 + w2 + w3);
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{TypeName} summary for input {Shapes.Format(inputShape)}");
        sb.AppendLine(rule);
        sb.AppendLine("Layer (type)".PadRight(w1) + "Output shape".PadRight(w2) + "Param #".PadLeft(w3));
        sb.AppendLine(rule);
        foreach (var l in lines) sb.AppendLine(l.Layer.PadRight(w1) + l.Output.PadRight(w2) + l.Params.PadLeft(w3));
        sb.AppendLine(rule);
        long total = ParameterCount(), trainable = ParameterCount(trainableOnly: true);
        sb.AppendLine(c, $"Total params: {total:N0}");
        sb.AppendLine(c, $"Trainable params: {trainable:N0}");
        sb.Append(c, $"Non-trainable params: {total - trainable:N0}");
        return sb.ToString();
    }

    private static string Indent(string text, int spaces)
        => text.Replace("\n", "\n" + new string(' ', spaces), StringComparison.Ordinal);

    private sealed class SummaryRow(string name, string type, int depth, long parameters)
    {
        public string Name { get; } = name;
        public string Type { get; } = type;
        public int Depth { get; } = depth;
        public long Parameters { get; } = parameters;
        public string Output { get; set; } = "?";
    }
}
