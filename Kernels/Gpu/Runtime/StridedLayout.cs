using System.Runtime.InteropServices;

namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>Sizes of an iteration space, passed by value to kernels (row-major, outermost first).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KernelShape
{
    /// <summary>The most dims a kernel's index arithmetic handles (after merging contiguous dims).</summary>
    public const int MaxRank = 8;

    public int Rank;
    public fixed int Size[MaxRank];

    public static KernelShape From(ReadOnlySpan<int> sizes)
    {
        if (sizes.Length > MaxRank)
            throw new NotSupportedException($"gpu: rank {sizes.Length} exceeds the kernels' limit of {MaxRank} (after merging contiguous dims)");
        var shape = new KernelShape { Rank = sizes.Length };
        for (int i = 0; i < sizes.Length; i++) shape.Size[i] = sizes[i];
        return shape;
    }
}

/// <summary>Element strides of one operand, passed by value to kernels.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KernelStrides
{
    public fixed long Value[KernelShape.MaxRank];

    public static KernelStrides From(ReadOnlySpan<long> strides)
    {
        if (strides.Length > KernelShape.MaxRank)
            throw new NotSupportedException($"gpu: rank {strides.Length} exceeds the kernels' limit of {KernelShape.MaxRank} (after merging contiguous dims)");
        var result = new KernelStrides();
        for (int i = 0; i < strides.Length; i++) result.Value[i] = strides[i];
        return result;
    }

    /// <summary>Called in kernels: the element offset of row-major position <paramref name="linear"/> in <paramref name="shape"/>.</summary>
    public readonly long OffsetOf(long linear, in KernelShape shape)
    {
        long offset = 0;
        for (int d = shape.Rank - 1; d >= 0; d--)
        {
            int size = shape.Size[d];
            long q = linear / size;
            offset += (linear - q * size) * Value[d];
            linear = q;
        }
        return offset;
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

    /// <summary>True when every operand is walked with unit stride.</summary>
    public bool AllUnitStride
    {
        get
        {
            for (int k = 0; k < Strides.Length; k++) if (!IsUnitStride(k)) return false;
            return true;
        }
    }

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
            bool mergeable = last >= 0 && (long)sizes[last] * shape[d] <= int.MaxValue;
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
        return new CoalescedLayout([.. sizes], [.. merged.Select(m => m.ToArray())], count);
    }
}

/// <summary>Grid shapes for the launchers.</summary>
internal static class Launch
{
    /// <summary>Threads per group of the one-thread-per-element kernels.</summary>
    public const int Block = 256;

    /// <summary>
    /// Groups of <see cref="Block"/> threads for <paramref name="count"/> elements, walked with a grid-stride
    /// loop: at most 32 groups per multiprocessor, which saturates a GPU and keeps the simulator's launch
    /// overhead bounded.
    /// </summary>
    public static ILGPU.KernelConfig Linear(GpuBackend backend, long count)
    {
        long groups = Math.Max(1, (count + Block - 1) / Block);
        int cap = Math.Max(1, backend.MultiprocessorCount) * 32;
        return new ILGPU.KernelConfig((int)Math.Min(groups, cap), Block);
    }
}
