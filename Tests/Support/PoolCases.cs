using Scratch.Kernels;

namespace Scratch.Tests.Support;

/// <summary>The pooling cases worth running on every pooling implementation.</summary>
internal static class PoolCases
{
    /// <summary>Input shape and parameters: plain 2×2, padded overlapping windows, padding excluded from the average, one window per plane.</summary>
    public static readonly (int[] X, Pool2dParams P)[] All =
    [
        ([2, 3, 8, 8], new Pool2dParams(2, 2, 2, 2)),
        ([2, 3, 9, 7], new Pool2dParams(3, 3, 2, 2, 1, 1)),
        ([1, 2, 9, 7], new Pool2dParams(3, 2, 1, 2, 1, 1, CountIncludePad: false)),
        ([3, 1, 5, 5], new Pool2dParams(5, 5, 1, 1)),
    ];
}
