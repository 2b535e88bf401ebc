namespace Scratch.Kernels;

/// <summary>
/// Checks that every element a view can reach lies inside its buffer, for kernels that then index
/// with raw pointers and would otherwise read or write out of bounds silently.
/// </summary>
internal static class ViewBounds
{
    /// <summary>Throws when <paramref name="view"/> reaches outside its buffer; empty views always pass.</summary>
    public static void Check(BufferView view, string op, string name)
    {
        long low = view.Offset, high = view.Offset;
        for (int d = 0; d < view.Rank; d++)
        {
            if (view.Shape[d] < 0)
                throw new ArgumentException($"{op}: {name} has a negative size: {view}");
            if (view.Shape[d] == 0) return;
            long reach = (view.Shape[d] - 1) * view.Strides[d];
            if (reach < 0) low += reach; else high += reach;
        }
        if (low < 0 || high >= view.Buffer.Length)
            throw new ArgumentOutOfRangeException(name, $"{op}: {name} {view} reaches elements [{low}, {high}] of a buffer of {view.Buffer.Length}");
    }
}
