namespace Scratch;

/// <summary>
/// A differentiable op as recorded on the tape: it saves what its backward rule needs during the
/// forward pass, and <see cref="Backward"/> turns ∂L/∂output into ∂L/∂input for each input.
/// Each op's subclass keeps its forward and its backward side by side in one file.
/// </summary>
public abstract class Function
{
    private Tensor[] _inputs = [];

    /// <summary>The op's name as shown in errors and graph dumps (the class name without "Function").</summary>
    public virtual string Name => GetType().Name.Replace("Function", "", StringComparison.Ordinal);

    /// <summary>The tensors the op consumed.</summary>
    public IReadOnlyList<Tensor> Inputs => _inputs;

    /// <summary>True once the saved arrays were released after a backward pass.</summary>
    public bool IsReleased { get; private set; }

    /// <summary>True when input <paramref name="i"/> wants a gradient.</summary>
    protected bool NeedsGrad(int i) => _inputs[i].RequiresGrad;

    /// <summary>∂L/∂input for each input (null where no gradient is needed or the input is not differentiable).</summary>
    public abstract NDArray?[] Backward(NDArray gradOutput);

    /// <summary>Drops the arrays saved for the backward pass so their memory can be reclaimed.</summary>
    protected abstract void ReleaseSaved();

    internal void Release()
    {
        if (IsReleased) return;
        ReleaseSaved();
        IsReleased = true;
    }

    /// <summary>True when grad mode is on and some input requires a gradient: only then is the op recorded.</summary>
    protected static bool ShouldRecord(params Tensor?[] inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs)
            if (t is not null && t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Wraps <paramref name="output"/> as the result of this op applied to <paramref name="inputs"/>.</summary>
    protected Tensor Record(NDArray output, params Tensor[] inputs)
    {
        _inputs = inputs;
        return new Tensor(output, this);
    }
}
