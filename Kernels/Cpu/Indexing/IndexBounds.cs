using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Validates Int32 indices before an indexing kernel touches its output, so a bad index throws
/// before anything is written and the error names the first offending index in row-major order.
/// </summary>
internal static class IndexBounds
{
    /// <summary>
    /// Throws <see cref="IndexOutOfRangeException"/> naming <paramref name="op"/>, the first index outside
    /// [0, <paramref name="bound"/>), its position, and <paramref name="what"/> (the dim being indexed).
    /// </summary>
    public static void Check(string op, ReadOnlySpan<int> index, int bound, string what)
    {
        int at = FirstOutside(index, bound);
        if (at >= 0)
            throw new IndexOutOfRangeException(
                $"{op}: index {index[at]} at position {at} is out of range [0, {bound}) for {what}");
    }

    /// <summary>Position of the first index outside [0, bound), or -1.</summary>
    private static int FirstOutside(ReadOnlySpan<int> index, int bound)
    {
        // As unsigned, a negative index is huge, so one comparison tests both ends of the range.
        ReadOnlySpan<uint> u = MemoryMarshal.Cast<int, uint>(index);
        ref uint ur = ref MemoryMarshal.GetReference(u);
        uint limit = (uint)bound;
        int n = u.Length, i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vLimit = Vector512.Create(limit);
            for (; i + Vector512<uint>.Count <= n; i += Vector512<uint>.Count)
                if (Vector512.GreaterThanOrEqualAny(Vector512.LoadUnsafe(ref ur, (nuint)i), vLimit)) break;
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vLimit = Vector256.Create(limit);
            for (; i + Vector256<uint>.Count <= n; i += Vector256<uint>.Count)
                if (Vector256.GreaterThanOrEqualAny(Vector256.LoadUnsafe(ref ur, (nuint)i), vLimit)) break;
        }
        for (; i < n; i++)
            if (u[i] >= limit) return i;
        return -1;
    }
}
