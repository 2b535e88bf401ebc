namespace Scratch.Kernels;

/// <summary>
/// The argument and geometry checks of each <see cref="IBackend"/> primitive, in one place for every
/// backend: a backend calls the check of a primitive before it touches memory, so bad input gets the same
/// exception type and message on the CPU and on a GPU. Checks are host-side and cheap (shapes, dtypes,
/// layouts, bounds); what only the data can tell (an index out of range) stays with the kernels.
/// </summary>
internal static partial class BackendContract
{
    /// <summary><see cref="IBackend.Fill"/>: y lies inside its buffer.</summary>
    public static void Fill(BufferView y) => ViewChecks.InBounds("fill", y, "y");

    /// <summary><see cref="IBackend.Copy"/>: same shapes, both inside their buffers.</summary>
    public static void Copy(BufferView x, BufferView y)
    {
        ViewChecks.SameShape("copy", x, "x", y, "y");
        ViewChecks.InBounds("copy", x, "x");
        ViewChecks.InBounds("copy", y, "y");
    }
}
