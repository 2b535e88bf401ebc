namespace Scratch.Kernels;

/// <summary>
/// Distributions drawn by <see cref="IBackend.Random"/> from the counter-based Philox4x32-10
/// generator, so the same (seed, offset) gives the same numbers on every backend.
/// </summary>
/// <remarks>
/// The stream, which every backend must reproduce bit for bit in its 32-bit draws:
/// <list type="bullet">
/// <item>key = (lo32(seed), hi32(seed)); counter for block b = (lo32(b), hi32(b), 0, 0); ten rounds
/// with the usual constants (M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85) give
/// four 32-bit words r0..r3.</item>
/// <item>Uniform and Bernoulli: element i (row-major over the output) uses block offset + i / 4, word
/// i % 4; u = (r + 0.5) · 2^-32, which lies in (0, 1). Uniform gives a + (b − a)·u; Bernoulli gives 1
/// where u &lt; a and 0 otherwise. A draw of n elements uses ⌈n / 4⌉ blocks.</item>
/// <item>Normal: element i uses block offset + i / 2 with u1 from word 2·(i % 2) and u2 from word
/// 2·(i % 2) + 1 (each as above); z = √(−2 ln u1) · cos(2π u2); the result is a + b·z. A draw of n
/// elements uses ⌈n / 2⌉ blocks.</item>
/// <item>The arithmetic after the 32-bit draw is done in double and then rounded to the output dtype.</item>
/// </list>
/// </remarks>
public enum RandomDistribution
{
    /// <summary>Uniform on (a, b).</summary>
    Uniform,
    /// <summary>Normal with mean a and standard deviation b.</summary>
    Normal,
    /// <summary>1 with probability a, else 0.</summary>
    Bernoulli,
}
