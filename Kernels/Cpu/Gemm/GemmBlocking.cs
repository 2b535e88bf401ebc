using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Register and cache blocking of the packed GEMM for one element type and micro-kernel.
/// </summary>
/// <remarks>
/// The micro-kernel keeps an <see cref="MR"/> × <see cref="NR"/> tile of C in registers, vectors running
/// along N. Loop order (BLIS with the roles of A and B swapped because our vectors run along rows of C):
/// an <see cref="MC"/> × <see cref="KC"/> block of A is packed once and shared by all threads (lives in L3);
/// each work item packs a <see cref="KC"/> × <see cref="NC"/> block of B (lives in its core's L2); the
/// micro-kernel then holds one MR × KC sliver of A close (L1/L2) while it streams the NR-wide slivers of B.
/// Sizes were tuned by measurement on the Zen 5 EPYC this project runs on (48 KiB L1d, 1 MiB L2 per core,
/// 32 MiB L3, two 512-bit FMA pipes): a deep KC (1024 floats) beat the textbook L1-sized 256–384 by 5–10 %,
/// because every k block costs one more read-modify-write pass over C, while the L2 feeds the A and B
/// slivers (about 15 bytes per cycle) easily. See docs/benchmarks.md.
/// </remarks>
/// <param name="MR">Rows of the register tile (A values broadcast per k step).</param>
/// <param name="NR">Columns of the register tile (two SIMD vectors).</param>
/// <param name="KC">Depth of one packed block (shared dimension k).</param>
/// <param name="MC">Rows of A packed together (shared across threads).</param>
/// <param name="NC">Columns of B packed per work item.</param>
/// <param name="Vector512">True for the AVX-512 micro-kernel, false for the Vector256 one.</param>
internal readonly record struct GemmBlocking(int MR, int NR, int KC, int MC, int NC, bool Vector512)
{
    /// <summary>Set by tests and benchmarks to run the Vector256 micro-kernel on AVX-512 hardware.</summary>
    internal static bool ForceVector256 { get; set; }

    /// <summary>Set by the blocking benchmarks to replace KC and NC (in elements); null for the tuned sizes.</summary>
    internal static (int KC, int NC)? Tuning { get; set; }

    /// <summary>The blocking for element type <typeparamref name="T"/> on this machine.</summary>
    public static GemmBlocking For<T>() where T : unmanaged
    {
        var blocking = Tuned<T>();
        if (Tuning is not { } tuning) return blocking;
        return blocking with { KC = tuning.KC, NC = Math.Max(1, tuning.NC / blocking.NR) * blocking.NR };
    }

    private static unsafe GemmBlocking Tuned<T>() where T : unmanaged
    {
        bool wide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated && !ForceVector256;
        int bytes = sizeof(T);
        if (wide)
        {
            // 12 × 2 zmm accumulators = 24 of 32 registers; the A sliver 12·KC·4 B = 48 KiB, the B block
            // KC·NC·4 B = 2 MiB (L2 + L3).
            int nr = 2 * Vector512<byte>.Count / bytes;
            int kc = 1024 * 4 / bytes;
            return new GemmBlocking(MR: 12, NR: nr, KC: kc, MC: 2048, NC: 512 * 4 / bytes / nr * nr, Vector512: true);
        }
        else
        {
            // 6 × 2 ymm accumulators = 12 of 16 registers (the classic AVX2 6×16 shape).
            int nr = 2 * Vector256<byte>.Count / bytes;
            int kc = 256 * 4 / bytes;
            return new GemmBlocking(MR: 6, NR: nr, KC: kc, MC: 2048, NC: 512 * 4 / bytes / nr * nr, Vector512: false);
        }
    }
}
