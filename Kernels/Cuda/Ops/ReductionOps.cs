using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>
/// Launcher of <see cref="IBackend.Reduce"/>. The leading ("row") dims and the reduced dims are
/// coalesced separately; then one of three kernels runs, chosen from the sizes and strides alone (so
/// the same shapes always take the same path and give the same bits):
/// a warp per row for short rows, a block per row for long ones (split over several blocks with an
/// ordered second pass when there are few rows), or a column kernel when the reduced elements are
/// strided but neighbouring rows are adjacent in memory (reducing a leading axis).
/// </summary>
internal static class ReductionOps
{
    private const int StateBytes = 24; // sizeof(RState<T>) in reduce.cu: two 8-byte accumulators and a long long

    public static void Reduce(IKernelHost backend, ReduceOp op, BufferView x, int reducedDims, BufferView y)
    {
        string name = $"reduce {op}";
        if (reducedDims < 0 || reducedDims > x.Rank)
            throw new ArgumentOutOfRangeException(nameof(reducedDims), reducedDims, $"{name}: x {Describe(x.Shape)} has {x.Rank} dims");
        bool arg = op is ReduceOp.ArgMax or ReduceOp.ArgMin;
        HasDType(name, y, "y", arg ? DType.Int32 : x.DType);
        if (op is ReduceOp.Mean or ReduceOp.LogSumExp && !x.DType.IsFloatingPoint())
            throw new ArgumentException($"{name}: needs a floating dtype, x is {x.DType.Name()}");
        Contiguous(name, y, "y");
        int lead = x.Rank - reducedDims;
        var leadShape = x.Shape[..lead];
        var redShape = x.Shape[lead..];
        long outer = BufferView.ElementCount(leadShape);
        long inner = BufferView.ElementCount(redShape);
        if (!y.Shape.AsSpan().SequenceEqual(leadShape))
            throw new ArgumentException($"{name}: y has shape {Describe(y.Shape)} but x {Describe(x.Shape)} reduced over its last {reducedDims} dims gives {Describe(leadShape)}");
        if (outer == 0) return;
        if (inner == 0)
        {
            ReduceEmpty(backend, op, y, name, x);
            return;
        }

        var leadLayout = CoalescedLayout.Create(leadShape, x.Strides[..lead]);
        var redLayout = CoalescedLayout.Create(redShape, x.Strides[lead..]);
        bool redContiguous = redLayout.IsUnitStride(0);
        long innermostLeadStride = leadLayout.Strides[0][^1];
        bool rowsAdjacent = outer > 1 && innermostLeadStride == 1 && !redContiguous;

        string type = KernelName.CppType(x.DType);
        var common = new KernelArguments();
        common.Add((int)op);
        common.Add(backend.Address(x));
        common.Add(leadLayout.KernelShape);
        common.Add(leadLayout.KernelStrides(0));
        common.Add(redLayout.KernelShape);
        common.Add(redLayout.KernelStrides(0));

        if (rowsAdjacent)
        {
            long columnBlocks = (outer + 31) / 32;
            int splits = SplitCount(columnBlocks, inner, minimumPerSplit: 8 * 64);
            long chunk = (inner + splits - 1) / splits;
            RunSplit(backend, op, type, y, outer, inner, splits,
                (ulong partial) =>
                {
                    var args = common;
                    args.Add(outer);
                    args.Add(inner);
                    args.Add(chunk);
                    args.Add(backend.Address(y));
                    args.Add(partial);
                    uint grid = (uint)Math.Min(columnBlocks, 65535);
                    backend.Launch(KernelCatalog.Reduce, KernelName.Of("reduce_columns", type),
                        new LaunchShape(grid, (uint)splits, 1, 32, 8, 1), ref args);
                });
            return;
        }

        if (inner <= 2048 || outer >= 1024 && inner <= 8192)
        {
            var args = common;
            args.Add(redContiguous ? 1 : 0);
            args.Add(outer);
            args.Add(inner);
            args.Add(backend.Address(y));
            const int warpsPerBlock = 8;
            uint grid = (uint)Math.Min((outer + warpsPerBlock - 1) / warpsPerBlock, backend.GridFor(outer * 32, 32 * warpsPerBlock));
            backend.Launch(KernelCatalog.Reduce, KernelName.Of("reduce_rows_warp", type), LaunchShape.Linear(grid, 32 * warpsPerBlock), ref args);
            return;
        }

        {
            int splits = SplitCount(outer, inner, minimumPerSplit: 4096);
            long chunk = (inner + splits - 1) / splits;
            RunSplit(backend, op, type, y, outer, inner, splits,
                (ulong partial) =>
                {
                    var args = common;
                    args.Add(redContiguous ? 1 : 0);
                    args.Add(outer);
                    args.Add(inner);
                    args.Add(chunk);
                    args.Add(backend.Address(y));
                    args.Add(partial);
                    uint grid = (uint)Math.Min(outer, int.MaxValue);
                    backend.Launch(KernelCatalog.Reduce, KernelName.Of("reduce_rows_block", type),
                        new LaunchShape(grid, (uint)splits, 1, 256, 1, 1), ref args);
                });
        }
    }

    // Splits only when there are too few rows (or column blocks) to fill the GPU; a function of the
    // sizes only, so the reduction tree never depends on the device.
    private static int SplitCount(long parallelUnits, long inner, long minimumPerSplit)
    {
        if (parallelUnits >= 256) return 1;
        long byWork = (inner + minimumPerSplit - 1) / minimumPerSplit;
        long byUnits = Math.Max(1, 512 / parallelUnits);
        return (int)Math.Clamp(Math.Min(byWork, byUnits), 1, 1024);
    }

    private static void RunSplit(IKernelHost backend, ReduceOp op, string type, BufferView y,
        long outer, long inner, int splits, Action<ulong> launch)
    {
        if (splits == 1)
        {
            launch(0);
            return;
        }
        // Partial states: outer × splits of RState<T> (24 bytes), in a byte-sized workspace of doubles.
        var workspace = backend.Workspace(DType.Float64, outer * splits * StateBytes / 8);
        try
        {
            launch(backend.Address(workspace, 0));
            var args = new KernelArguments();
            args.Add((int)op);
            args.Add(backend.Address(workspace, 0));
            args.Add(splits);
            args.Add(outer);
            args.Add(inner);
            args.Add(backend.Address(y));
            backend.Launch(KernelCatalog.Reduce, KernelName.Of("reduce_finalize", type), ElementwiseOps.Linear(backend, outer), ref args);
        }
        finally
        {
            workspace.Release();
        }
    }

    // Reducing zero elements: Sum 0, Mean NaN (0/0), LogSumExp −∞ (log 0); the others have no value.
    private static void ReduceEmpty(IKernelHost backend, ReduceOp op, BufferView y, string name, BufferView x)
    {
        double value = op switch
        {
            ReduceOp.Sum => 0,
            ReduceOp.Mean => double.NaN,
            ReduceOp.LogSumExp => double.NegativeInfinity,
            _ => throw new ArgumentException($"{name}: cannot reduce zero elements (x {Describe(x.Shape)})"),
        };
        ElementwiseOps.Fill(backend, y, value);
    }
}
