namespace Scratch;

/// <summary>
/// Module state that is saved and moved with the module but not trained (e.g. batch norm's running
/// statistics): a holder around an <see cref="NDArray"/> that <see cref="Module"/> discovers by reflection.
/// </summary>
public sealed class Buffer
{
    private NDArray _value;

    /// <summary>A buffer holding <paramref name="value"/>; non-<paramref name="persistent"/> buffers stay out of the state dict.</summary>
    public Buffer(NDArray value, bool persistent = true)
    {
        _value = value ?? throw new ArgumentNullException(nameof(value));
        Persistent = persistent;
    }

    /// <summary>The values (replaced, not copied, by <see cref="Module.To(Device)"/>).</summary>
    public NDArray Value
    {
        get => _value;
        set => _value = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>True when the buffer is part of <see cref="Module.StateDict"/>.</summary>
    public bool Persistent { get; }

    /// <summary>The buffer's values.</summary>
    public static implicit operator NDArray(Buffer buffer) => buffer._value;

    /// <summary>The values as text.</summary>
    public override string ToString() => _value.ToString();
}
