using System.Globalization;

namespace Scratch;

/// <summary>
/// A network or a piece of one, like PyTorch's <c>nn.Module</c>. Subclasses implement
/// <see cref="ForwardCore"/>; callers use <see cref="Forward"/>.
/// </summary>
/// <remarks>
/// <para>Parameters, buffers and submodules are found automatically by reflection over the fields
/// and auto-properties (any visibility, base classes first, declaration order) whose type is
/// <see cref="Parameter"/>, <see cref="Buffer"/>, <see cref="Module"/>, a collection of modules
/// (<c>IEnumerable&lt;Module&gt;</c>: lists, arrays — items named by index) or of named modules
/// (<c>IEnumerable&lt;KeyValuePair&lt;string, Module&gt;&gt;</c> — named by key), or a collection of
/// parameters (items named by index, or by key for <c>IEnumerable&lt;KeyValuePair&lt;string, Parameter&gt;&gt;</c>,
/// as the recurrent layers' <c>weight_ih_l0</c>). There is no registration call to forget; null members are skipped. The result is
/// cached per type.</para>
/// <para>Names follow PyTorch: a member's name comes from <see cref="StateNames.FromMember"/>
/// (<c>_conv1</c> → <c>conv1</c>, <c>RunningMean</c> → <c>running_mean</c>) or from
/// <see cref="StateNameAttribute"/>; nested names are joined with dots (<c>features.3.bias</c>); items of
/// a collection member <c>Layers</c> are <c>layers.0</c>, <c>layers.1</c>, …, or just <c>0</c>, <c>1</c>, …
/// when the member's state name is empty (as in <see cref="Sequential"/>).
/// <see cref="NotStateAttribute"/> excludes a member.</para>
/// </remarks>
public abstract partial class Module
{
    private bool _training = true;
    private List<Action<Module, Tensor>>? _preHooks;
    private List<Action<Module, Tensor, Tensor>>? _hooks;

    /// <summary>Runs the module on <paramref name="input"/> (and any registered hooks).</summary>
    public Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (_preHooks is not null)
            foreach (var hook in _preHooks.ToArray()) hook(this, input);
        var output = ForwardCore(input);
        if (_hooks is not null)
            foreach (var hook in _hooks.ToArray()) hook(this, input, output);
        return output;
    }

    /// <summary>The computation of this module; implement it with <see cref="Tensor"/> ops.</summary>
    protected abstract Tensor ForwardCore(Tensor input);

    /// <summary>Calls <paramref name="hook"/>(module, input, output) after every forward pass of this module; dispose the result to remove it.</summary>
    public IDisposable RegisterForwardHook(Action<Module, Tensor, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        (_hooks ??= []).Add(hook);
        return new HookHandle(() => _hooks.Remove(hook));
    }

    /// <summary>Calls <paramref name="hook"/>(module, input) before every forward pass of this module; dispose the result to remove it.</summary>
    public IDisposable RegisterForwardPreHook(Action<Module, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        (_preHooks ??= []).Add(hook);
        return new HookHandle(() => _preHooks.Remove(hook));
    }

    // ---- training mode ----------------------------------------------------------------------

    /// <summary>True in training mode (dropout active, batch norm on batch statistics); the default.</summary>
    public bool IsTraining => _training;

    /// <summary>Sets training mode on this module and all submodules; returns this module.</summary>
    public Module Train(bool training = true)
    {
        foreach (var module in Modules()) module._training = training;
        return this;
    }

    /// <summary>Sets evaluation mode on this module and all submodules (= <c>Train(false)</c>).</summary>
    public Module Eval() => Train(false);

    // ---- traversal --------------------------------------------------------------------------

    /// <summary>The direct submodules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var slot in ModuleMembers.Of(GetType()))
        {
            var value = slot.Read(this);
            if (value is null) continue;
            switch (slot.Kind)
            {
                case MemberKind.Module:
                    yield return (slot.Name, (Module)value);
                    break;
                case MemberKind.ModuleSequence:
                    int i = 0;
                    foreach (var child in (IEnumerable<Module>)value)
                    {
                        string index = (i++).ToString(CultureInfo.InvariantCulture);
                        if (child is not null) yield return (Join(slot.Name, index), child);
                    }
                    break;
                case MemberKind.ModuleMap:
                    foreach (var (key, child) in (IEnumerable<KeyValuePair<string, Module>>)value)
                        if (child is not null) yield return (Join(slot.Name, key), child);
                    break;
            }
        }
    }

    /// <summary>The direct submodules.</summary>
    public IEnumerable<Module> Children() => NamedChildren().Select(c => c.Module);

    /// <summary>This module and every submodule, depth first (parents before children), each once, with dotted names ("" for this one).</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var visited = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(string, Module)>();
        stack.Push(("", this));
        while (stack.Count > 0)
        {
            var (name, module) = stack.Pop();
            if (!visited.Add(module)) continue;
            yield return (name, module);
            var children = module.NamedChildren().ToList();
            for (int i = children.Count - 1; i >= 0; i--) stack.Push((Join(name, children[i].Name), children[i].Module));
        }
    }

    /// <summary>This module and every submodule, depth first.</summary>
    public IEnumerable<Module> Modules() => NamedModules().Select(m => m.Module);

    /// <summary>Applies <paramref name="action"/> to every submodule and then this one (like PyTorch's <c>apply</c>, e.g. for custom initialisation); returns this module.</summary>
    public Module Apply(Action<Module> action)
    {
        foreach (var module in Modules().Reverse()) action(module);
        return this;
    }

    /// <summary>The parameters held directly by this module (not its children), with their local names.</summary>
    internal IEnumerable<(string Name, Parameter Parameter)> DirectParameters()
    {
        foreach (var slot in ModuleMembers.Of(GetType()))
        {
            var value = slot.Read(this);
            if (value is null) continue;
            if (slot.Kind == MemberKind.Parameter) yield return (slot.Name, (Parameter)value);
            else if (slot.Kind == MemberKind.ParameterSequence)
            {
                int i = 0;
                foreach (var p in (IEnumerable<Parameter>)value)
                {
                    string index = (i++).ToString(CultureInfo.InvariantCulture);
                    if (p is not null) yield return (Join(slot.Name, index), p);
                }
            }
            else if (slot.Kind == MemberKind.ParameterMap)
            {
                foreach (var (key, p) in (IEnumerable<KeyValuePair<string, Parameter>>)value)
                    if (p is not null) yield return (Join(slot.Name, key), p);
            }
        }
    }

    /// <summary>The buffers held directly by this module, with their local names.</summary>
    internal IEnumerable<(string Name, Buffer Buffer)> DirectBuffers()
    {
        foreach (var slot in ModuleMembers.Of(GetType()))
            if (slot.Kind == MemberKind.Buffer && slot.Read(this) is Buffer buffer) yield return (slot.Name, buffer);
    }

    /// <summary>Every parameter holder of this module and its submodules, each once, with its dotted name.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> NamedParameterHolders()
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, parameter) in module.DirectParameters())
                if (seen.Add(parameter)) yield return (Join(prefix, name), parameter);
    }

    /// <summary>
    /// Every parameter tensor with its dotted name (<c>0.weight</c>), each once; the tensors' <see cref="Tensor.Name"/> is set to it.
    /// </summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters()
    {
        foreach (var (name, parameter) in NamedParameterHolders())
        {
            parameter.Value.Name = name;
            yield return (name, parameter.Value);
        }
    }

    /// <summary>Every parameter tensor (frozen ones included), each once, in state-dict order: what an optimizer takes.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Tensor);

    /// <summary>The parameters that are not frozen (<c>RequiresGrad</c>), e.g. for an optimizer while fine-tuning.</summary>
    public IEnumerable<Tensor> TrainableParameters() => Parameters().Where(t => t.RequiresGrad);

    /// <summary>Every buffer (running statistics, …) with its dotted name, each once.</summary>
    public IEnumerable<(string Name, NDArray Buffer)> NamedBuffers()
    {
        var seen = new HashSet<Buffer>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, module) in NamedModules())
            foreach (var (name, buffer) in module.DirectBuffers())
                if (seen.Add(buffer)) yield return (Join(prefix, name), buffer.Value);
    }

    /// <summary>Every buffer's values.</summary>
    public IEnumerable<NDArray> Buffers() => NamedBuffers().Select(b => b.Buffer);

    // ---- gradients and freezing -------------------------------------------------------------

    /// <summary>Clears the gradient of every parameter (sets it to null, like PyTorch's default).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, parameter) in NamedParameterHolders()) parameter.Value.Grad = null;
    }

    /// <summary>Sets <c>RequiresGrad</c> on every parameter of this module and its submodules; returns this module.</summary>
    public Module SetRequiresGrad(bool requiresGrad)
    {
        foreach (var (_, parameter) in NamedParameterHolders()) parameter.RequiresGrad = requiresGrad;
        return this;
    }

    /// <summary>Freezes every parameter (no gradients, so optimizers leave them alone), e.g. a pretrained backbone.</summary>
    public Module Freeze() => SetRequiresGrad(false);

    /// <summary>Unfreezes every parameter.</summary>
    public Module Unfreeze() => SetRequiresGrad(true);

    /// <summary>Number of parameter elements (each shared parameter once), optionally only the trainable ones.</summary>
    public long ParameterCount(bool trainableOnly = false)
        => NamedParameterHolders().Where(p => !trainableOnly || p.Parameter.RequiresGrad).Sum(p => p.Parameter.Count);

    /// <summary>Joins a prefix and a name with a dot (either may be empty).</summary>
    internal static string Join(string prefix, string name)
        => prefix.Length == 0 ? name : name.Length == 0 ? prefix : prefix + "." + name;

    private sealed class HookHandle(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose()
        {
            _remove?.Invoke();
            _remove = null;
        }
    }
}
