namespace Scratch.Tests.Support;

/// <summary>
/// Philox4x32-10 written out from the Random123 definition, independent of every backend: the
/// reference for the raw words and the distributions that <see cref="Scratch.Kernels.RandomDistribution"/> documents.
/// </summary>
public static class PhiloxReference
{
    /// <summary>The four 32-bit words of counter block <paramref name="block"/> under key <paramref name="seed"/>.</summary>
    public static uint[] Block(ulong seed, ulong block)
    {
        uint c0 = (uint)block, c1 = (uint)(block >> 32), c2 = 0, c3 = 0, k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (int round = 0; round < 10; round++)
        {
            if (round > 0)
            {
                k0 += 0x9E3779B9;
                k1 += 0xBB67AE85;
            }
            ulong p0 = 0xD2511F53UL * c0, p1 = 0xCD9E8D57UL * c2;
            (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
        }
        return [c0, c1, c2, c3];
    }
}
