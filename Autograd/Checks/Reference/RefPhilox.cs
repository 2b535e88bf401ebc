namespace Scratch.Checks.Reference;

/// <summary>
/// A naive Philox4x32-10 and the draws that <c>RandomDistribution</c> documents, written from the
/// Random123 description so the engine's random numbers can be checked value by value.
/// </summary>
public static class RefPhilox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>The four 32-bit words of block (c0, c1, c2, c3) under key (k0, k1).</summary>
    public static uint[] Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (int round = 0; round < 10; round++)
        {
            if (round > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return [c0, c1, c2, c3];
    }

    /// <summary>The words of stream block <paramref name="block"/> for <paramref name="seed"/>.</summary>
    public static uint[] StreamBlock(ulong seed, ulong block)
        => Block((uint)block, (uint)(block >> 32), 0, 0, (uint)seed, (uint)(seed >> 32));

    /// <summary>u in (0, 1) of element i of a uniform/Bernoulli draw starting at <paramref name="offset"/>.</summary>
    public static double Uniform01(ulong seed, ulong offset, long i)
        => (StreamBlock(seed, offset + (ulong)(i / 4))[i % 4] + 0.5) * Math.Pow(2, -32);

    /// <summary>Standard normal z of element i of a normal draw starting at <paramref name="offset"/>.</summary>
    public static double Normal(ulong seed, ulong offset, long i)
    {
        var words = StreamBlock(seed, offset + (ulong)(i / 2));
        int pair = (int)(i % 2);
        double u1 = (words[2 * pair] + 0.5) * Math.Pow(2, -32), u2 = (words[2 * pair + 1] + 0.5) * Math.Pow(2, -32);
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
