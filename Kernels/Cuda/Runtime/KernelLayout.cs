using System.Runtime.InteropServices;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>The maximum rank a kernel's index arithmetic handles (SCRATCH_MAX_RANK in common.cuh).</summary>
internal static class KernelLimits
{
    public const int MaxRank = 8;
}

/// <summary>Sizes of an iteration space, passed by value to kernels (struct Shape in common.cuh: int rank; int size[8]).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KernelShape
{
    public int Rank;
    public fixed int Size[KernelLimits.MaxRank];

    public static KernelShape From(ReadOnlySpan<int> sizes)
    {
        if (sizes.Length > KernelLimits.MaxRank)
            throw new NotSupportedException($"cuda: rank {sizes.Length} exceeds the kernels' limit of {KernelLimits.MaxRank} (after merging contiguous dims)");
        var shape = new KernelShape { Rank = sizes.Length };
        for (int i = 0; i < sizes.Length; i++) shape.Size[i] = sizes[i];
        return shape;
    }
}

/// <summary>Element strides of one operand, passed by value to kernels (struct Strides in common.cuh: long long s[8]).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KernelStrides
{
    public fixed long Value[KernelLimits.MaxRank];

    public static KernelStrides From(ReadOnlySpan<long> strides)
    {
        if (strides.Length > KernelLimits.MaxRank)
            throw new NotSupportedException($"cuda: rank {strides.Length} exceeds the kernels' limit of {KernelLimits.MaxRank} (after merging contiguous dims)");
        var result = new KernelStrides();
        for (int i = 0; i < strides.Length; i++) result.Value[i] = strides[i];
        return result;
    }
}

/// <summary>
/// A shape with the strides of several operands, simplified for kernels: size-1 dims dropped and
/// neighbouring dims merged wherever every operand steps through them as one (so a contiguous view of
/// any rank becomes rank 1). The row-major order of elements is unchanged.
/// </summary>
internal sealed class CoalescedLayout
{
    private CoalescedLayout(int[] shape, long[][] strides, long count)
    {
        Shape = shape;
        Strides = strides;
        Count = count;
    }

    /// <summary>The merged sizes, outermost first (at least one dim).</summary>
    public int[] Shape { get; }

    /// <summary>Per operand, the merged strides.</summary>
    public long[][] Strides { get; }

    /// <summary>Number of elements.</summary>
    public long Count { get; }

    /// <summary>Rank after merging.</summary>
    public int Rank => Shape.Length;

    /// <summary>True when operand <paramref name="k"/> is walked with unit stride (contiguous).</summary>
    public bool IsUnitStride(int k) => Rank == 1 && (Strides[k][0] == 1 || Count <= 1);

    /// <summary>True when operand <paramref name="k"/> repeats one element (stride 0 everywhere).</summary>
    public bool IsBroadcastScalar(int k) => Strides[k].All(s => s == 0) || Count <= 1;

    /// <summary>True when 32-bit index arithmetic suffices.</summary>
    public bool FitsUInt32 => Count <= uint.MaxValue;

    public KernelShape KernelShape => KernelShape.From(Shape);

    public KernelStrides KernelStrides(int k) => Runtime.KernelStrides.From(Strides[k]);

    /// <summary>Merges <paramref name="shape"/> with the strides of each operand.</summary>
    public static CoalescedLayout Create(int[] shape, params long[][] strides)
    {
        long count = 1;
        foreach (int s in shape) count *= s;
        var sizes = new List<int>(shape.Length);
        var merged = strides.Select(_ => new List<long>(shape.Length)).ToArray();
        // Walk from the innermost dim outwards, extending the current dim while every operand allows.
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] == 1) continue;
            int last = sizes.Count - 1;
            bool mergeable = last >= 0;
            for (int k = 0; k < strides.Length && mergeable; k++)
                mergeable = strides[k][d] == merged[k][last] * sizes[last];
            if (mergeable)
            {
                sizes[last] *= shape[d];
                continue;
            }
            sizes.Add(shape[d]);
            for (int k = 0; k < strides.Length; k++) merged[k].Add(strides[k][d]);
        }
        if (sizes.Count == 0)
        {
            sizes.Add(1);
            foreach (var m in merged) m.Add(0);
        }
        sizes.Reverse();
        foreach (var m in merged) m.Reverse();
        // A merged size can overflow int only when the view itself has more than int.MaxValue elements in one run.
        return new CoalescedLayout([.. sizes], [.. merged.Select(m => m.ToArray())], count);
    }
}
