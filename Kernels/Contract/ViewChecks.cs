namespace Scratch.Kernels;

/// <summary>
/// Argument checks of the backend contract shared by every backend (elementwise and reduction
/// primitives). Kernels index memory without bounds checks, so every view is checked once here to lie
/// inside its buffer.
/// </summary>
internal static class ViewChecks
{
    /// <summary>Throws unless <paramref name="view"/> has the same shape as <paramref name="reference"/>.</summary>
    public static void SameShape(string op, BufferView reference, string referenceName, BufferView view, string name)
    {
        if (!reference.Shape.AsSpan().SequenceEqual(view.Shape))
            throw new ArgumentException($"{op}: {name} has shape {Format(view.Shape)} but {referenceName} has {Format(reference.Shape)}");
    }

    /// <summary>Throws unless <paramref name="view"/> holds <paramref name="dtype"/>.</summary>
    public static void HasDType(string op, BufferView view, string name, DType dtype)
    {
        if (view.DType != dtype)
            throw new ArgumentException($"{op}: {name} is {view.DType.Name()} but {dtype.Name()} is expected");
    }

    /// <summary>Throws unless every element the view can reach lies inside its buffer.</summary>
    public static void InBounds(string op, BufferView view, string name)
    {
        var buffer = view.Buffer;
        if (view.Count == 0) return;
        long low = view.Offset, high = view.Offset;
        for (int d = 0; d < view.Rank; d++)
        {
            if (view.Shape[d] < 0)
                throw new ArgumentException($"{op}: {name} has a negative size in shape {Format(view.Shape)}");
            long reach = (view.Shape[d] - 1) * view.Strides[d];
            if (reach < 0) low += reach; else high += reach;
        }
        if (low < 0 || high >= buffer.Length)
            throw new ArgumentException($"{op}: {name} {view} reaches elements [{low}, {high}] outside its buffer of {buffer.Length}");
    }

    /// <summary>A shape as <c>[2, 3]</c>.</summary>
    public static string Format(int[] shape) => $"[{string.Join(", ", shape)}]";
}
