namespace Scratch.Kernels;

internal static partial class BackendContract
{
    /// <summary>
    /// <see cref="IBackend.Random"/>: a floating y, parameters in the distribution's domain (<see cref="RandomArgs"/>),
    /// and, when y has elements, every element inside its buffer and none repeated. Returns false when y is empty.
    /// </summary>
    public static bool Random(RandomDistribution distribution, BufferView y, double a, double b)
    {
        string op = $"random ({distribution.ToString().ToLowerInvariant()})";
        ViewArgs.RequireFloating(op, "y", y);
        RandomArgs.CheckParameters(op, distribution, a, b);
        if (y.Count == 0) return false;
        RandomArgs.RequireDistinctElements(op, y);
        long low = y.Offset, high = y.Offset;
        for (int d = 0; d < y.Rank; d++)
        {
            long reach = (long)(y.Shape[d] - 1) * y.Strides[d];
            if (reach < 0) low += reach;
            else high += reach;
        }
        if (low < 0 || high >= y.Buffer.Length)
            throw new ArgumentException($"{op}: y ({y}) reaches elements [{low}, {high}] of a buffer of {y.Buffer.Length}");
        return true;
    }
}
