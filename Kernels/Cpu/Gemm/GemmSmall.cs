using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>
/// The direct path for products too small to repay packing (a few thousand multiply-adds): one dot
/// product per element of C, any strides.
/// </summary>
internal static unsafe class GemmSmall
{
    /// <summary>Below this many multiply-adds (M·N·K) the direct path is used.</summary>
    public const long Threshold = 32 * 1024;

    /// <summary>C = alpha·A·B + beta·C for an M × K A and a K × N B at the given strides.</summary>
    public static void Run<T>(int m, int n, int k, T alpha,
        T* a, long rowStrideA, long colStrideA, T* b, long rowStrideB, long colStrideB,
        T beta, T* c, long rowStrideC, long colStrideC)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool betaIsZero = beta == T.Zero;
        for (int i = 0; i < m; i++)
        {
            T* rowA = a + i * rowStrideA;
            for (int j = 0; j < n; j++)
            {
                T* columnB = b + j * colStrideB;
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                    sum = T.FusedMultiplyAdd(rowA[p * colStrideA], columnB[p * rowStrideB], sum);
                ref T element = ref c[i * rowStrideC + j * colStrideC];
                element = betaIsZero ? alpha * sum : T.FusedMultiplyAdd(element, beta, alpha * sum);
            }
        }
    }
}
