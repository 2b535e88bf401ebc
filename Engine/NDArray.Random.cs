using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>Uniform samples on (low, high).</summary>
    public static NDArray Rand(int[] shape, Generator? generator = null, double low = 0, double high = 1, DType dtype = DType.Float32, Device? device = null)
        => Draw(RandomDistribution.Uniform, shape, generator, low, high, dtype, device);

    /// <summary>Normal samples with the given mean and standard deviation.</summary>
    public static NDArray Randn(int[] shape, Generator? generator = null, double mean = 0, double std = 1, DType dtype = DType.Float32, Device? device = null)
        => Draw(RandomDistribution.Normal, shape, generator, mean, std, dtype, device);

    /// <summary>1 with probability <paramref name="p"/>, else 0.</summary>
    public static NDArray Bernoulli(int[] shape, double p, Generator? generator = null, DType dtype = DType.Float32, Device? device = null)
    {
        if (p is < 0 or > 1 || double.IsNaN(p)) throw new ArgumentOutOfRangeException(nameof(p), p, "bernoulli: p must be in [0, 1]");
        return Draw(RandomDistribution.Bernoulli, shape, generator, p, 0, dtype, device);
    }

    /// <summary>A random permutation of 0 … n − 1 (Int32).</summary>
    public static NDArray Randperm(int n, Generator? generator = null, Device? device = null)
    {
        var perm = RandpermHost(n, generator);
        return FromArray(perm, [n], device);
    }

    /// <summary>A random permutation of 0 … n − 1 as a host array (sorting Philox keys, so it is reproducible everywhere).</summary>
    public static int[] RandpermHost(int n, Generator? generator = null)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "randperm: n must be >= 0");
        var keys = (generator ?? Generator.Default).NextDoubles(n);
        var perm = Enumerable.Range(0, n).ToArray();
        Array.Sort(keys, perm);
        return perm;
    }

    private static NDArray Draw(RandomDistribution distribution, int[] shape, Generator? generator, double a, double b, DType dtype, Device? device)
    {
        if (!dtype.IsFloatingPoint()) throw new ArgumentException($"{distribution.ToString().ToLowerInvariant()}: needs a floating dtype, got {dtype.Name()}");
        var gen = generator ?? Generator.Default;
        var result = Empty(shape, dtype, device ?? Device.Cpu);
        ulong n = (ulong)result.Count;
        ulong blocks = distribution == RandomDistribution.Normal ? (n + 1) / 2 : (n + 3) / 4;
        ulong offset = gen.Advance(blocks);
        if (n > 0) result.Backend.Random(distribution, result.KernelView, gen.Seed, offset, a, b);
        return result;
    }
}
