namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary><see cref="IBackend.Gather"/>: x [outer, n, inner], index and y [outer, m, inner], contiguous, y of x's dtype.</summary>
    public static void Gather(BufferView x, BufferView index, BufferView y)
    {
        const string op = "gather";
        GatherShapes(op, "x", x, index, "y", y);
        ViewArgs.RequireDType(op, "y", y, x.DType);
    }

    /// <summary><see cref="IBackend.ScatterAdd"/>: as <see cref="Gather"/> with y for x and src for y.</summary>
    public static void ScatterAdd(BufferView src, BufferView index, BufferView y)
    {
        const string op = "scatter_add";
        GatherShapes(op, "y", y, index, "src", src);
        ViewArgs.RequireDType(op, "src", src, y.DType);
    }

    /// <summary><see cref="IBackend.IndexSelect"/>: x [outer, n, inner], index [m], y [outer, m, inner], contiguous.</summary>
    public static void IndexSelect(BufferView x, BufferView index, BufferView y)
    {
        const string op = "index_select";
        IndexSelectShapes(op, "x", x, index, "y", y);
        ViewArgs.RequireDType(op, "y", y, x.DType);
    }

    /// <summary><see cref="IBackend.IndexAdd"/>: as <see cref="IndexSelect"/> with y for x and src for y.</summary>
    public static void IndexAdd(BufferView src, BufferView index, BufferView y)
    {
        const string op = "index_add";
        IndexSelectShapes(op, "y", y, index, "src", src);
        ViewArgs.RequireDType(op, "src", src, y.DType);
    }

    /// <summary><see cref="IBackend.OneHot"/>: index int32 [n], y [n, classes], both contiguous.</summary>
    public static void OneHot(BufferView index, BufferView y)
    {
        const string op = "one_hot";
        ViewArgs.RequireRank(op, "index", index, 1);
        ViewArgs.RequireRank(op, "y", y, 2);
        ViewArgs.RequireDType(op, "index", index, DType.Int32);
        ViewArgs.RequireContiguous(op, "index", index);
        ViewArgs.RequireContiguous(op, "y", y);
        if (y.Shape[0] != index.Shape[0])
            throw new ArgumentException($"one_hot: y {ViewArgs.Shape(y)} must have one row per index, index is {ViewArgs.Shape(index)}");
    }

    /// <summary>Checks indexed [outer, n, inner] against index and other [outer, m, inner].</summary>
    private static void GatherShapes(string op, string indexedName, BufferView indexed, BufferView index, string otherName, BufferView other)
    {
        IndexedLayout.Check(op, indexedName, indexed, index, 3, otherName, other);
        if (!index.Shape.AsSpan().SequenceEqual(other.Shape))
            throw new ArgumentException($"{op}: index {ViewArgs.Shape(index)} and {otherName} {ViewArgs.Shape(other)} must have the same shape");
        if (indexed.Shape[0] != other.Shape[0] || indexed.Shape[2] != other.Shape[2])
            throw new ArgumentException(
                $"{op}: {indexedName} {ViewArgs.Shape(indexed)} and {otherName} {ViewArgs.Shape(other)} must agree in dims 0 and 2 ([outer, ·, inner])");
    }

    /// <summary>Checks indexed [outer, n, inner], index [m] and other [outer, m, inner].</summary>
    private static void IndexSelectShapes(string op, string indexedName, BufferView indexed, BufferView index, string otherName, BufferView other)
    {
        IndexedLayout.Check(op, indexedName, indexed, index, 1, otherName, other);
        if (indexed.Shape[0] != other.Shape[0] || indexed.Shape[2] != other.Shape[2] || other.Shape[1] != index.Shape[0])
            throw new ArgumentException(
                $"{op}: {indexedName} {ViewArgs.Shape(indexed)}, index {ViewArgs.Shape(index)} and {otherName} {ViewArgs.Shape(other)} " +
                $"must be [outer, n, inner], [m] and [outer, m, inner]");
    }
}
