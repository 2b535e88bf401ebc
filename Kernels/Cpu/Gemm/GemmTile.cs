using System.Numerics;

namespace Scratch.Kernels.Cpu;

/// <summary>Writes a micro-kernel tile that does not fit C's edge or layout, element by element.</summary>
internal static unsafe class GemmTile
{
    /// <summary>
    /// C[i, j] = tile[i, j] + beta·C[i, j] for i &lt; <paramref name="rows"/>, j &lt; <paramref name="cols"/>,
    /// where the tile already holds alpha·AB. With beta = 0, C's old contents are not read, so NaN or
    /// garbage there does not propagate. Uses the same fused multiply-add as the vector store.
    /// </summary>
    public static void Scatter<T>(T* tile, int tileStride, T* c, long rowStride, long colStride, int rows, int cols, T beta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool betaIsZero = beta == T.Zero;
        for (int i = 0; i < rows; i++)
        {
            T* source = tile + i * tileStride;
            T* target = c + i * rowStride;
            for (int j = 0; j < cols; j++)
            {
                ref T element = ref target[j * colStride];
                element = betaIsZero ? source[j] : T.FusedMultiplyAdd(element, beta, source[j]);
            }
        }
    }
}
