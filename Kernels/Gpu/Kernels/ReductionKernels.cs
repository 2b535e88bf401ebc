using System.Numerics;
using System.Runtime.InteropServices;
using ILGPU;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Kernels;

/// <summary>
/// Where each output's elements lie: output o reduces the elements at
/// <c>KeptStrides·index(o) + ReducedStrides·index(r)</c> for r in [0, ReducedCount), and is cut into
/// <see cref="Chunks"/> chunks of <see cref="ChunkLength"/> elements (one chunk per item: the first pass of a
/// two-pass reduction has several, every other launch one).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ReduceGeometry
{
    public KernelShape Kept;
    public KernelStrides KeptStrides;
    public KernelShape Reduced;
    public KernelStrides ReducedStrides;
    public long ReducedCount;
    public long ChunkLength;
    public long Chunks;
    /// <summary>Outputs × chunks.</summary>
    public long Items;

    public readonly long OuterOffset(long output) => KeptStrides.OffsetOf(output, Kept);

    public readonly long InnerOffset(long r) => ReducedStrides.OffsetOf(r, Reduced);
}

/// <summary>What is written for an output once its elements are combined.</summary>
internal interface IReduceFinish<T> where T : unmanaged
{
    T Finish(T combined, T shift);
}

/// <summary>The combination itself (Sum, Max, Min, and the partial results of a first pass).</summary>
internal readonly struct KeepCombined<T> : IReduceFinish<T> where T : unmanaged
{
    public T Finish(T combined, T shift) => combined;
}

/// <summary>Mean: the sum divided by the element count, as the CPU divides.</summary>
internal readonly struct DivideByCount<T>(T count) : IReduceFinish<T> where T : unmanaged, INumber<T>
{
    public T Finish(T combined, T shift) => combined / count;
}

/// <summary>LogSumExp: shift (the maximum) + log Σ e^(x − shift), through the CPU's <see cref="RowReduction.LogSumExpFinish{T}"/>.</summary>
internal readonly struct LogSumExpFinish<T> : IReduceFinish<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public T Finish(T combined, T shift) => RowReduction.LogSumExpFinish(shift, combined);
}

/// <summary>
/// Reduction kernels over the CPU's <see cref="IReduction{T}"/> and <see cref="IElementMap{T}"/> structs.
/// <list type="bullet">
/// <item>Row kernels: one group per item; each thread combines every <c>Group.DimX</c>-th element of the
/// chunk in order, then the group combines its threads in a fixed tree (warp shuffles, then one shared-memory
/// round across warps). The tree depends on the group size only, which the launcher picks from the sizes.</item>
/// <item>Column kernels: one thread per output, combining its (few) elements in order; no barriers.</item>
/// </list>
/// ArgMax/ArgMin carry (value, index) pairs: NaN beats any number, a strictly better value beats a worse one,
/// and among equals the smaller index wins, so the result is the CPU's first maximum (or first NaN).
/// </summary>
internal static class ReductionKernels
{
    /// <summary>Most warps in a group (1024 threads).</summary>
    private const int MaxWarps = 32;

    public static void RowReduce<T, TR, TM, TF>(ArrayView<T> x, ReduceGeometry g, ArrayView<T> shift, ArrayView<T> y, T identity,
        TR reduction, TM map, TF finish)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T> where TF : struct, IReduceFinish<T>
    {
        var partials = SharedMemory.Allocate<T>(MaxWarps);
        for (long item = Grid.IdxX; item < g.Items; item += Grid.DimX)
        {
            long o = item / g.Chunks;
            long r0 = (item - o * g.Chunks) * g.ChunkLength;
            long r1 = r0 + g.ChunkLength < g.ReducedCount ? r0 + g.ChunkLength : g.ReducedCount;
            long outer = g.OuterOffset(o);
            T s = shift[o];
            T acc = identity;
            for (long r = r0 + Group.IdxX; r < r1; r += Group.DimX)
                acc = reduction.Combine(acc, map.Map(x[outer + g.InnerOffset(r)], s));
            acc = WarpCombine(acc, reduction);
            if (Group.DimX > Warp.WarpSize)
            {
                if (Warp.LaneIdx == 0) partials[Warp.WarpIdx] = acc;
                Group.Barrier();
                acc = Group.IdxX < Group.DimX / Warp.WarpSize ? partials[Group.IdxX] : identity;
                if (Warp.WarpIdx == 0) acc = WarpCombine(acc, reduction);
                Group.Barrier();
            }
            if (Group.IdxX == 0) y[item] = finish.Finish(acc, s);
        }
    }

    public static void ColumnReduce<T, TR, TM, TF>(ArrayView<T> x, ReduceGeometry g, ArrayView<T> shift, ArrayView<T> y, T identity,
        TR reduction, TM map, TF finish)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T> where TF : struct, IReduceFinish<T>
    {
        for (long o = CopyKernels.Start; o < g.Items; o += CopyKernels.Step)
        {
            long outer = g.OuterOffset(o);
            T s = shift[o];
            T acc = identity;
            for (long r = 0; r < g.ReducedCount; r++) acc = reduction.Combine(acc, map.Map(x[outer + g.InnerOffset(r)], s));
            y[o] = finish.Finish(acc, s);
        }
    }

    /// <summary>
    /// ArgMax (Max reduction) or ArgMin (Min) per item into (value, index). With <paramref name="indexed"/> ≠ 0
    /// the indices are read from <paramref name="indices"/> at the elements' positions (the second pass over
    /// a first pass's pairs); otherwise an element's index is its position r in its output's elements.
    /// </summary>
    public static void RowArg<T, TR>(ArrayView<T> x, ArrayView<int> indices, int indexed, ReduceGeometry g,
        ArrayView<T> yValue, ArrayView<int> yIndex, T identity, TR reduction)
        where T : unmanaged, INumber<T> where TR : struct, IReduction<T>
    {
        var values = SharedMemory.Allocate<T>(MaxWarps);
        var positions = SharedMemory.Allocate<int>(MaxWarps);
        for (long item = Grid.IdxX; item < g.Items; item += Grid.DimX)
        {
            long o = item / g.Chunks;
            long r0 = (item - o * g.Chunks) * g.ChunkLength;
            long r1 = r0 + g.ChunkLength < g.ReducedCount ? r0 + g.ChunkLength : g.ReducedCount;
            long outer = g.OuterOffset(o);
            T best = identity;
            int at = int.MaxValue;
            for (long r = r0 + Group.IdxX; r < r1; r += Group.DimX)
            {
                long offset = outer + g.InnerOffset(r);
                Consider(ref best, ref at, x[offset], indexed != 0 ? indices[offset] : (int)r, reduction);
            }
            WarpArg(ref best, ref at, reduction);
            if (Group.DimX > Warp.WarpSize)
            {
                if (Warp.LaneIdx == 0)
                {
                    values[Warp.WarpIdx] = best;
                    positions[Warp.WarpIdx] = at;
                }
                Group.Barrier();
                bool mine = Group.IdxX < Group.DimX / Warp.WarpSize;
                best = mine ? values[Group.IdxX] : identity;
                at = mine ? positions[Group.IdxX] : int.MaxValue;
                if (Warp.WarpIdx == 0) WarpArg(ref best, ref at, reduction);
                Group.Barrier();
            }
            if (Group.IdxX == 0)
            {
                yValue[item] = best;
                yIndex[item] = at;
            }
        }
    }

    public static void ColumnArg<T, TR>(ArrayView<T> x, ReduceGeometry g, ArrayView<int> y, T identity, TR reduction)
        where T : unmanaged, INumber<T> where TR : struct, IReduction<T>
    {
        for (long o = CopyKernels.Start; o < g.Items; o += CopyKernels.Step)
        {
            long outer = g.OuterOffset(o);
            T best = identity;
            int at = int.MaxValue;
            for (long r = 0; r < g.ReducedCount; r++) Consider(ref best, ref at, x[outer + g.InnerOffset(r)], (int)r, reduction);
            y[o] = at;
        }
    }

    private static T WarpCombine<T, TR>(T value, TR reduction) where T : unmanaged where TR : struct, IReduction<T>
    {
        for (int delta = Warp.WarpSize / 2; delta > 0; delta /= 2)
            value = reduction.Combine(value, Warp.ShuffleDown(value, delta));
        return value;
    }

    private static void WarpArg<T, TR>(ref T best, ref int at, TR reduction) where T : unmanaged, INumber<T> where TR : struct, IReduction<T>
    {
        for (int delta = Warp.WarpSize / 2; delta > 0; delta /= 2)
        {
            T otherValue = Warp.ShuffleDown(best, delta);
            int otherAt = Warp.ShuffleDown(at, delta);
            Consider(ref best, ref at, otherValue, otherAt, reduction);
        }
    }

    /// <summary>Replaces (best, at) by (value, index) when that is the better candidate (see the class remarks).</summary>
    private static void Consider<T, TR>(ref T best, ref int at, T value, int index, TR reduction)
        where T : unmanaged, INumber<T> where TR : struct, IReduction<T>
    {
        bool bestNaN = T.IsNaN(best), valueNaN = T.IsNaN(value);
        bool take;
        if (bestNaN || valueNaN) take = valueNaN && (!bestNaN || index < at);
        else if (value == best) take = index < at;
        else take = reduction.Combine(best, value) == value;
        if (take)
        {
            best = value;
            at = index;
        }
    }
}
