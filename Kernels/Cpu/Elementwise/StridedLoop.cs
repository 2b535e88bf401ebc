namespace Scratch.Kernels.Cpu;

/// <summary>
/// The work of an elementwise kernel on one innermost run.
/// </summary>
internal interface IRunBody
{
    /// <summary>Processes <paramref name="n"/> consecutive elements; operand k starts at element
    /// <c>offsets[k]</c> of its buffer and steps by the loop's inner stride.</summary>
    void Run(ReadOnlySpan<long> offsets, long n);
}

/// <summary>
/// Iteration over views of one shape (operand 0 is the output): size-1 dims are dropped, dims are
/// ordered by the output's strides, and adjacent dims that are jointly contiguous for every operand
/// are merged, so that most calls end up as a few long runs the SIMD inner loops can take whole
/// (a contiguous tensor is one run; a bias add [N, C] + [C] is N runs of C).
/// </summary>
internal sealed class StridedLoop
{
    /// <summary>Elements below which a kernel stays on the calling thread.</summary>
    public const long ParallelGrain = 32 * 1024;

    private readonly long[] _shape;
    private readonly long[][] _strides;
    private readonly long[] _offsets;

    private StridedLoop(long[] shape, long[][] strides, long[] offsets, long count)
    {
        _shape = shape;
        _strides = strides;
        _offsets = offsets;
        Count = count;
    }

    /// <summary>Number of elements.</summary>
    public long Count { get; }

    /// <summary>Dims left after merging (at least 1).</summary>
    public int Rank => _shape.Length;

    /// <summary>Length of the innermost merged dim, the longest run.</summary>
    public long InnerSize => _shape[^1];

    /// <summary>Stride of operand <paramref name="operand"/> along the innermost run.</summary>
    public long InnerStride(int operand) => _strides[operand][^1];

    /// <summary>Size of merged dim <paramref name="dim"/>.</summary>
    public long DimSize(int dim) => _shape[dim];

    /// <summary>Stride of operand <paramref name="operand"/> along merged dim <paramref name="dim"/>.</summary>
    public long Stride(int operand, int dim) => _strides[operand][dim];

    /// <summary>Element offset of operand <paramref name="operand"/> at flat index <paramref name="index"/> over the first <paramref name="dims"/> merged dims.</summary>
    public long OffsetOf(int operand, long index, int dims)
    {
        long at = _offsets[operand];
        for (int d = dims - 1; d >= 0; d--)
        {
            at += index % _shape[d] * _strides[operand][d];
            index /= _shape[d];
        }
        return at;
    }

    /// <summary>Plans the loop over <paramref name="views"/>, which must all have the same shape; views[0] is the output.</summary>
    public static StridedLoop Create(params ReadOnlySpan<BufferView> views)
    {
        int operands = views.Length;
        var shape = views[0].Shape;
        var offsets = new long[operands];
        for (int k = 0; k < operands; k++) offsets[k] = views[k].Offset;

        // Dims that matter, outermost first, ordered by the output's stride so its writes run forward.
        var dims = new List<int>(shape.Length);
        for (int d = 0; d < shape.Length; d++)
            if (shape[d] != 1) dims.Add(d);
        var outStrides = views[0].Strides;
        for (int i = 1; i < dims.Count; i++)
        {
            // Insertion sort: stable, and already sorted in the usual contiguous case.
            int d = dims[i];
            int j = i - 1;
            while (j >= 0 && Math.Abs(outStrides[dims[j]]) < Math.Abs(outStrides[d])) { dims[j + 1] = dims[j]; j--; }
            dims[j + 1] = d;
        }

        // Merge from the innermost dim outwards.
        var mergedShape = new List<long>();
        var mergedStrides = new List<long[]>();
        for (int i = dims.Count - 1; i >= 0; i--)
        {
            int d = dims[i];
            int last = mergedShape.Count - 1;
            bool merge = last >= 0;
            for (int k = 0; k < operands && merge; k++)
                merge = views[k].Strides[d] == mergedStrides[last][k] * mergedShape[last];
            if (merge)
            {
                mergedShape[last] *= shape[d];
                continue;
            }
            var s = new long[operands];
            for (int k = 0; k < operands; k++) s[k] = views[k].Strides[d];
            mergedShape.Add(shape[d]);
            mergedStrides.Add(s);
        }
        if (mergedShape.Count == 0)
        {
            mergedShape.Add(1);
            mergedStrides.Add(new long[operands]);
        }

        int rank = mergedShape.Count;
        var finalShape = new long[rank];
        var strides = new long[operands][];
        for (int k = 0; k < operands; k++) strides[k] = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            // The lists run innermost-first; the layout is outermost-first.
            finalShape[rank - 1 - i] = mergedShape[i];
            for (int k = 0; k < operands; k++) strides[k][rank - 1 - i] = mergedStrides[i][k];
        }
        return new StridedLoop(finalShape, strides, offsets, BufferView.ElementCount(shape));
    }

    /// <summary>
    /// Runs <paramref name="body"/> over every element, in parallel chunks of at least
    /// <paramref name="grain"/> elements when there are more than that.
    /// </summary>
    public void Run<TBody>(TBody body, long grain = ParallelGrain) where TBody : struct, IRunBody
    {
        if (Count <= grain || CpuParallel.ThreadCount == 1)
        {
            RunRange(0, Count, ref body);
            return;
        }
        CpuParallel.ForBalanced(Count, grain, (start, end) =>
        {
            var local = body;
            RunRange(start, end, ref local);
        });
    }

    /// <summary>Calls <paramref name="body"/> for the runs covering flat (row-major) elements [start, end).</summary>
    public void RunRange<TBody>(long start, long end, ref TBody body) where TBody : struct, IRunBody
    {
        if (start >= end) return;
        int rank = _shape.Length;
        int operands = _offsets.Length;
        Span<long> index = stackalloc long[rank];
        Span<long> offsets = stackalloc long[operands];

        long rest = start;
        for (int d = rank - 1; d >= 0; d--)
        {
            index[d] = rest % _shape[d];
            rest /= _shape[d];
        }
        for (int k = 0; k < operands; k++)
        {
            long at = _offsets[k];
            for (int d = 0; d < rank; d++) at += index[d] * _strides[k][d];
            offsets[k] = at;
        }

        long inner = _shape[rank - 1];
        long position = start;
        while (position < end)
        {
            long n = Math.Min(inner - index[rank - 1], end - position);
            body.Run(offsets, n);
            position += n;
            if (position >= end) break;

            // Step to the start of the next run, carrying into the outer dims.
            index[rank - 1] += n;
            for (int k = 0; k < operands; k++) offsets[k] += n * _strides[k][rank - 1];
            for (int d = rank - 1; d > 0 && index[d] == _shape[d]; d--)
            {
                index[d] = 0;
                index[d - 1]++;
                for (int k = 0; k < operands; k++)
                    offsets[k] += _strides[k][d - 1] - _shape[d] * _strides[k][d];
            }
        }
    }
}
