using ILGPU;
using ILGPU.Runtime;
using Scratch.Kernels.Gpu.Kernels;
using Scratch.Kernels.Gpu.Runtime;

namespace Scratch.Kernels.Gpu.Ops;

/// <summary>The kernel configurations of <see cref="IBackend.MatMul"/> on the GPU.</summary>
internal enum GemmTile
{
    /// <summary><see cref="GemmKernels.Tiled8x8{T}"/>: 128×128×8, 8×8 per thread, warp-tiled. Large float32 products.</summary>
    Large128x128,

    /// <summary><see cref="GemmKernels.Tiled4x4{T, TTile}"/> with <see cref="Tile64x64"/>: mid-sized products and float64.</summary>
    Square64x64,

    /// <summary><see cref="Tile32x128"/>: M ≤ 32.</summary>
    Wide32x128,

    /// <summary><see cref="Tile128x32"/>: N ≤ 32.</summary>
    Tall128x32,

    /// <summary><see cref="GemmTf32Kernels.Tf32"/>: float32 through TF32 tensor cores (AllowTf32 only).</summary>
    Tf32,
}

/// <summary>What <see cref="GemmOps.Choose"/> picked for one product: the tile and the split-K factor.</summary>
internal readonly record struct GemmPlan(GemmTile Tile, int Splits)
{
    /// <summary>Rows and columns of C one group computes.</summary>
    public (int M, int N) TileShape => Tile switch
    {
        GemmTile.Large128x128 => (128, 128),
        GemmTile.Square64x64 => (64, 64),
        GemmTile.Wide32x128 => (32, 128),
        GemmTile.Tall128x32 => (128, 32),
        GemmTile.Tf32 => (GemmTf32Kernels.TileM, GemmTf32Kernels.TileN),
        _ => (64, 64),
    };

    /// <summary>K elements each group stages per step; split chunks are multiples of it.</summary>
    public int Depth => Tile switch
    {
        GemmTile.Large128x128 => 8,
        GemmTile.Tf32 => 16,
        _ => 16,
    };
}

/// <summary>
/// Launcher of <see cref="IBackend.MatMul"/>: checks the contract, picks a plan from (M, N, K, batch, dtype,
/// AllowTf32) only, never from the device (so the simulator and every GPU pick the same kernels and round
/// alike), and launches it. Split-K writes per-split partial products to a workspace and a second kernel
/// sums them in split order: deterministic, no atomics.
/// </summary>
internal static class GemmOps
{
    /// <summary>
    /// Groups that fill a large GPU (about one per SM of an H200). A fixed number, not the device's: the plan,
    /// and so the rounding, must not depend on where it runs.
    /// </summary>
    internal const int TargetGroups = 128;

    /// <summary>Grid z limit of CUDA; members beyond it are walked by the kernels' grid-stride loop.</summary>
    private const int MaxGridZ = 65535;

    /// <summary>
    /// The plan for a product: TF32 when allowed for float32; else 128×128 tiles when M and N exceed 64 and
    /// the tiles alone make <see cref="TargetGroups"/> groups (float32; float64's 8×8 register blocks would
    /// double the registers),
    /// 32×128 when M ≤ 32, 128×32 when N ≤ 32, 64×64 otherwise. Split-K when the tiles leave most of the GPU
    /// idle and K is long: each split gets at least 256 of K.
    /// </summary>
    internal static GemmPlan Choose(int m, int n, int k, long batch, DType dtype, bool tf32)
    {
        GemmTile tile;
        if (tf32 && dtype == DType.Float32) tile = GemmTile.Tf32;
        else if (dtype == DType.Float32 && m > 64 && n > 64 && Tiles(m, n, 128, 128) * batch >= TargetGroups) tile = GemmTile.Large128x128;
        else if (m <= 32 && n > 32) tile = GemmTile.Wide32x128;
        else if (n <= 32 && m > 32) tile = GemmTile.Tall128x32;
        else tile = GemmTile.Square64x64;
        var plan = new GemmPlan(tile, 1);
        var (tm, tn) = plan.TileShape;
        long groups = Tiles(m, n, tm, tn) * batch;
        int splits = 1;
        if (groups * 4 <= TargetGroups && k >= 1024)
            splits = (int)Math.Clamp(Math.Min(k / 256, TargetGroups / groups), 1, 32);
        return plan with { Splits = splits };
    }

    public static void MatMul(GpuBackend backend, BufferView a, BufferView b, BufferView c, double alpha, double beta)
    {
        BackendContract.MatMul(a, b, c);
        int r = c.Rank;
        int m = a.Shape[r - 2], k = a.Shape[r - 1], n = b.Shape[r - 1];
        long batch = BufferView.ElementCount(c.Shape[..(r - 2)]);
        // The simulator has no tensor cores and ignores AllowTf32 (GpuBackend says so); tests force the TF32 plan there.
        var plan = Choose(m, n, k, batch, c.DType, backend.AllowTf32 && !backend.IsSimulator);
        Run(backend, a, b, c, alpha, beta, plan);
    }

    /// <summary>Runs <paramref name="plan"/> (tests call this to force every configuration on small shapes).</summary>
    internal static void Run(GpuBackend backend, BufferView a, BufferView b, BufferView c, double alpha, double beta, GemmPlan plan)
    {
        BackendContract.MatMul(a, b, c);
        if (c.DType == DType.Float32) Run<float>(backend, a, b, c, (float)alpha, (float)beta, plan);
        else Run<double>(backend, a, b, c, alpha, beta, plan);
    }

    private static void Run<T>(GpuBackend backend, BufferView a, BufferView b, BufferView c, T alpha, T beta, GemmPlan plan)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        int r = c.Rank;
        int m = a.Shape[r - 2], k = a.Shape[r - 1], n = b.Shape[r - 1];
        var batchShape = c.Shape[..(r - 2)];
        long batchCount = BufferView.ElementCount(batchShape);
        if (m == 0 || n == 0 || batchCount == 0) return;
        if (k == 0)
        {
            // The product is empty: c = beta·c (exactly 0 when beta is 0).
            var layout = CoalescedLayout.Create(c.Shape, c.Strides);
            backend.Kernels.Launch(GemmKernels.Scale, Launch.Linear(backend, c.Count), backend.From<T>(c), layout.KernelStrides(0), layout.KernelShape, c.Count, beta);
            return;
        }

        var batchLayout = CoalescedLayout.Create(batchShape, a.Strides[..(r - 2)], b.Strides[..(r - 2)], c.Strides[..(r - 2)]);
        var p = new GemmProblem
        {
            M = m, N = n, K = k,
            Sam = a.Strides[r - 2], Sak = a.Strides[r - 1],
            Sbk = b.Strides[r - 2], Sbn = b.Strides[r - 1],
            Scm = c.Strides[r - 2], Scn = c.Strides[r - 1],
            ABase = a.Offset, BBase = b.Offset, CBase = c.Offset,
            BatchCount = batchCount,
            Splits = 1,
            KChunk = k,
        };
        // Coalesced staging: consecutive threads walk the operand's unit-stride dim (k for row-major A, m for Aᵀ).
        p.AAlongK = p.Sak == 1 || (p.Sam != 1 && Math.Abs(p.Sak) <= Math.Abs(p.Sam)) ? 1 : 0;
        p.BAlongN = p.Sbn == 1 || (p.Sbk != 1 && Math.Abs(p.Sbn) <= Math.Abs(p.Sbk)) ? 1 : 0;

        int splits = plan.Splits;
        if (splits > 1)
        {
            int depth = plan.Depth;
            int chunk = (k + splits - 1) / splits;
            chunk = (chunk + depth - 1) / depth * depth;
            splits = (k + chunk - 1) / chunk;
            p.KChunk = chunk;
        }
        p.Splits = splits;

        var (tileM, tileN) = plan.TileShape;
        int gridY = (m + tileM - 1) / tileM;
        if (gridY > 65535)
            throw new NotSupportedException($"matmul: {m} rows need {gridY} row tiles, more than the grid's 65535");
        var grid = new Index3D((n + tileN - 1) / tileN, gridY, (int)Math.Min(batchCount * splits, MaxGridZ));
        var config = new KernelConfig(grid, new Index3D(GemmKernels.Threads, 1, 1));

        var sa = batchLayout.KernelStrides(0);
        var sb = batchLayout.KernelStrides(1);
        var shape = batchLayout.KernelShape;
        if (splits == 1)
        {
            LaunchTile(backend, plan.Tile, config, backend.Whole<T>(a), backend.Whole<T>(b), backend.Whole<T>(c), p, shape, sa, sb, batchLayout.KernelStrides(2), alpha, beta);
            return;
        }

        // Partials go to a contiguous workspace [batch, splits, M, N]; the reduce kernel sums them in order.
        long plane = (long)m * n;
        var workspace = backend.Workspace(c.DType, batchCount * splits * plane);
        try
        {
            var partial = p with { Scm = n, Scn = 1, CBase = 0, CSplitStride = plane };
            var workspaceStrides = KernelStrides.From(BufferView.ContiguousStrides(batchLayout.Shape).Select(s => s * splits * plane).ToArray());
            LaunchTile(backend, plan.Tile, config, backend.Whole<T>(a), backend.Whole<T>(b), workspace.View<T>(), partial, shape, sa, sb, workspaceStrides, T.One, T.Zero);
            backend.Kernels.Launch(GemmKernels.SplitKReduce, Launch.Linear(backend, batchCount * plane),
                workspace.View<T>(), backend.Whole<T>(c), p, shape, batchLayout.KernelStrides(2), alpha, beta);
        }
        finally
        {
            workspace.Release();
        }
    }

    private static void LaunchTile<T>(GpuBackend backend, GemmTile tile, KernelConfig config, ArrayView<T> a, ArrayView<T> b, ArrayView<T> c,
        GemmProblem p, KernelShape shape, KernelStrides sa, KernelStrides sb, KernelStrides sc, T alpha, T beta)
        where T : unmanaged, System.Numerics.INumber<T>
    {
        switch (tile)
        {
            case GemmTile.Large128x128:
                backend.Kernels.Launch(GemmKernels.Tiled8x8, config, a, b, c, p, shape, sa, sb, sc, alpha, beta);
                break;
            case GemmTile.Wide32x128:
                backend.Kernels.Launch(GemmKernels.Tiled4x4<T, Tile32x128>, config, a, b, c, p, shape, sa, sb, sc, alpha, beta);
                break;
            case GemmTile.Tall128x32:
                backend.Kernels.Launch(GemmKernels.Tiled4x4<T, Tile128x32>, config, a, b, c, p, shape, sa, sb, sc, alpha, beta);
                break;
            case GemmTile.Tf32:
                if (typeof(T) != typeof(float)) throw new NotSupportedException("matmul: the TF32 kernel is float32 only");
                backend.Kernels.Launch(GemmTf32Kernels.Tf32, config, (ArrayView<float>)(object)a, (ArrayView<float>)(object)b, (ArrayView<float>)(object)c,
                    p, shape, sa, sb, sc, (float)(object)alpha, (float)(object)beta);
                break;
            default:
                backend.Kernels.Launch(GemmKernels.Tiled4x4<T, Tile64x64>, config, a, b, c, p, shape, sa, sb, sc, alpha, beta);
                break;
        }
    }

    private static long Tiles(int m, int n, int tileM, int tileN) => (long)((m + tileM - 1) / tileM) * ((n + tileN - 1) / tileN);
}
