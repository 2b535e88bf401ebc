namespace Scratch;

/// <summary>Shape arithmetic shared by the array ops: broadcasting, axes, formatting.</summary>
public static class Shapes
{
    /// <summary>A shape as text, e.g. <c>[2, 3]</c>.</summary>
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>Number of elements of a shape.</summary>
    public static long Count(IReadOnlyList<int> shape)
    {
        long n = 1;
        foreach (int s in shape) n *= s;
        return n;
    }

    /// <summary>True when NumPy broadcasting accepts the two shapes.</summary>
    public static bool CanBroadcast(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        for (int i = 1; i <= Math.Min(a.Count, b.Count); i++)
        {
            int da = a[^i], db = b[^i];
            if (da != db && da != 1 && db != 1) return false;
        }
        return true;
    }

    /// <summary>NumPy broadcasting of two shapes; throws naming the op and both shapes.</summary>
    public static int[] Broadcast(string op, IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        int rank = Math.Max(a.Count, b.Count);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Count ? 1 : a[i - (rank - a.Count)];
            int db = i < rank - b.Count ? 1 : b[i - (rank - b.Count)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dim {i}: {da} vs {db})");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Resolves a possibly negative axis; throws naming the op and the shape.</summary>
    public static int Axis(string op, int axis, int rank)
    {
        int r = Math.Max(rank, 1);
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{op}: axis {axis} is out of range for an array of rank {rank} (valid: {-r}..{r - 1})");
        return a;
    }

    /// <summary>
    /// Resolves an axis that must name an existing dim. Unlike <see cref="Axis"/> it refuses 0-d arrays,
    /// which have no dim to slice, select or join along (PyTorch refuses them too).
    /// </summary>
    public static int Dim(string op, int axis, int rank)
    {
        if (rank == 0)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{op}: axis {axis} is out of range for a 0-d array (it has no dims)");
        return Axis(op, axis, rank);
    }

    /// <summary>
    /// Resolves a set of axes (null = all), sorted and without duplicates. For a 0-d array, axis 0 or −1
    /// names the array itself and resolves to no axes (reducing a scalar leaves it as is, as PyTorch).
    /// </summary>
    public static int[] Axes(string op, int[]? axes, int rank)
    {
        if (axes is null) return Enumerable.Range(0, rank).ToArray();
        var result = new SortedSet<int>();
        foreach (int axis in axes)
        {
            if (!result.Add(Axis(op, axis, rank)))
                throw new ArgumentException($"{op}: axis {axis} appears more than once in [{string.Join(", ", axes)}]");
        }
        return rank == 0 ? [] : result.ToArray();
    }

    /// <summary>Throws when a dim is negative.</summary>
    public static void CheckNonNegative(string op, int[] shape)
    {
        foreach (int s in shape)
            if (s < 0) throw new ArgumentException($"{op}: negative dimension in shape {Format(shape)}");
    }
}
