using System.Runtime.InteropServices;
using Scratch.Kernels.Cuda.Runtime;
using static Scratch.Kernels.Cuda.Ops.ViewChecks;

namespace Scratch.Kernels.Cuda.Ops;

/// <summary>Problem description passed by value to the GEMM kernels (struct GemmProblem in gemm_tiles.cuh, 96 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GemmProblem
{
    public int M, N, K;
    public long Sam, Sak, Sbk, Sbn, Scm, Scn;
    public long BatchCount;
    public int VecA, VecB;
    public int Splits;
    public int KChunk;
    public long CSplitStride;
}

/// <summary>
/// Launcher of <see cref="IBackend.MatMul"/>: picks the tile configuration, the operand load modes
/// (which dim is unit-stride, whether 16-byte vector loads are safe), the TF32 tensor-core kernel when
/// allowed, and split-K when the output has too few tiles to fill the GPU. The split factor depends
/// on the sizes only, and the partial products are summed in split order, so results are
/// deterministic.
/// </summary>
internal static class GemmOps
{
    public static void MatMul(IKernelHost backend, BufferView a, BufferView b, BufferView c, double alpha, double beta)
    {
        const string name = "matmul";
        int r = a.Rank;
        if (r < 2 || b.Rank != r || c.Rank != r)
            throw new ArgumentException($"{name}: a {Describe(a.Shape)}, b {Describe(b.Shape)} and c {Describe(c.Shape)} must have the same rank >= 2");
        SameDType(name, a, "a", b, "b");
        SameDType(name, a, "a", c, "c");
        Floating(name, a, "a");
        int m = a.Shape[r - 2], k = a.Shape[r - 1], n = b.Shape[r - 1];
        if (b.Shape[r - 2] != k || c.Shape[r - 2] != m || c.Shape[r - 1] != n
            || !a.Shape.AsSpan(0, r - 2).SequenceEqual(c.Shape.AsSpan(0, r - 2))
            || !b.Shape.AsSpan(0, r - 2).SequenceEqual(c.Shape.AsSpan(0, r - 2)))
            throw new ArgumentException($"{name}: a {Describe(a.Shape)} @ b {Describe(b.Shape)} does not give c {Describe(c.Shape)}");

        var batchShape = c.Shape[..(r - 2)];
        long batchCount = BufferView.ElementCount(batchShape);
        if (m == 0 || n == 0 || batchCount == 0) return;
        if (k == 0)
        {
            Scale(backend, c, beta);
            return;
        }

        var batch = CoalescedLayout.Create(batchShape, a.Strides[..(r - 2)], b.Strides[..(r - 2)], c.Strides[..(r - 2)]);
        var problem = new GemmProblem
        {
            M = m, N = n, K = k,
            Sam = a.Strides[r - 2], Sak = a.Strides[r - 1],
            Sbk = b.Strides[r - 2], Sbn = b.Strides[r - 1],
            Scm = c.Strides[r - 2], Scn = c.Strides[r - 1],
            BatchCount = batchCount,
            Splits = 1,
            KChunk = k,
        };
        int elementSize = a.DType.SizeInBytes();
        // Mode 0 loads groups along k (A row-major), mode 1 along m (A transposed); likewise B along n or k.
        int aMode = problem.Sak == 1 && k > 1 ? 0 : (problem.Sam == 1 && m > 1 ? 1 : 0);
        int bMode = problem.Sbn == 1 && n > 1 ? 0 : (problem.Sbk == 1 && k > 1 ? 1 : 0);
        problem.VecA = VectorLoadable(backend.Address(a), aMode == 0 ? problem.Sak : problem.Sam, aMode == 0 ? problem.Sam : problem.Sak,
            batch.Strides[0], elementSize) ? 1 : 0;
        problem.VecB = VectorLoadable(backend.Address(b), bMode == 0 ? problem.Sbn : problem.Sbk, bMode == 0 ? problem.Sbk : problem.Sbn,
            batch.Strides[1], elementSize) ? 1 : 0;

        bool tf32 = a.DType == DType.Float32 && backend.AllowTf32 && backend.Architecture >= 80;
        int config = a.DType == DType.Float64 ? 1 : (Tiles(m, n, 128, 128) * batchCount >= backend.MultiprocessorCount ? 0 : 1);
        int tileM = tf32 || config == 0 ? 128 : 64;
        int tileN = tileM;
        int tileK = tf32 ? 16 : (config == 0 ? 8 : 16);
        long tiles = Tiles(m, n, tileM, tileN) * batchCount;
        if ((m + tileM - 1) / tileM > backend.MaxGridDimY)
            throw new NotSupportedException($"{name}: {m} rows exceed the grid limit of this device");

        // Split-K: when few output tiles leave SMs idle and K is long, each split sums a slice of K.
        int splits = 1;
        if (tiles < 64 && k >= 1024)
        {
            splits = (int)Math.Clamp(Math.Min(k / 512, 128 / tiles), 1, 64);
            int chunk = (k + splits - 1) / splits;
            chunk = (chunk + tileK - 1) / tileK * tileK;
            splits = (k + chunk - 1) / chunk;
            problem.KChunk = chunk;
            problem.Splits = splits;
        }

        string type = KernelName.CppType(a.DType);
        var shape = new LaunchShape((uint)((n + tileN - 1) / tileN), (uint)((m + tileM - 1) / tileM),
            (uint)Math.Min(batchCount * splits, backend.MaxGridDimZ), 256, 1, 1);
        string kernel = tf32
            ? KernelName.Of("gemm_tf32", aMode.ToString(), bMode.ToString())
            : KernelName.Of("gemm_tiled", type, config.ToString(), aMode.ToString(), bMode.ToString());
        var source = tf32 ? KernelCatalog.GemmTf32 : KernelCatalog.Gemm;

        if (splits == 1)
        {
            var args = Arguments(backend.Address(a), backend.Address(b), backend.Address(c), problem, batch, batch.KernelStrides(2), a.DType, alpha, beta);
            backend.Launch(source, kernel, shape, ref args);
            return;
        }

        // Partials go to a contiguous workspace [batch, splits, M, N]; a second kernel sums them in order.
        long perBatch = (long)m * n;
        var workspace = backend.Workspace(a.DType, batchCount * splits * perBatch);
        try
        {
            var split = problem;
            split.Scm = n;
            split.Scn = 1;
            split.CSplitStride = perBatch;
            var workspaceBatchStrides = BufferView.ContiguousStrides(batch.Shape).Select(s => s * splits * perBatch).ToArray();
            var args = Arguments(backend.Address(a), backend.Address(b), backend.Address(workspace, 0), split, batch,
                KernelStrides.From(workspaceBatchStrides), a.DType, 1, 0);
            backend.Launch(source, kernel, shape, ref args);

            var reduce = new KernelArguments();
            reduce.Add(backend.Address(workspace, 0));
            reduce.Add(splits);
            reduce.Add(m);
            reduce.Add(n);
            reduce.Add(batchCount);
            reduce.Add(backend.Address(c));
            reduce.Add(problem.Scm);
            reduce.Add(problem.Scn);
            reduce.Add(batch.KernelShape);
            reduce.Add(batch.KernelStrides(2));
            ElementwiseOps.AddScalar(ref reduce, a.DType, alpha);
            ElementwiseOps.AddScalar(ref reduce, a.DType, beta);
            backend.Launch(KernelCatalog.Gemm, KernelName.Of("gemm_splitk_reduce", type), ElementwiseOps.Linear(backend, batchCount * perBatch), ref reduce);
        }
        finally
        {
            workspace.Release();
        }
    }

    private static KernelArguments Arguments(ulong a, ulong b, ulong c, GemmProblem problem, CoalescedLayout batch,
        KernelStrides cBatchStrides, DType dtype, double alpha, double beta)
    {
        var args = new KernelArguments();
        args.Add(a);
        args.Add(b);
        args.Add(c);
        args.Add(problem);
        args.Add(batch.KernelShape);
        args.Add(batch.KernelStrides(0));
        args.Add(batch.KernelStrides(1));
        args.Add(cBatchStrides);
        ElementwiseOps.AddScalar(ref args, dtype, alpha);
        ElementwiseOps.AddScalar(ref args, dtype, beta);
        return args;
    }

    private static long Tiles(int m, int n, int tileM, int tileN) => (long)((m + tileM - 1) / tileM) * ((n + tileN - 1) / tileN);

    // 16-byte loads of 4 consecutive elements need unit stride along the group, and every group start
    // (base + row·rowStride + batch offsets, groups starting at multiples of 4) 16-byte aligned.
    private static bool VectorLoadable(ulong address, long unitStride, long rowStride, long[] batchStrides, int elementSize)
    {
        if (unitStride != 1 || address % 16 != 0) return false;
        if (rowStride * elementSize % 16 != 0) return false;
        foreach (long stride in batchStrides)
            if (stride * elementSize % 16 != 0) return false;
        return true;
    }

    // K = 0: the product is empty, so c = beta·c (exactly 0 when beta is 0).
    private static void Scale(IKernelHost backend, BufferView c, double beta)
    {
        var layout = CoalescedLayout.Create(c.Shape, c.Strides);
        var args = new KernelArguments();
        args.Add(backend.Address(c));
        args.Add(layout.KernelStrides(0));
        args.Add(layout.KernelShape);
        args.Add(c.Count);
        ElementwiseOps.AddScalar(ref args, c.DType, beta);
        backend.Launch(KernelCatalog.Gemm, KernelName.Of("gemm_scale", KernelName.CppType(c.DType)), ElementwiseOps.Linear(backend, c.Count), ref args);
    }
}
