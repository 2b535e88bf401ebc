namespace Scratch;

/// <summary>Returns its input unchanged (a placeholder, e.g. to remove a layer when fine-tuning).</summary>
public sealed class Identity : Module
{
    /// <inheritdoc />
    protected override Tensor ForwardCore(Tensor input) => input;
}
