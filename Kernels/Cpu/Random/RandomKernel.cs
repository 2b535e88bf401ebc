using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Fills a view (any shape and strides, float32 or float64) from the Philox stream (seed, offset)
/// exactly as <see cref="RandomDistribution"/> documents. Element i depends only on (seed, offset, i),
/// so the parallel split cannot change the result.
/// </summary>
internal static class RandomKernel
{
    /// <summary>Elements per parallel chunk; a multiple of 4 so chunks start on block boundaries.</summary>
    private const long Grain = 16 * 1024;

    /// <summary>Elements generated at a time into scratch before a strided view is written.</summary>
    private const int Piece = 512;

    /// <summary>2^-32: maps a 32-bit word r to (r + 0.5)·2^-32 in (0, 1).</summary>
    internal const double TwoToMinus32 = 1.0 / 4294967296.0;

    /// <summary>A 32-bit draw as u = (r + 0.5)·2^-32 in (0, 1) (shared with the GPU kernel).</summary>
    internal static double Unit(uint r) => (r + 0.5) * TwoToMinus32;

    /// <summary>Box–Muller: z = √(−2 ln u1)·cos(2π u2) (shared with the GPU kernel).</summary>
    internal static double BoxMuller(double u1, double u2) => Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);

    public static void Run(RandomDistribution distribution, BufferView y, ulong seed, ulong offset, double a, double b)
    {
        if (!BackendContract.Random(distribution, y, a, b)) return;
        if (y.DType == DType.Float32) Run<float>(distribution, y, seed, offset, a, b);
        else Run<double>(distribution, y, seed, offset, a, b);
    }

    private static void Run<T>(RandomDistribution distribution, BufferView yv, ulong seed, ulong offset, double a, double b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] y = CpuViews.Array<T>(yv);
        long count = yv.Count;
        if (yv.IsContiguous)
        {
            int yo = (int)yv.Offset;
            CpuParallel.For(count, Grain, (start, end) =>
                Generate(distribution, seed, offset, a, b, start, y.AsSpan(yo + (int)start, (int)(end - start))));
            return;
        }

        CpuParallel.For(count, Grain, (start, end) =>
        {
            Span<T> values = stackalloc T[Piece];
            Span<long> addresses = stackalloc long[Piece];
            for (long first = start; first < end; first += Piece)
            {
                int length = (int)Math.Min(Piece, end - first);
                Generate(distribution, seed, offset, a, b, first, values[..length]);
                Addresses(yv, first, addresses[..length]);
                for (int k = 0; k < length; k++) y[addresses[k]] = values[k];
            }
        });
    }

    /// <summary>Writes elements first, first + 1, … of the stream into <paramref name="values"/>.</summary>
    private static void Generate<T>(RandomDistribution distribution, ulong seed, ulong offset, double a, double b, long first, Span<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<uint> words = stackalloc uint[4];
        int k = 0;
        long i = first;
        if (distribution == RandomDistribution.Normal)
        {
            // Box–Muller from one pair of words per element: two elements per block.
            while (k < values.Length)
            {
                (words[0], words[1], words[2], words[3]) = Philox.Block(seed, offset + (ulong)(i / 2));
                for (int pair = (int)(i % 2); pair < 2 && k < values.Length; pair++, k++, i++)
                {
                    double z = BoxMuller(Unit(words[2 * pair]), Unit(words[2 * pair + 1]));
                    values[k] = T.CreateTruncating(a + b * z);
                }
            }
            return;
        }

        bool bernoulli = distribution == RandomDistribution.Bernoulli;
        double width = b - a;
        while (k < values.Length)
        {
            (words[0], words[1], words[2], words[3]) = Philox.Block(seed, offset + (ulong)(i / 4));
            for (int word = (int)(i % 4); word < 4 && k < values.Length; word++, k++, i++)
            {
                double u = Unit(words[word]);
                values[k] = bernoulli ? (u < a ? T.One : T.Zero) : T.CreateTruncating(a + width * u);
            }
        }
    }

    /// <summary>Buffer positions of row-major elements first, first + 1, … of a strided view.</summary>
    private static void Addresses(BufferView v, long first, Span<long> addresses)
    {
        int rank = v.Rank;
        Span<int> index = stackalloc int[rank];
        long rest = first, at = v.Offset;
        for (int d = rank - 1; d >= 0; d--)
        {
            index[d] = (int)(rest % v.Shape[d]);
            rest /= v.Shape[d];
            at += index[d] * v.Strides[d];
        }
        for (int k = 0; k < addresses.Length; k++)
        {
            addresses[k] = at;
            for (int d = rank - 1; d >= 0; d--)
            {
                at += v.Strides[d];
                if (++index[d] < v.Shape[d]) break;
                at -= (long)index[d] * v.Strides[d];
                index[d] = 0;
            }
        }
    }
}
