using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// gw = Σₙ gy[n] · im2col(x[n])ᵀ for each group. The batch is cut into at most <see cref="MaxChunks"/>
/// chunks whose boundaries depend only on the batch size; each chunk sums its images in order into a
/// private partial, and the partials are added in chunk order. The bits therefore do not depend on
/// how many threads ran the chunks.
/// </summary>
internal static unsafe class ConvWeightGradient
{
    private const int MaxChunks = 16;

    /// <summary>Writes gw [O, C/groups, KH, KW] from x and gy.</summary>
    public static void Run<T>(BufferView x, BufferView gy, BufferView gw, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, og = g.GroupOutputs;
        long weightCount = (long)g.Outputs * rows;
        fixed (T* px = &CpuBuffer.Of(x).Ref<T>())
        fixed (T* pgy = &CpuBuffer.Of(gy).Ref<T>())
        fixed (T* pgw = &CpuBuffer.Of(gw).Ref<T>())
        {
            T* xBase = px + x.Offset, gyBase = pgy + gy.Offset, gwBase = pgw + gw.Offset;
            if (g.Batch == 0)
            {
                new Span<T>(gwBase, (int)weightCount).Clear();
                return;
            }
            int perChunk = (g.Batch + MaxChunks - 1) / MaxChunks;
            int chunks = (g.Batch + perChunk - 1) / perChunk;
            bool transposed = PreferTransposed<T>(og, rows);
            using var partialScratch = new PinnedScratch<T>(chunks * weightCount);
            T* partials = partialScratch.Pointer;

            int threads = CpuParallel.ThreadCount;
            if (chunks >= threads && threads > 1)
            {
                CpuParallel.For(chunks, 1, (start, end) =>
                {
                    for (long chunk = start; chunk < end; chunk++)
                        AccumulateChunk(xBase, gyBase, partials + chunk * weightCount, g, (int)chunk * perChunk, perChunk, transposed, false);
                });
            }
            else
            {
                for (int chunk = 0; chunk < chunks; chunk++)
                    AccumulateChunk(xBase, gyBase, partials + chunk * weightCount, g, chunk * perChunk, perChunk, transposed, true);
            }
            Combine(partials, chunks, weightCount, gwBase, g, transposed);
        }
    }

    /// <summary>
    /// The GEMM per image is [og × plane]·[plane × rows]; the micro-kernel pads rows of C to MR and
    /// columns to NR. Computing the transpose [rows × og] wastes less when og is small (a first layer
    /// with 9 columns would fill only 9 of 32 lanes).
    /// </summary>
    private static bool PreferTransposed<T>(int og, int rows) where T : unmanaged
    {
        var blocking = GemmBlocking.For<T>();
        double direct = Fill(og, blocking.MR) * Fill(rows, blocking.NR);
        double transposed = Fill(rows, blocking.MR) * Fill(og, blocking.NR);
        return transposed > direct;

        static double Fill(int size, int tile) => (double)size / ((size + tile - 1) / tile * tile);
    }

    /// <summary>partial = Σ over images [first, first + count) of this chunk, in image order.</summary>
    private static void AccumulateChunk<T>(T* x, T* gy, T* partial, in ConvGeometry g, int first, int count, bool transposed, bool gemmParallel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, plane = g.OutputPlane, og = g.GroupOutputs;
        int end = Math.Min(g.Batch, first + count);
        using var scratch = new PinnedScratch<T>(g.IsPointwise ? 0 : (long)rows * plane);
        for (int image = first; image < end; image++)
        {
            T beta = image == first ? T.Zero : T.One;
            for (int group = 0; group < g.P.Groups; group++)
            {
                T* input = x + ((long)image * g.Channels + (long)group * g.GroupChannels) * g.InputPlane;
                T* gradOut = gy + ((long)image * g.Outputs + (long)group * og) * plane;
                T* target = partial + (long)group * og * rows;
                T* col = input;
                if (!g.IsPointwise)
                {
                    col = scratch.Pointer;
                    Im2Col.Unfold(input, col, g);
                }
                if (transposed)
                {
                    // [rows × og] += col · gyᵀ
                    GemmDriver.Gemm(rows, og, plane, T.One, col, plane, 1, gradOut, 1, plane, beta, target, og, 1, gemmParallel);
                }
                else
                {
                    // [og × rows] += gy · colᵀ
                    GemmDriver.Gemm(og, rows, plane, T.One, gradOut, plane, 1, col, 1, plane, beta, target, rows, 1, gemmParallel);
                }
            }
        }
    }

    /// <summary>gw = Σ partials in chunk order, undoing the transposed layout per group when used.</summary>
    private static void Combine<T>(T* partials, int chunks, long weightCount, T* gw, in ConvGeometry g, bool transposed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = g.ColumnRows, og = g.GroupOutputs;
        for (int group = 0; group < g.P.Groups; group++)
        {
            long groupStart = (long)group * og * rows;
            for (int o = 0; o < og; o++)
            {
                T* target = gw + groupStart + (long)o * rows;
                for (int r = 0; r < rows; r++)
                {
                    long at = groupStart + (transposed ? (long)r * og + o : (long)o * rows + r);
                    T sum = partials[at];
                    for (int chunk = 1; chunk < chunks; chunk++) sum += partials[chunk * weightCount + at];
                    target[r] = sum;
                }
            }
        }
    }
}
