using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// <see cref="IBackend.MatMul"/> on the CPU: checks the views, walks the batch dims and hands each
/// product to <see cref="GemmDriver"/>. Small products of a large batch run one per thread; large
/// products are split across threads inside the driver.
/// </summary>
internal static unsafe class GemmKernel
{
    /// <summary>Per-matrix multiply-adds below which a batch is parallelised over its matrices.</summary>
    private const long BatchParallelThreshold = 1L << 22;

    /// <summary>c = alpha·(a @ b) + beta·c over identical batch dims, as <see cref="IBackend.MatMul"/> documents.</summary>
    public static void MatMul(BufferView a, BufferView b, BufferView c, double alpha, double beta)
    {
        BackendContract.MatMul(a, b, c);
        switch (c.DType)
        {
            case DType.Float32:
                Run(a, b, c, (float)alpha, (float)beta);
                break;
            case DType.Float64:
                Run(a, b, c, alpha, beta);
                break;
            default:
                throw new NotSupportedException($"matmul: dtype {c.DType.Name()} is not supported (float32 and float64 are)");
        }
    }

    private static void Run<T>(BufferView a, BufferView b, BufferView c, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rank = c.Rank;
        int m = a.Shape[rank - 2], k = a.Shape[rank - 1], n = b.Shape[rank - 1];
        long batch = 1;
        for (int d = 0; d < rank - 2; d++) batch *= c.Shape[d];
        if (batch == 0 || m == 0 || n == 0) return;

        fixed (T* baseA = &CpuBuffer.Of(a).Ref<T>())
        fixed (T* baseB = &CpuBuffer.Of(b).Ref<T>())
        fixed (T* baseC = &CpuBuffer.Of(c).Ref<T>())
        {
            T* pa = baseA, pb = baseB, pc = baseC;
            long rsA = a.Strides[rank - 2], csA = a.Strides[rank - 1];
            long rsB = b.Strides[rank - 2], csB = b.Strides[rank - 1];
            long rsC = c.Strides[rank - 2], csC = c.Strides[rank - 1];
            long work = (long)m * n * k;
            if (batch > 1 && work < BatchParallelThreshold)
            {
                // Many small products: one per thread, each single-threaded.
                long grain = Math.Max(1, (256 * 1024) / Math.Max(1, work));
                CpuParallel.For(batch, grain, (start, end) =>
                {
                    for (long index = start; index < end; index++)
                    {
                        GemmDriver.Gemm(m, n, k, alpha,
                            pa + BatchOffset(a, index), rsA, csA, pb + BatchOffset(b, index), rsB, csB,
                            beta, pc + BatchOffset(c, index), rsC, csC, parallel: false);
                    }
                });
                return;
            }
            for (long index = 0; index < batch; index++)
            {
                GemmDriver.Gemm(m, n, k, alpha,
                    pa + BatchOffset(a, index), rsA, csA, pb + BatchOffset(b, index), rsB, csB,
                    beta, pc + BatchOffset(c, index), rsC, csC, parallel: true);
            }
        }
    }

    /// <summary>Element offset of matrix number <paramref name="index"/> (row-major over the batch dims).</summary>
    private static long BatchOffset(BufferView view, long index)
    {
        long offset = view.Offset;
        for (int d = view.Rank - 3; d >= 0; d--)
        {
            long size = view.Shape[d];
            offset += index % size * view.Strides[d];
            index /= size;
        }
        return offset;
    }
}
