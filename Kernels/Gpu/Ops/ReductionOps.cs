using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Cpu;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>
/// Launcher of <see cref="IBackend.Reduce"/>. The kept and the reduced dims of x are each merged
/// (<see cref="CoalescedLayout"/>), so any strides work without a copy. Three plans, picked from the sizes only
/// (never from the device), so a result does not depend on the hardware:
/// <list type="bullet">
/// <item>few elements per output (at most <see cref="ColumnMax"/>, or <see cref="ManyOutputsColumnMax"/> when
/// there are at least <see cref="ManyOutputs"/> outputs): one thread per output (<see cref="ReductionKernels.ColumnReduce"/>);</item>
/// <item>fewer than 8192 elements (<see cref="Tuning.TwoPassMin"/>): one group per output, a warp for rows up to
/// 1024 elements and 256 threads above;</item>
/// <item>more: two passes, chunks of 4096 elements reduced by one group each into a workspace, then the chunk
/// results of each output by one group.</item>
/// </list>
/// Float32 sums are thus combined in blocks and trees: a thread adds at most 4096/256 = 16 elements in sequence
/// in the two-pass plan (or ColumnMax in the column plan), then trees of 32 and 8 levels combine the rest.
/// </summary>
internal static class ReductionOps
{
    private const long ColumnMax = 16;
    private const long ManyOutputsColumnMax = 128;
    private const long ManyOutputs = 4096;

    /// <summary>The sizes of the row plans (group size, warp-row limit, chunk length).</summary>
    internal sealed record Tuning(int Block, long WarpRowMax, long ChunkLength)
    {
        /// <summary>What every launch uses.</summary>
        public static readonly Tuning Default = new(256, 1024, 4096);

        /// <summary>Rows of at least this many elements take two passes.</summary>
        public long TwoPassMin => 2 * ChunkLength;
    }

    private static Tuning s_tuning = Tuning.Default;

    /// <summary>
    /// Runs the launcher with other plan sizes until disposed: tests reach the block and two-pass plans with
    /// inputs small enough for the simulator, whose groups of 256 threads with barriers cost about half a second each.
    /// </summary>
    internal static IDisposable WithTuning(Tuning tuning)
    {
        var previous = s_tuning;
        s_tuning = tuning;
        return new Restore(() => s_tuning = previous);
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }

    private static int Block => s_tuning.Block;
    private static long ChunkLength => s_tuning.ChunkLength;

    public static void Reduce(GpuBackend backend, ReduceOp op, BufferView x, int reducedDims, BufferView y)
    {
        long reduced = BackendContract.Reduce(op, x, reducedDims, y);
        if (y.Count == 0) return;
        int kept = x.Rank - reducedDims;
        bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
        if (reduced == 0)
        {
            ElementwiseOps.Fill(backend, y, BackendContract.EmptyReduction(op));
            return;
        }
        if (reduced == 1)
        {
            // One element per output: the element itself (index 0 for Arg*).
            if (arg) ElementwiseOps.Fill(backend, y, 0.0);
            else ElementwiseOps.Copy(backend, x.WithLayout(x.Shape[..kept], x.Strides[..kept], x.Offset), y);
            return;
        }
        var plan = new Plan(x, kept, reduced);
        switch (x.DType)
        {
            case DType.Float32: Floating<float>(backend, op, plan, x, y); break;
            case DType.Float64: Floating<double>(backend, op, plan, x, y); break;
            default: Numbers<int>(backend, op, plan, x, y); break;
        }
    }

    private static void Floating<T>(GpuBackend backend, ReduceOp op, Plan plan, BufferView x, BufferView y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (op != ReduceOp.LogSumExp)
        {
            Numbers<T>(backend, op, plan, x, y);
            return;
        }
        // m = max x, then m + log Σ e^(x − m), as the CPU.
        var max = backend.Workspace(x.DType, plan.Outputs);
        try
        {
            var maxView = max.View<T>().SubView(0, plan.Outputs);
            Values(backend, plan, backend.From<T>(x), maxView, maxView, default(MaxReduction<T>), default(IdentityMap<T>), default(KeepCombined<T>));
            Values(backend, plan, backend.From<T>(x), maxView, backend.From<T>(y), default(SumReduction<T>), default(ExpShiftMap<T>), default(LogSumExpFinish<T>));
        }
        finally
        {
            max.Release();
        }
    }

    private static void Numbers<T>(GpuBackend backend, ReduceOp op, Plan plan, BufferView x, BufferView y) where T : unmanaged, INumber<T>
    {
        var xs = backend.From<T>(x);
        switch (op)
        {
            case ReduceOp.Sum:
                Values(backend, plan, xs, default, backend.From<T>(y), default(SumReduction<T>), default(IdentityMap<T>), default(KeepCombined<T>));
                break;
            case ReduceOp.Mean:
                Values(backend, plan, xs, default, backend.From<T>(y), default(SumReduction<T>), default(IdentityMap<T>),
                    new DivideByCount<T>(T.CreateTruncating(plan.Reduced)));
                break;
            case ReduceOp.Max:
                Values(backend, plan, xs, default, backend.From<T>(y), default(MaxReduction<T>), default(IdentityMap<T>), default(KeepCombined<T>));
                break;
            case ReduceOp.Min:
                Values(backend, plan, xs, default, backend.From<T>(y), default(MinReduction<T>), default(IdentityMap<T>), default(KeepCombined<T>));
                break;
            case ReduceOp.ArgMax: Arg(backend, plan, xs, backend.From<int>(y), default(MaxReduction<T>), x.DType); break;
            case ReduceOp.ArgMin: Arg(backend, plan, xs, backend.From<int>(y), default(MinReduction<T>), x.DType); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "unknown reduce op");
        }
    }

    /// <summary>y[o] = finish(combination over o's elements of map(x, shift[o]), shift[o]); shift may be empty when the map and finish ignore it.</summary>
    private static void Values<T, TR, TM, TF>(GpuBackend backend, Plan plan, ArrayView<T> x, ArrayView<T> shift, ArrayView<T> y, TR reduction, TM map, TF finish)
        where T : unmanaged where TR : struct, IReduction<T> where TM : struct, IElementMap<T> where TF : struct, IReduceFinish<T>
    {
        // Kernels read shift[o] for every output; y stands in where nothing is shifted.
        if (shift.Length == 0) shift = y;
        T identity = reduction.Identity;
        if (plan.UsesColumns)
        {
            backend.Kernels.Launch(ReductionKernels.ColumnReduce<T, TR, TM, TF>, Launch.Linear(backend, plan.Outputs), x, plan.Geometry(1),
                shift, y, identity, reduction, map, finish);
            return;
        }
        if (!plan.TwoPass)
        {
            backend.Kernels.Launch(ReductionKernels.RowReduce<T, TR, TM, TF>, Groups(backend, plan.Outputs, plan.GroupSize), x, plan.Geometry(1),
                shift, y, identity, reduction, map, finish);
            return;
        }
        long chunks = plan.Chunks;
        var partial = backend.Workspace(DTypeExtensions.Of<T>(), plan.Outputs * chunks);
        try
        {
            var partials = partial.View<T>().SubView(0, plan.Outputs * chunks);
            backend.Kernels.Launch(ReductionKernels.RowReduce<T, TR, TM, KeepCombined<T>>, Groups(backend, plan.Outputs * chunks, Block), x,
                plan.Geometry(chunks), shift, partials, identity, reduction, map, default(KeepCombined<T>));
            backend.Kernels.Launch(ReductionKernels.RowReduce<T, TR, IdentityMap<T>, TF>, Groups(backend, plan.Outputs, Block), partials,
                Plan.OverPartials(plan.Outputs, chunks), shift, y, identity, reduction, default(IdentityMap<T>), finish);
        }
        finally
        {
            partial.Release();
        }
    }

    private static void Arg<T, TR>(GpuBackend backend, Plan plan, ArrayView<T> x, ArrayView<int> y, TR reduction, DType dtype)
        where T : unmanaged, INumber<T> where TR : struct, IReduction<T>
    {
        T identity = reduction.Identity;
        if (plan.UsesColumns)
        {
            backend.Kernels.Launch(ReductionKernels.ColumnArg<T, TR>, Launch.Linear(backend, plan.Outputs), x, plan.Geometry(1), y, identity, reduction);
            return;
        }
        long chunks = plan.TwoPass ? plan.Chunks : 1;
        // Pairs of the first pass, then (apart, since groups of the second pass read other outputs' pairs) its values.
        var values = backend.Workspace(dtype, plan.Outputs * (chunks + 1));
        var indices = plan.TwoPass ? backend.Workspace(DType.Int32, plan.Outputs * chunks) : null;
        try
        {
            var valueView = values.View<T>().SubView(0, plan.Outputs * chunks);
            var finalValues = values.View<T>().SubView(plan.Outputs * chunks, plan.Outputs);
            if (!plan.TwoPass)
            {
                backend.Kernels.Launch(ReductionKernels.RowArg<T, TR>, Groups(backend, plan.Outputs, plan.GroupSize), x, y, 0, plan.Geometry(1),
                    finalValues, y, identity, reduction);
                return;
            }
            var indexView = indices!.View<int>().SubView(0, plan.Outputs * chunks);
            backend.Kernels.Launch(ReductionKernels.RowArg<T, TR>, Groups(backend, plan.Outputs * chunks, Block), x, indexView, 0, plan.Geometry(chunks),
                valueView, indexView, identity, reduction);
            backend.Kernels.Launch(ReductionKernels.RowArg<T, TR>, Groups(backend, plan.Outputs, Block), valueView, indexView, 1,
                Plan.OverPartials(plan.Outputs, chunks), finalValues, y, identity, reduction);
        }
        finally
        {
            values.Release();
            indices?.Release();
        }
    }

    private static KernelConfig Groups(GpuBackend backend, long items, int groupSize)
    {
        long cap = Math.Max(1, backend.MultiprocessorCount) * 32L;
        return new KernelConfig((int)Math.Min(items, cap), groupSize);
    }

    /// <summary>The merged kept and reduced dims of x, and the plan their sizes choose.</summary>
    private sealed class Plan
    {
        private readonly CoalescedLayout _kept;
        private readonly CoalescedLayout _reduced;

        public Plan(BufferView x, int kept, long reduced)
        {
            _kept = CoalescedLayout.Create(x.Shape[..kept], x.Strides[..kept]);
            _reduced = CoalescedLayout.Create(x.Shape[kept..], x.Strides[kept..]);
            Outputs = _kept.Count;
            Reduced = reduced;
        }

        public long Outputs { get; }

        public long Reduced { get; }

        public bool UsesColumns => Reduced <= ColumnMax || (Reduced <= ManyOutputsColumnMax && Outputs >= ManyOutputs);

        public bool TwoPass => Reduced >= s_tuning.TwoPassMin;

        public long Chunks => (Reduced + ChunkLength - 1) / ChunkLength;

        public int GroupSize => Reduced <= s_tuning.WarpRowMax ? 32 : Block;

        public ReduceGeometry Geometry(long chunks) => new()
        {
            Kept = _kept.KernelShape,
            KeptStrides = _kept.KernelStrides(0),
            Reduced = _reduced.KernelShape,
            ReducedStrides = _reduced.KernelStrides(0),
            ReducedCount = Reduced,
            ChunkLength = chunks == 1 ? Reduced : ChunkLength,
            Chunks = chunks,
            Items = Outputs * chunks,
        };

        /// <summary>The second pass: output o reduces the contiguous chunk results [o·chunks, (o + 1)·chunks).</summary>
        public static ReduceGeometry OverPartials(long outputs, long chunks) => new()
        {
            Kept = KernelShape.From([(int)outputs]),
            KeptStrides = KernelStrides.From([chunks]),
            Reduced = KernelShape.From([(int)chunks]),
            ReducedStrides = KernelStrides.From([1]),
            ReducedCount = chunks,
            ChunkLength = chunks,
            Chunks = 1,
            Items = outputs,
        };
    }
}
