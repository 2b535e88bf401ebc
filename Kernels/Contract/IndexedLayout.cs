namespace Scratch.Kernels;

/// <summary>
/// The layout checks shared by the kernels that index the middle dim of [outer, ·, inner] views
/// (gather / scatter_add, index_select / index_add); each kernel then checks how the dims relate.
/// </summary>
internal static class IndexedLayout
{
    /// <summary>
    /// Throws unless <paramref name="indexed"/> and <paramref name="other"/> are contiguous rank-3 views
    /// and <paramref name="index"/> is a contiguous Int32 view of rank <paramref name="indexRank"/>.
    /// </summary>
    public static void Check(string op, string indexedName, BufferView indexed, BufferView index, int indexRank, string otherName, BufferView other)
    {
        ViewArgs.RequireRank(op, indexedName, indexed, 3);
        ViewArgs.RequireRank(op, "index", index, indexRank);
        ViewArgs.RequireRank(op, otherName, other, 3);
        ViewArgs.RequireDType(op, "index", index, DType.Int32);
        ViewArgs.RequireContiguous(op, indexedName, indexed);
        ViewArgs.RequireContiguous(op, "index", index);
        ViewArgs.RequireContiguous(op, otherName, other);
    }
}
