using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The blocked, packed GEMM on raw pointers: C = alpha·A·B + beta·C for an M × K A and a K × N B at any
/// row/column strides. Used by <see cref="GemmKernel"/> and directly by convolution (no views needed).
/// </summary>
/// <remarks>
/// Results depend only on the sizes (the k blocking), never on the thread count: every element of C is
/// accumulated by one micro-kernel in the same k order however the work is split.
/// </remarks>
internal static unsafe class GemmDriver
{
    /// <summary>
    /// C = alpha·A·B + beta·C. With beta = 0, C's old contents are ignored. When <paramref name="parallel"/>
    /// is false the call stays on the calling thread (for callers that parallelise around it).
    /// </summary>
    public static void Gemm<T>(int m, int n, int k, T alpha,
        T* a, long rowStrideA, long colStrideA, T* b, long rowStrideB, long colStrideB,
        T beta, T* c, long rowStrideC, long colStrideC, bool parallel = true)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            ScaleC(m, n, beta, c, rowStrideC, colStrideC);
            return;
        }
        if ((long)m * n * k < GemmSmall.Threshold)
        {
            GemmSmall.Run(m, n, k, alpha, a, rowStrideA, colStrideA, b, rowStrideB, colStrideB, beta, c, rowStrideC, colStrideC);
            return;
        }
        var problem = new Problem<T>(m, n, k, alpha, a, rowStrideA, colStrideA, b, rowStrideB, colStrideB, beta, c, rowStrideC, colStrideC);
        RunPacked(problem, GemmBlocking.For<T>(), parallel ? CpuParallel.ThreadCount : 1);
    }

    /// <summary>The operands of one product, so they travel into parallel bodies as one value.</summary>
    private readonly struct Problem<T>(int m, int n, int k, T alpha,
        T* a, long rowStrideA, long colStrideA, T* b, long rowStrideB, long colStrideB,
        T beta, T* c, long rowStrideC, long colStrideC) where T : unmanaged
    {
        public readonly int M = m, N = n, K = k;
        public readonly T Alpha = alpha, Beta = beta;
        public readonly T* A = a, B = b, C = c;
        public readonly long RowStrideA = rowStrideA, ColStrideA = colStrideA;
        public readonly long RowStrideB = rowStrideB, ColStrideB = colStrideB;
        public readonly long RowStrideC = rowStrideC, ColStrideC = colStrideC;
    }

    /// <summary>How the columns and rows of one A block are cut into independent work items.</summary>
    private readonly record struct Split(int ColumnBlock, int ColumnBlocks, int PanelsPerChunk, int RowChunks);

    private static void RunPacked<T>(Problem<T> problem, GemmBlocking blocking, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = blocking.MR, nr = blocking.NR;

        // Equal k blocks: a short last block would cost a full pass over C for little work.
        int kBlocks = CeilDiv(problem.K, blocking.KC);
        int kcMax = CeilDiv(problem.K, kBlocks);

        // A multiple of the thread count of column blocks when N allows it, so no thread idles at the
        // end of a k block; when N is too narrow, rows are split further below.
        int columnBlocks = Math.Min(RoundUp(CeilDiv(problem.N, blocking.NC), threads), CeilDiv(problem.N, nr));
        int columnBlock = RoundUp(CeilDiv(problem.N, columnBlocks), nr);
        columnBlocks = CeilDiv(problem.N, columnBlock);

        int mcMax = Math.Min(blocking.MC, RoundUp(problem.M, mr));
        using var aPack = new PinnedScratch<T>((long)mcMax * kcMax);
        T* aPacked = aPack.Pointer;

        for (int m0 = 0; m0 < problem.M; m0 += blocking.MC)
        {
            int mc = Math.Min(blocking.MC, problem.M - m0);
            int panels = CeilDiv(mc, mr);
            int rowChunks = columnBlocks >= threads ? 1 : Math.Min(panels, CeilDiv(threads, columnBlocks));
            int panelsPerChunk = CeilDiv(panels, rowChunks);
            var split = new Split(columnBlock, columnBlocks, panelsPerChunk, CeilDiv(panels, panelsPerChunk));

            for (int kb = 0; kb < kBlocks; kb++)
            {
                int p0 = kb * kcMax;
                int kc = Math.Min(kcMax, problem.K - p0);
                T beta = kb == 0 ? problem.Beta : T.One;
                PackABlock(problem, blocking, m0, mc, p0, kc, aPacked, threads);

                int items = split.ColumnBlocks * split.RowChunks;
                if (threads == 1 || items == 1)
                {
                    for (int item = 0; item < items; item++)
                        ComputeItem(problem, blocking, split, item, aPacked, m0, mc, p0, kc, beta);
                }
                else
                {
                    CpuParallel.For(items, 1, (start, end) =>
                    {
                        for (long item = start; item < end; item++)
                            ComputeItem(problem, blocking, split, (int)item, aPacked, m0, mc, p0, kc, beta);
                    });
                }
            }
        }
    }

    /// <summary>Packs rows [m0, m0 + mc) × depth [p0, p0 + kc) of A into MR-row slivers.</summary>
    private static void PackABlock<T>(Problem<T> problem, GemmBlocking blocking, int m0, int mc, int p0, int kc, T* packed, int threads)
        where T : unmanaged
    {
        int mr = blocking.MR;
        int panels = CeilDiv(mc, mr);
        T* origin = problem.A + m0 * problem.RowStrideA + p0 * problem.ColStrideA;
        long rowStride = problem.RowStrideA, colStride = problem.ColStrideA;
        if (threads == 1 || (long)mc * kc < 64 * 1024)
        {
            for (int ip = 0; ip < panels; ip++)
                PackAPanel(origin, rowStride, colStride, ip, mc, kc, mr, packed);
            return;
        }
        CpuParallel.For(panels, CeilDiv(panels, 2 * threads), (start, end) =>
        {
            for (long ip = start; ip < end; ip++)
                PackAPanel(origin, rowStride, colStride, (int)ip, mc, kc, mr, packed);
        });
    }

    private static void PackAPanel<T>(T* origin, long rowStride, long colStride, int panel, int mc, int kc, int mr, T* packed)
        where T : unmanaged
    {
        int i0 = panel * mr;
        GemmPacking.PackA(origin + i0 * rowStride, rowStride, colStride, Math.Min(mr, mc - i0), kc, mr, packed + (long)i0 * kc);
    }

    /// <summary>One work item: packs its block of B, then runs the micro-kernel over its rows × columns.</summary>
    private static void ComputeItem<T>(Problem<T> problem, GemmBlocking blocking, Split split, int item,
        T* aPacked, int m0, int mc, int p0, int kc, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int mr = blocking.MR, nr = blocking.NR;
        int n0 = item % split.ColumnBlocks * split.ColumnBlock;
        int nc = Math.Min(split.ColumnBlock, problem.N - n0);
        int columnPanels = CeilDiv(nc, nr);
        int rowPanels = CeilDiv(mc, mr);
        int firstPanel = item / split.ColumnBlocks * split.PanelsPerChunk;
        int endPanel = Math.Min(rowPanels, firstPanel + split.PanelsPerChunk);

        using var bPack = new PinnedScratch<T>((long)columnPanels * nr * kc);
        T* bPacked = bPack.Pointer;
        T* bOrigin = problem.B + p0 * problem.RowStrideB + n0 * problem.ColStrideB;
        for (int jp = 0; jp < columnPanels; jp++)
        {
            GemmPacking.PackB(bOrigin + jp * nr * problem.ColStrideB, problem.RowStrideB, problem.ColStrideB,
                Math.Min(nr, nc - jp * nr), kc, nr, bPacked + (long)jp * nr * kc);
        }

        long rowStrideC = problem.RowStrideC, colStrideC = problem.ColStrideC;
        for (int ip = firstPanel; ip < endPanel; ip++)
        {
            T* aSliver = aPacked + (long)ip * mr * kc;
            int rows = Math.Min(mr, mc - ip * mr);
            T* cRow = problem.C + (m0 + ip * mr) * rowStrideC + n0 * colStrideC;
            for (int jp = 0; jp < columnPanels; jp++)
            {
                T* bSliver = bPacked + (long)jp * nr * kc;
                T* cTile = cRow + jp * nr * colStrideC;
                int cols = Math.Min(nr, nc - jp * nr);
                if (blocking.Vector512)
                    MicroKernel512.Run(kc, aSliver, bSliver, cTile, rowStrideC, colStrideC, rows, cols, problem.Alpha, beta);
                else
                    MicroKernel256.Run(kc, aSliver, bSliver, cTile, rowStrideC, colStrideC, rows, cols, problem.Alpha, beta);
            }
        }
    }

    /// <summary>C = beta·C (an empty product); beta = 0 writes zeros without reading C.</summary>
    private static void ScaleC<T>(int m, int n, T beta, T* c, long rowStride, long colStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool betaIsZero = beta == T.Zero;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                ref T element = ref c[i * rowStride + j * colStride];
                element = betaIsZero ? T.Zero : beta * element;
            }
        }
    }

    private static int CeilDiv(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => CeilDiv(value, multiple) * multiple;
}
