namespace Scratch;

/// <summary>
/// Disposes, when it ends, every <see cref="NDArray"/> created on this thread while it was open: the
/// temporaries of an evaluation batch or of a metric go back to the allocator at once instead of
/// waiting for the garbage collector. Arrays that must outlive the scope are passed to
/// <see cref="Keep"/> (into the outer scope) or <see cref="Escape"/> (out of all of them); gradients
/// given to parameters and optimizer state escape by themselves, other state a model creates inside a
/// scope (a cache filled on first use) must be kept by the caller. Scopes nest (an array kept by an inner scope belongs to the outer one) and
/// must end in the reverse order, on the thread that opened them.
/// </summary>
/// <example><code>
/// using (var scope = new ArrayScope())
/// {
///     var logits = model.Forward(batch);          // every activation is freed when the scope ends
///     predictions.AddRange(logits.Data.ArgMax(-1).ToArray&lt;int&gt;());
/// }
/// </code></example>
public sealed class ArrayScope : IDisposable
{
    [ThreadStatic] private static ArrayScope? t_current;

    private readonly ArrayScope? _outer;
    private readonly int _threadId;
    private List<NDArray>? _arrays = [];

    /// <summary>Opens a scope on the current thread.</summary>
    public ArrayScope()
    {
        _outer = t_current;
        _threadId = Environment.CurrentManagedThreadId;
        t_current = this;
    }

    /// <summary>Number of arrays the scope will dispose.</summary>
    public int Count => _arrays?.Count ?? 0;

    /// <summary>Takes <paramref name="array"/> out of this scope (into the outer one, if any) and returns it.</summary>
    public NDArray Keep(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (_arrays is null) throw new ObjectDisposedException(nameof(ArrayScope), "keep: the scope has ended");
        if (_arrays.Remove(array)) _outer?._arrays?.Add(array);
        return array;
    }

    /// <summary>
    /// Takes <paramref name="array"/> out of every open scope of this thread, so that none of them disposes
    /// it: for state that outlives the work that made it. A parameter's gradient and an optimizer's
    /// buffers escape this way by themselves.
    /// </summary>
    public static NDArray Escape(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        for (var scope = t_current; scope is not null; scope = scope._outer) scope._arrays?.Remove(array);
        return array;
    }

    /// <summary>Disposes the arrays created in the scope and not kept.</summary>
    public void Dispose()
    {
        if (_arrays is null) return;
        if (!ReferenceEquals(t_current, this) || Environment.CurrentManagedThreadId != _threadId)
            throw new InvalidOperationException("ArrayScope: scopes must end in the reverse order they began, on the thread that began them");
        t_current = _outer;
        var arrays = _arrays;
        _arrays = null;
        foreach (var array in arrays) array.Dispose();
    }

    /// <summary>Called by every new array: the innermost open scope of this thread takes it.</summary>
    internal static void Track(NDArray array) => t_current?._arrays?.Add(array);
}
