namespace Scratch.Kernels.Cpu;

/// <summary>
/// The dims of a reduction's input, merged where the strides allow: the kept (leading) dims, over
/// which the output is contiguous, and the reduced (trailing) dims. Size-1 dims are dropped and
/// merging keeps row-major order, so flat indices over the reduced dims (ArgMax) are unchanged.
/// </summary>
internal sealed class ReductionLayout
{
    private ReductionLayout(long offset, long[] keptShape, long[] keptStrides, long[] reducedShape, long[] reducedStrides)
    {
        Offset = offset;
        KeptShape = keptShape;
        KeptStrides = keptStrides;
        ReducedShape = reducedShape;
        ReducedStrides = reducedStrides;
        OutputCount = Product(keptShape);
        ReducedCount = Product(reducedShape);
    }

    /// <summary>x's offset.</summary>
    public long Offset { get; }

    /// <summary>Merged kept dims (may be empty).</summary>
    public long[] KeptShape { get; }

    /// <summary>x's strides along <see cref="KeptShape"/>.</summary>
    public long[] KeptStrides { get; }

    /// <summary>Merged reduced dims (may be empty).</summary>
    public long[] ReducedShape { get; }

    /// <summary>x's strides along <see cref="ReducedShape"/>.</summary>
    public long[] ReducedStrides { get; }

    /// <summary>Number of outputs.</summary>
    public long OutputCount { get; }

    /// <summary>Elements reduced into each output.</summary>
    public long ReducedCount { get; }

    /// <summary>True when each output reduces one contiguous run.</summary>
    public bool ReducesContiguousRuns => ReducedShape.Length == 1 && ReducedStrides[0] == 1;

    /// <summary>Plans the reduction of the last <paramref name="reducedDims"/> dims of <paramref name="x"/>.</summary>
    public static ReductionLayout Create(BufferView x, int reducedDims)
    {
        int kept = x.Rank - reducedDims;
        var (keptShape, keptStrides) = Merge(x.Shape, x.Strides, 0, kept);
        var (reducedShape, reducedStrides) = Merge(x.Shape, x.Strides, kept, x.Rank);
        return new ReductionLayout(x.Offset, keptShape, keptStrides, reducedShape, reducedStrides);
    }

    /// <summary>Offset (from x's offset) of flat row-major index <paramref name="index"/> over dims of <paramref name="shape"/>.</summary>
    public static long OffsetOf(long index, long[] shape, long[] strides)
    {
        long offset = 0;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            offset += index % shape[d] * strides[d];
            index /= shape[d];
        }
        return offset;
    }

    private static (long[] Shape, long[] Strides) Merge(int[] shape, long[] strides, int from, int to)
    {
        var mergedShape = new List<long>();
        var mergedStrides = new List<long>();
        for (int d = from; d < to; d++)
        {
            if (shape[d] == 1) continue;
            int last = mergedShape.Count - 1;
            if (last >= 0 && mergedStrides[last] == strides[d] * shape[d])
            {
                mergedShape[last] *= shape[d];
                mergedStrides[last] = strides[d];
                continue;
            }
            mergedShape.Add(shape[d]);
            mergedStrides.Add(strides[d]);
        }
        return (mergedShape.ToArray(), mergedStrides.ToArray());
    }

    private static long Product(long[] shape)
    {
        long n = 1;
        foreach (long s in shape) n *= s;
        return n;
    }
}

/// <summary>Walks flat row-major indices over strided dims, keeping the element offset up to date.</summary>
internal ref struct OffsetCursor
{
    private readonly long[] _shape;
    private readonly long[] _strides;
    private readonly Span<long> _index;

    /// <summary>Starts at flat index <paramref name="start"/>; <paramref name="index"/> is scratch of the dims' length.</summary>
    public OffsetCursor(long[] shape, long[] strides, long start, Span<long> index)
    {
        _shape = shape;
        _strides = strides;
        _index = index;
        Offset = 0;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            _index[d] = start % shape[d];
            Offset += _index[d] * strides[d];
            start /= shape[d];
        }
    }

    /// <summary>Offset of the current element (relative to the dims' origin).</summary>
    public long Offset { get; private set; }

    /// <summary>Moves to the next flat index.</summary>
    public void Next()
    {
        for (int d = _shape.Length - 1; d >= 0; d--)
        {
            Offset += _strides[d];
            if (++_index[d] < _shape[d]) return;
            Offset -= _shape[d] * _strides[d];
            _index[d] = 0;
        }
    }
}
