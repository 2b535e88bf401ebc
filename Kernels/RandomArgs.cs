namespace Scratch.Kernels;

/// <summary>
/// The argument checks of <see cref="IBackend.Random"/> that every backend makes alike, so that bad
/// parameters fail with the same message on the CPU and on CUDA.
/// </summary>
internal static class RandomArgs
{
    /// <summary>Throws unless (a, b) lie in the parameter domain of <paramref name="distribution"/>.</summary>
    public static void CheckParameters(string op, RandomDistribution distribution, double a, double b)
    {
        switch (distribution)
        {
            case RandomDistribution.Uniform:
                if (!(double.IsFinite(a) && double.IsFinite(b) && a <= b))
                    throw new ArgumentOutOfRangeException(nameof(a), $"{op}: needs finite bounds a <= b, got a = {a}, b = {b}");
                break;
            case RandomDistribution.Normal:
                if (!(double.IsFinite(a) && double.IsFinite(b) && b >= 0))
                    throw new ArgumentOutOfRangeException(nameof(b), $"{op}: needs a finite mean and a standard deviation >= 0, got mean {a}, std {b}");
                break;
            case RandomDistribution.Bernoulli:
                if (!(a >= 0 && a <= 1))
                    throw new ArgumentOutOfRangeException(nameof(a), $"{op}: probability must lie in [0, 1], got {a}");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "random: unknown distribution");
        }
    }

    /// <summary>Throws if <paramref name="y"/> broadcasts (a stride 0 over a dim longer than 1): each draw needs its own element.</summary>
    public static void RequireDistinctElements(string op, BufferView y)
    {
        for (int d = 0; d < y.Rank; d++)
            if (y.Shape[d] > 1 && y.Strides[d] == 0)
                throw new ArgumentException($"{op}: y ({y}) repeats elements (stride 0 in dim {d}); random output must not broadcast");
    }
}
