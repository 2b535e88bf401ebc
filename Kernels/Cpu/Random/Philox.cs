namespace Scratch.Kernels.Cpu;

/// <summary>
/// The Philox4x32-10 counter-based generator (Salmon et al., "Parallel random numbers: as easy as
/// 1, 2, 3", SC 2011; the Random123 reference): a 128-bit counter and a 64-bit key give four 32-bit
/// words through ten rounds of multiply-xor. Every block is independent, so any element of a stream
/// can be computed directly, on any thread or device.
/// </summary>
public static class Philox
{
    /// <summary>Round multiplier for counter word 0.</summary>
    public const uint M0 = 0xD2511F53;

    /// <summary>Round multiplier for counter word 2.</summary>
    public const uint M1 = 0xCD9E8D57;

    /// <summary>Key increment (Weyl sequence) for key word 0: the golden ratio.</summary>
    public const uint W0 = 0x9E3779B9;

    /// <summary>Key increment for key word 1: √3 − 1.</summary>
    public const uint W1 = 0xBB67AE85;

    /// <summary>
    /// Block <paramref name="counter"/> of the stream keyed by <paramref name="seed"/>, as Scratch uses it:
    /// key = (lo32(seed), hi32(seed)), counter = (lo32(counter), hi32(counter), 0, 0).
    /// </summary>
    public static (uint R0, uint R1, uint R2, uint R3) Block(ulong seed, ulong counter)
        => Block((uint)counter, (uint)(counter >> 32), 0, 0, (uint)seed, (uint)(seed >> 32));

    /// <summary>Philox4x32-10 of the general counter (c0, c1, c2, c3) under key (k0, k1).</summary>
    public static (uint R0, uint R1, uint R2, uint R3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        unchecked
        {
            for (int round = 0; round < 10; round++)
            {
                if (round > 0)
                {
                    k0 += W0;
                    k1 += W1;
                }
                ulong p0 = (ulong)M0 * c0;
                ulong p1 = (ulong)M1 * c2;
                (c0, c1, c2, c3) = ((uint)(p1 >> 32) ^ c1 ^ k0, (uint)p1, (uint)(p0 >> 32) ^ c3 ^ k1, (uint)p0);
            }
        }
        return (c0, c1, c2, c3);
    }
}
