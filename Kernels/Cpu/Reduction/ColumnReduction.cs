using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// Reduction over leading dims while the innermost kept dim is contiguous (column sums such as a bias
/// gradient [N, C] → [C], which arrives as x [C, N] with strides [1, C]). Whole rows of up to
/// <see cref="TileSize"/> columns are combined with SIMD, rows pairwise (leaves of
/// <see cref="LeafRows"/> rows) so float32 error stays small. Work is split into column tiles and, when
/// there are few of those, into a fixed number of row blocks combined pairwise: the split depends on
/// the sizes only, never on the thread count.
/// </summary>
internal static class ColumnReduction
{
    /// <summary>Columns per task.</summary>
    public const int TileSize = 2048;

    /// <summary>Rows combined in sequence before pairwise combination takes over.</summary>
    public const int LeafRows = 16;

    private const int MinTasks = 16;
    private const int MaxRowBlocks = 64;

    /// <summary>
    /// dst[o·K + k] = combination over the reduced rows of map(x, shift[o·K + k]), for a layout whose
    /// innermost kept dim (K) has stride 1. <paramref name="shift"/> may be null for maps that ignore it.
    /// </summary>
    public static void Reduce<T, TR, TM>(TR reduction, TM map, ReductionLayout layout, T[] x, T[]? shift, T[] dst)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T>
    {
        var plan = new Plan(layout);
        long outputs = layout.OutputCount;
        long rowsPerBlock = (plan.Rows + plan.RowBlocks - 1) / plan.RowBlocks;
        T[] partial = plan.RowBlocks == 1 ? dst : new T[plan.RowBlocks * outputs];
        long items = plan.Tasks * plan.RowBlocks;
        long grain = Math.Max(1, StridedLoop.ParallelGrain / Math.Max(1, rowsPerBlock * Math.Min(TileSize, plan.Columns)));

        CpuParallel.For(items, grain, (first, last) =>
        {
            for (long item = first; item < last; item++)
            {
                long task = item / plan.RowBlocks, block = item % plan.RowBlocks;
                long o = task / plan.Tiles;
                long k0 = task % plan.Tiles * TileSize;
                int width = (int)Math.Min(TileSize, plan.Columns - k0);
                long r0 = block * rowsPerBlock, r1 = Math.Min(plan.Rows, r0 + rowsPerBlock);
                long at = o * plan.Columns + k0;
                var worker = new RowWorker<T, TR, TM>(reduction, map, layout, x, layout.Offset + plan.OuterOffset(o) + k0, width,
                    shift ?? partial, shift is null ? block * outputs + at : at);
                worker.Run(r0, r1, partial, block * outputs + at);
            }
        });

        // Row blocks: a fixed pairwise tree over the block results.
        for (long step = 1; step < plan.RowBlocks; step *= 2)
            for (long b = 0; b + step < plan.RowBlocks; b += 2 * step)
                CombineInto(reduction, ref At(partial, b * outputs), ref At(partial, (b + step) * outputs), outputs);
        if (!ReferenceEquals(partial, dst)) Array.Copy(partial, dst, outputs);
    }

    /// <summary>dst[o·K + k] = flat index over the reduced dims of the first maximum (or minimum); NaN wins.</summary>
    public static void ArgReduce<T>(bool max, ReductionLayout layout, T[] x, int[] dst) where T : unmanaged, INumber<T>
    {
        var plan = new Plan(layout);
        long grain = Math.Max(1, StridedLoop.ParallelGrain / Math.Max(1, plan.Rows * Math.Min(TileSize, plan.Columns)));
        CpuParallel.For(plan.Tasks, grain, (first, last) =>
        {
            var best = new T[TileSize];
            Span<long> index = stackalloc long[layout.ReducedShape.Length];
            for (long task = first; task < last; task++)
            {
                long o = task / plan.Tiles;
                long k0 = task % plan.Tiles * TileSize;
                int width = (int)Math.Min(TileSize, plan.Columns - k0);
                long origin = layout.Offset + plan.OuterOffset(o) + k0;
                long at = o * plan.Columns + k0;
                var cursor = new OffsetCursor(layout.ReducedShape, layout.ReducedStrides, 0, index);
                for (int k = 0; k < width; k++) { best[k] = x[origin + cursor.Offset + k]; dst[at + k] = 0; }
                for (long r = 1; r < plan.Rows; r++)
                {
                    cursor.Next();
                    long row = origin + cursor.Offset;
                    for (int k = 0; k < width; k++)
                    {
                        T v = x[row + k], b = best[k];
                        // Strictly better keeps the first occurrence; a NaN replaces anything but a NaN.
                        bool better = (max ? v > b : v < b) || (T.IsNaN(v) && !T.IsNaN(b));
                        if (better) { best[k] = v; dst[at + k] = (int)r; }
                    }
                }
            }
        });
    }

    /// <summary>How the outputs are tiled and the rows blocked.</summary>
    private readonly struct Plan
    {
        private readonly long[] _outerShape;
        private readonly long[] _outerStrides;

        public Plan(ReductionLayout layout)
        {
            Columns = layout.KeptShape[^1];
            Rows = layout.ReducedCount;
            _outerShape = layout.KeptShape[..^1];
            _outerStrides = layout.KeptStrides[..^1];
            Tiles = (Columns + TileSize - 1) / TileSize;
            Tasks = layout.OutputCount / Columns * Tiles;
            // Few column tiles: cut the rows too, so that large reductions still spread over threads.
            RowBlocks = Tasks >= MinTasks ? 1 : Math.Clamp((Rows + 1023) / 1024, 1, MaxRowBlocks);
        }

        public long Columns { get; }
        public long Rows { get; }
        public long Tiles { get; }
        public long Tasks { get; }
        public long RowBlocks { get; }

        public long OuterOffset(long o) => ReductionLayout.OffsetOf(o, _outerShape, _outerStrides);
    }

    /// <summary>Pairwise combination of rows [r0, r1) of one column tile.</summary>
    private readonly struct RowWorker<T, TR, TM>(TR reduction, TM map, ReductionLayout layout, T[] x, long origin, int width, T[] shift, long shiftAt)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T>
    {
        public void Run(long r0, long r1, T[] dst, long dstAt)
        {
            int levels = 1;
            for (long rows = r1 - r0; rows > LeafRows; rows = (rows + 1) / 2) levels++;
            T[] scratch = ArrayPool<T>.Shared.Rent(levels * width);
            Span<long> index = stackalloc long[layout.ReducedShape.Length];
            try
            {
                Combine(r0, r1, ref At(dst, dstAt), scratch, 0, index);
            }
            finally
            {
                ArrayPool<T>.Shared.Return(scratch);
            }
        }

        private void Combine(long r0, long r1, ref T dst, T[] scratch, int level, Span<long> index)
        {
            if (r1 - r0 <= LeafRows)
            {
                Leaf(r0, r1, ref dst, index);
                return;
            }
            long mid = r0 + (r1 - r0) / 2;
            Combine(r0, mid, ref dst, scratch, level + 1, index);
            ref T right = ref At(scratch, (long)level * width);
            Combine(mid, r1, ref right, scratch, level + 1, index);
            CombineInto(reduction, ref dst, ref right, width);
        }

        private void Leaf(long r0, long r1, ref T dst, Span<long> index)
        {
            var cursor = new OffsetCursor(layout.ReducedShape, layout.ReducedStrides, r0, index);
            ref T s = ref At(shift, shiftAt);
            MapRow(ref At(x, origin + cursor.Offset), ref s, ref dst);
            for (long r = r0 + 1; r < r1; r++)
            {
                cursor.Next();
                CombineRow(ref At(x, origin + cursor.Offset), ref s, ref dst);
            }
        }

        private void MapRow(ref T src, ref T s, ref T dst)
        {
            int k = 0;
            if (SimdLoops.Use512<T>())
                for (; k <= width - Vector512<T>.Count; k += Vector512<T>.Count)
                    map.Map(Vector512.LoadUnsafe(ref src, (nuint)k), Vector512.LoadUnsafe(ref s, (nuint)k)).StoreUnsafe(ref dst, (nuint)k);
            else if (SimdLoops.Use256<T>())
                for (; k <= width - Vector256<T>.Count; k += Vector256<T>.Count)
                    map.Map(Vector256.LoadUnsafe(ref src, (nuint)k), Vector256.LoadUnsafe(ref s, (nuint)k)).StoreUnsafe(ref dst, (nuint)k);
            for (; k < width; k++) Unsafe.Add(ref dst, k) = map.Map(Unsafe.Add(ref src, k), Unsafe.Add(ref s, k));
        }

        private void CombineRow(ref T src, ref T s, ref T dst)
        {
            int k = 0;
            if (SimdLoops.Use512<T>())
                for (; k <= width - Vector512<T>.Count; k += Vector512<T>.Count)
                    reduction.Combine(Vector512.LoadUnsafe(ref dst, (nuint)k), map.Map(Vector512.LoadUnsafe(ref src, (nuint)k), Vector512.LoadUnsafe(ref s, (nuint)k)))
                        .StoreUnsafe(ref dst, (nuint)k);
            else if (SimdLoops.Use256<T>())
                for (; k <= width - Vector256<T>.Count; k += Vector256<T>.Count)
                    reduction.Combine(Vector256.LoadUnsafe(ref dst, (nuint)k), map.Map(Vector256.LoadUnsafe(ref src, (nuint)k), Vector256.LoadUnsafe(ref s, (nuint)k)))
                        .StoreUnsafe(ref dst, (nuint)k);
            for (; k < width; k++) Unsafe.Add(ref dst, k) = reduction.Combine(Unsafe.Add(ref dst, k), map.Map(Unsafe.Add(ref src, k), Unsafe.Add(ref s, k)));
        }
    }

    /// <summary>a[i] = combine(a[i], b[i]) for i in [0, n).</summary>
    private static void CombineInto<T, TR>(TR reduction, ref T a, ref T b, long n) where T : unmanaged where TR : struct, IReduction<T>
    {
        nint i = 0;
        if (SimdLoops.Use512<T>())
            for (; i <= (nint)n - Vector512<T>.Count; i += Vector512<T>.Count)
                reduction.Combine(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        else if (SimdLoops.Use256<T>())
            for (; i <= (nint)n - Vector256<T>.Count; i += Vector256<T>.Count)
                reduction.Combine(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref a, (nuint)i);
        for (; i < (nint)n; i++) Unsafe.Add(ref a, i) = reduction.Combine(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
    }

    private static ref T At<T>(T[] array, long offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(array), (nint)offset);
}
