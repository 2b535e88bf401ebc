using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Reduction of one contiguous run (a row). The run is cut into fixed blocks of <see cref="BlockSize"/>
/// elements; each block is reduced with four SIMD accumulators, and the block results are combined
/// pairwise. The split depends only on the run's length, so a sum has the same bits whether the blocks
/// run on one thread or many, and float32 error grows with log(n), not n.
/// </summary>
internal static class ContiguousReduction
{
    /// <summary>Elements per block.</summary>
    public const int BlockSize = 4096;

    /// <summary>Combines map(x[offset + i], shift) for i in [0, n), n ≥ 1; blocks run in parallel when asked.</summary>
    public static T Reduce<T, TR, TM>(TR reduction, TM map, T[] x, long offset, long n, T shift, bool parallel)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T>
    {
        if (n <= BlockSize) return Block(reduction, map, ref At(x, offset), (int)n, shift);
        long blocks = (n + BlockSize - 1) / BlockSize;
        var partial = new T[blocks];
        if (parallel && CpuParallel.ThreadCount > 1)
        {
            // Eight blocks (32K elements) per task keeps scheduling overhead small.
            CpuParallel.For(blocks, 8, (b0, b1) =>
            {
                for (long b = b0; b < b1; b++) partial[b] = BlockAt(reduction, map, x, offset, n, b, shift);
            });
        }
        else
        {
            for (long b = 0; b < blocks; b++) partial[b] = BlockAt(reduction, map, x, offset, n, b, shift);
        }
        return Pairwise(reduction, partial, 0, blocks);
    }

    /// <summary>Index of the first element equal to <paramref name="value"/> (the first NaN when it is NaN), or −1.</summary>
    public static long IndexOf<T>(T[] x, long offset, long n, T value) where T : unmanaged, INumber<T>
    {
        ref T p = ref At(x, offset);
        bool nan = T.IsNaN(value);
        long i = 0;
        if (SimdLoops.Use512<T>())
        {
            var v = Vector512.Create(value);
            for (; i <= n - Vector512<T>.Count; i += Vector512<T>.Count)
            {
                var lanes = Vector512.LoadUnsafe(ref p, (nuint)i);
                var hit = nan ? Vector512.IsNaN(lanes) : Vector512.Equals(lanes, v);
                ulong bits = hit.ExtractMostSignificantBits();
                if (bits != 0) return i + BitOperations.TrailingZeroCount(bits);
            }
        }
        else if (SimdLoops.Use256<T>())
        {
            var v = Vector256.Create(value);
            for (; i <= n - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var lanes = Vector256.LoadUnsafe(ref p, (nuint)i);
                var hit = nan ? Vector256.IsNaN(lanes) : Vector256.Equals(lanes, v);
                uint bits = hit.ExtractMostSignificantBits();
                if (bits != 0) return i + BitOperations.TrailingZeroCount(bits);
            }
        }
        for (; i < n; i++)
        {
            T e = Unsafe.Add(ref p, (nint)i);
            if (nan ? T.IsNaN(e) : e == value) return i;
        }
        return -1;
    }

    private static T BlockAt<T, TR, TM>(TR reduction, TM map, T[] x, long offset, long n, long block, T shift)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T>
    {
        long start = block * BlockSize;
        return Block(reduction, map, ref At(x, offset + start), (int)Math.Min(BlockSize, n - start), shift);
    }

    private static T Pairwise<T, TR>(TR reduction, T[] partial, long lo, long hi) where T : unmanaged where TR : struct, IReduction<T>
    {
        if (hi - lo == 1) return partial[lo];
        long mid = lo + (hi - lo) / 2;
        return reduction.Combine(Pairwise(reduction, partial, lo, mid), Pairwise(reduction, partial, mid, hi));
    }

    /// <summary>One block: four vector accumulators, then one, then the scalar tail, in a fixed order.</summary>
    private static T Block<T, TR, TM>(TR reduction, TM map, ref T x, int n, T shift)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T>
    {
        T result = reduction.Identity;
        nint i = 0;
        if (SimdLoops.Use512<T>() && n >= Vector512<T>.Count)
        {
            nint w = Vector512<T>.Count;
            var s = Vector512.Create(shift);
            var a0 = Vector512.Create(reduction.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = reduction.Combine(a0, map.Map(Vector512.LoadUnsafe(ref x, (nuint)i), s));
                a1 = reduction.Combine(a1, map.Map(Vector512.LoadUnsafe(ref x, (nuint)(i + w)), s));
                a2 = reduction.Combine(a2, map.Map(Vector512.LoadUnsafe(ref x, (nuint)(i + 2 * w)), s));
                a3 = reduction.Combine(a3, map.Map(Vector512.LoadUnsafe(ref x, (nuint)(i + 3 * w)), s));
            }
            for (; i <= n - w; i += w)
                a0 = reduction.Combine(a0, map.Map(Vector512.LoadUnsafe(ref x, (nuint)i), s));
            var acc = reduction.Combine(reduction.Combine(a0, a1), reduction.Combine(a2, a3));
            for (int lane = 0; lane < Vector512<T>.Count; lane++) result = reduction.Combine(result, acc.GetElement(lane));
        }
        else if (SimdLoops.Use256<T>() && n >= Vector256<T>.Count)
        {
            nint w = Vector256<T>.Count;
            var s = Vector256.Create(shift);
            var a0 = Vector256.Create(reduction.Identity);
            var a1 = a0; var a2 = a0; var a3 = a0;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                a0 = reduction.Combine(a0, map.Map(Vector256.LoadUnsafe(ref x, (nuint)i), s));
                a1 = reduction.Combine(a1, map.Map(Vector256.LoadUnsafe(ref x, (nuint)(i + w)), s));
                a2 = reduction.Combine(a2, map.Map(Vector256.LoadUnsafe(ref x, (nuint)(i + 2 * w)), s));
                a3 = reduction.Combine(a3, map.Map(Vector256.LoadUnsafe(ref x, (nuint)(i + 3 * w)), s));
            }
            for (; i <= n - w; i += w)
                a0 = reduction.Combine(a0, map.Map(Vector256.LoadUnsafe(ref x, (nuint)i), s));
            var acc = reduction.Combine(reduction.Combine(a0, a1), reduction.Combine(a2, a3));
            for (int lane = 0; lane < Vector256<T>.Count; lane++) result = reduction.Combine(result, acc.GetElement(lane));
        }
        for (; i < n; i++) result = reduction.Combine(result, map.Map(Unsafe.Add(ref x, i), shift));
        return result;
    }

    private static ref T At<T>(T[] array, long offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset);
}
