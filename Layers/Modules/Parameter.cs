namespace Scratch;

/// <summary>
/// A learnable tensor owned by a <see cref="Module"/>: a small holder around a leaf
/// <see cref="Tensor"/> with <c>RequiresGrad = true</c>.
/// </summary>
/// <remarks>
/// <see cref="Tensor"/> is sealed, so a parameter is a holder rather than a subclass. Fields of this
/// type are what <see cref="Module"/> discovers by reflection; <see cref="Module.Parameters"/> hands
/// out the <see cref="Value"/> tensors themselves, so optimizers only ever see plain tensors.
/// <see cref="Module.To(Device)"/> and <see cref="Module.To(DType)"/> replace <see cref="Value"/> with a
/// converted tensor: build the optimizer after moving or converting the model.
/// </remarks>
public sealed class Parameter
{
    private Tensor _value;

    /// <summary>A parameter holding <paramref name="data"/> (a new leaf that requires a gradient).</summary>
    public Parameter(NDArray data, bool requiresGrad = true) => _value = new Tensor(data, requiresGrad);

    /// <summary>A parameter holding the leaf tensor <paramref name="value"/>.</summary>
    public Parameter(Tensor value) => _value = CheckLeaf(value);

    /// <summary>
    /// The tensor the module computes with and optimizers update. It can be replaced by another leaf
    /// (e.g. to evaluate the module at other parameter values); whoever still holds the old tensor keeps it.
    /// </summary>
    public Tensor Value
    {
        get => _value;
        set => _value = CheckLeaf(value);
    }

    /// <summary>The values.</summary>
    public NDArray Data => _value.Data;

    /// <summary>The accumulated gradient, or null.</summary>
    public Tensor? Grad => _value.Grad;

    /// <summary>Whether the optimizer should train this parameter (false = frozen).</summary>
    public bool RequiresGrad
    {
        get => _value.RequiresGrad;
        set => _value.RequiresGrad = value;
    }

    /// <summary>Size of each dim.</summary>
    public IReadOnlyList<int> Shape => _value.Shape;

    /// <summary>Number of elements.</summary>
    public long Count => _value.Count;

    /// <summary>The parameter's tensor, so a parameter can be used wherever a tensor is expected.</summary>
    public static implicit operator Tensor(Parameter parameter) => parameter._value;

    /// <summary>Converts the tensor (and its gradient) with <paramref name="convert"/>, keeping the flags and name.</summary>
    internal void Convert(Func<NDArray, NDArray> convert)
    {
        var old = _value;
        var converted = convert(old.Data);
        if (ReferenceEquals(converted, old.Data)) return;
        _value = new Tensor(converted, old.RequiresGrad) { Name = old.Name };
        if (old.Grad is { } grad) _value.Grad = new Tensor(convert(grad.Data));
    }

    /// <summary>"Parameter containing: …" with the values, as PyTorch prints it.</summary>
    public override string ToString() => "Parameter containing:\n" + _value;

    private static Tensor CheckLeaf(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.IsLeaf)
            throw new ArgumentException($"parameter: needs a leaf tensor, got one made by {value.GradFn!.Name} {value.ShapeString}; use Detach()");
        return value;
    }
}
