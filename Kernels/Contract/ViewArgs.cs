namespace Scratch.Kernels;

/// <summary>
/// Argument checks of the backend contract for the primitives that take contiguous views (softmax,
/// indexing, batch norm, optimizer updates), shared by every backend. Messages name the op and the
/// offending views.
/// </summary>
internal static class ViewArgs
{
    /// <summary><c>[2, 3, 4]</c>.</summary>
    public static string Shape(BufferView v) => $"[{string.Join(", ", v.Shape)}]";

    /// <summary><c>x float32[2, 3]</c>.</summary>
    public static string Describe(string name, BufferView v) => $"{name} {v.DType.Name()}{Shape(v)}";

    /// <summary>Throws unless <paramref name="v"/> is contiguous and lies inside its buffer.</summary>
    public static void RequireContiguous(string op, string name, BufferView v)
    {
        if (!v.IsContiguous)
            throw new ArgumentException($"{op}: {name} must be contiguous, got {v}");
        if (v.Offset < 0 || v.Offset + v.Count > v.Buffer.Length)
            throw new ArgumentException($"{op}: {name} ({v}) overruns its buffer of {v.Buffer.Length} elements");
    }

    /// <summary>Throws unless <paramref name="v"/> has rank <paramref name="rank"/>.</summary>
    public static void RequireRank(string op, string name, BufferView v, int rank)
    {
        if (v.Rank != rank)
            throw new ArgumentException($"{op}: {name} must have {rank} dims, got {Describe(name, v)}");
    }

    /// <summary>Throws unless <paramref name="v"/> holds float32 or float64.</summary>
    public static void RequireFloating(string op, string name, BufferView v)
    {
        if (!v.DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: {name} must be float32 or float64, got {Describe(name, v)}");
    }

    /// <summary>Throws unless <paramref name="v"/> holds <paramref name="dtype"/>.</summary>
    public static void RequireDType(string op, string name, BufferView v, DType dtype)
    {
        if (v.DType != dtype)
            throw new ArgumentException($"{op}: {name} must be {dtype.Name()}, got {Describe(name, v)}");
    }

    /// <summary>Throws unless <paramref name="b"/> has the same shape and dtype as <paramref name="a"/>.</summary>
    public static void RequireSameShapeAndType(string op, string nameA, BufferView a, string nameB, BufferView b)
    {
        if (!a.Shape.AsSpan().SequenceEqual(b.Shape) || a.DType != b.DType)
            throw new ArgumentException($"{op}: {Describe(nameB, b)} must match {Describe(nameA, a)}");
    }

    /// <summary>Throws unless <paramref name="b"/> has as many elements and the same dtype as <paramref name="a"/>.</summary>
    public static void RequireSameCountAndType(string op, string nameA, BufferView a, string nameB, BufferView b)
    {
        if (a.Count != b.Count || a.DType != b.DType)
            throw new ArgumentException($"{op}: {Describe(nameB, b)} must have the element count and dtype of {Describe(nameA, a)}");
    }
}
