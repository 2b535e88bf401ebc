namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// The same elements with another shape (one dim may be −1). A view when the strides allow it
    /// (as <c>torch.reshape</c>), otherwise a contiguous copy.
    /// </summary>
    public NDArray Reshape(params int[] shape)
    {
        int[] target = InferShape("reshape", shape);
        var strides = ViewStrides(target);
        if (strides is not null) return ViewOf(target, strides, Offset);
        return Clone().ViewOf(target, Kernels.BufferView.ContiguousStrides(target), 0);
    }

    /// <summary>Like <see cref="Reshape"/> but throws instead of copying when no view is possible.</summary>
    public NDArray View(params int[] shape)
    {
        int[] target = InferShape("view", shape);
        var strides = ViewStrides(target)
            ?? throw new InvalidOperationException($"view: shape {Shapes.Format(target)} is not compatible with the strides of {ShapeString}; use Reshape (which copies)");
        return ViewOf(target, strides, Offset);
    }

    /// <summary>All dims from <paramref name="startAxis"/> to <paramref name="endAxis"/> merged into one.</summary>
    public NDArray Flatten(int startAxis = 0, int endAxis = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = Shapes.Axis("flatten", startAxis, Rank), e = Shapes.Axis("flatten", endAxis, Rank);
        if (s > e) throw new ArgumentException($"flatten: start axis {startAxis} comes after end axis {endAxis} for shape {ShapeString}");
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(_shape[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= _shape[i];
        shape.Add(merged);
        for (int i = e + 1; i < Rank; i++) shape.Add(_shape[i]);
        return Reshape(shape.ToArray());
    }

    /// <summary>A view of the same elements with its own hold on the memory: disposing either one leaves the other usable.</summary>
    public NDArray Alias() => ViewOf((int[])_shape.Clone(), (long[])_strides.Clone(), Offset);

    /// <summary>Dims <paramref name="axis0"/> and <paramref name="axis1"/> swapped (a view).</summary>
    public NDArray Transpose(int axis0 = -2, int axis1 = -1)
    {
        if (Rank < 2 && axis0 == -2 && axis1 == -1) return ViewOf(_shape, _strides, Offset);
        int a = Shapes.Axis("transpose", axis0, Rank), b = Shapes.Axis("transpose", axis1, Rank);
        var order = Enumerable.Range(0, Rank).ToArray();
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>The transpose of a matrix (the last two dims swapped).</summary>
    public NDArray T => Transpose();

    /// <summary>Dims reordered: result dim i is this array's dim <c>order[i]</c> (a view).</summary>
    public NDArray Permute(params int[] order)
    {
        if (order.Length != Rank)
            throw new ArgumentException($"permute: order [{string.Join(", ", order)}] has {order.Length} entries for shape {ShapeString}");
        var seen = new bool[Rank];
        var shape = new int[Rank];
        var strides = new long[Rank];
        for (int i = 0; i < Rank; i++)
        {
            int axis = Shapes.Axis("permute", order[i], Rank);
            if (seen[axis]) throw new ArgumentException($"permute: axis {axis} repeated in [{string.Join(", ", order)}]");
            seen[axis] = true;
            shape[i] = _shape[axis];
            strides[i] = _strides[axis];
        }
        return ViewOf(shape, strides, Offset);
    }

    /// <summary>Removes size-1 dims (all of them, or just <paramref name="axis"/>).</summary>
    public NDArray Squeeze(int? axis = null)
    {
        if (axis is int requested)
        {
            int a = Shapes.Axis("squeeze", requested, Rank);
            if (Rank == 0) return ViewOf(_shape, _strides, Offset);
            if (_shape[a] != 1) return ViewOf(_shape, _strides, Offset);
            return ViewOf(_shape.Where((_, i) => i != a).ToArray(), _strides.Where((_, i) => i != a).ToArray(), Offset);
        }
        var keep = Enumerable.Range(0, Rank).Where(i => _shape[i] != 1).ToArray();
        return ViewOf(keep.Select(i => _shape[i]).ToArray(), keep.Select(i => _strides[i]).ToArray(), Offset);
    }

    /// <summary>Inserts a size-1 dim at <paramref name="axis"/> (−1 appends).</summary>
    public NDArray Unsqueeze(int axis)
    {
        int a = axis < 0 ? axis + Rank + 1 : axis;
        if (a < 0 || a > Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"unsqueeze: axis {axis} is out of range for shape {ShapeString}");
        var shape = _shape.ToList();
        var strides = _strides.ToList();
        shape.Insert(a, 1);
        strides.Insert(a, a < Rank ? _strides[a] * _shape[a] : 1);
        return ViewOf(shape.ToArray(), strides.ToArray(), Offset);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> without copying (size-1 dims get stride 0; −1 keeps a size).</summary>
    public NDArray Expand(params int[] shape)
    {
        if (shape.Length < Rank)
            throw new ArgumentException($"expand: cannot expand {ShapeString} to fewer dims {Shapes.Format(shape)}");
        int lead = shape.Length - Rank;
        var target = new int[shape.Length];
        var strides = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            int want = shape[i];
            if (i < lead)
            {
                if (want < 0) throw new ArgumentException($"expand: -1 is not allowed for new leading dims in {Shapes.Format(shape)}");
                target[i] = want;
                strides[i] = 0;
                continue;
            }
            int have = _shape[i - lead];
            if (want == -1) want = have;
            if (want == have) { target[i] = have; strides[i] = _strides[i - lead]; }
            else if (have == 1) { target[i] = want; strides[i] = 0; }
            else throw new ArgumentException($"expand: cannot expand {ShapeString} to {Shapes.Format(shape)} (dim {i}: {have} is not 1)");
        }
        return ViewOf(target, strides, Offset);
    }

    /// <summary>A view broadcast to <paramref name="shape"/> (the kernel-level form of <see cref="Expand"/>).</summary>
    internal Kernels.BufferView BroadcastView(int[] shape)
    {
        ThrowIfDisposed();
        if (shape.Length == Rank && shape.AsSpan().SequenceEqual(_shape)) return KernelView;
        int lead = shape.Length - Rank;
        var strides = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (i < lead) continue;
            int have = _shape[i - lead];
            if (have == shape[i]) strides[i] = _strides[i - lead];
            else if (have != 1) throw new ArgumentException($"broadcast: cannot broadcast {ShapeString} to {Shapes.Format(shape)}");
        }
        return new Kernels.BufferView(Buffer, Offset, shape, strides);
    }

    /// <summary>Elements start, start + step, … below end along <paramref name="axis"/> (a view; negative indices count from the end and are clamped like Python slices).</summary>
    public NDArray Slice(int axis, int? start = null, int? end = null, int step = 1)
    {
        int a = Shapes.Dim("slice", axis, Rank);
        if (step <= 0) throw new ArgumentException($"slice: step must be positive, got {step}");
        int n = _shape[a];
        int s = Clamp(start ?? 0, n), e = Clamp(end ?? n, n);
        int length = e > s ? (e - s + step - 1) / step : 0;
        var shape = (int[])_shape.Clone();
        var strides = (long[])_strides.Clone();
        shape[a] = length;
        strides[a] = _strides[a] * step;
        return ViewOf(shape, strides, Offset + (length > 0 ? s * _strides[a] : 0));

        static int Clamp(int i, int n) => Math.Clamp(i < 0 ? i + n : i, 0, n);
    }

    /// <summary>Elements start … start + length − 1 along <paramref name="axis"/> (a view; throws when out of range).</summary>
    public NDArray Narrow(int axis, int start, int length)
    {
        int a = Shapes.Dim("narrow", axis, Rank);
        if (start < 0 || length < 0 || start + length > _shape[a])
            throw new ArgumentOutOfRangeException(nameof(start), $"narrow: [{start}, {start + length}) is out of range for dim {a} of {ShapeString}");
        return Slice(a, start, start + length);
    }

    /// <summary>Index <paramref name="index"/> along <paramref name="axis"/>, dropping that dim (a view).</summary>
    public NDArray Select(int axis, int index)
    {
        int a = Shapes.Dim("select", axis, Rank);
        int n = _shape[a];
        int i = index < 0 ? index + n : index;
        if (i < 0 || i >= n)
            throw new IndexOutOfRangeException($"select: index {index} is out of range for dim {a} of size {n} in {ShapeString}");
        var shape = _shape.Where((_, k) => k != a).ToArray();
        var strides = _strides.Where((_, k) => k != a).ToArray();
        return ViewOf(shape, strides, Offset + i * _strides[a]);
    }

    /// <summary>Row <paramref name="index"/> of the first dim (a view).</summary>
    [System.Runtime.CompilerServices.IndexerName("Row")]
    public NDArray this[int index] => Select(0, index);

    private int[] InferShape(string op, int[] shape)
    {
        var result = (int[])shape.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"{op}: only one dim may be -1 in {Shapes.Format(shape)}");
                infer = i;
            }
            else if (result[i] < 0) throw new ArgumentException($"{op}: invalid size {result[i]} in {Shapes.Format(shape)}");
            else known *= result[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || Count % known != 0)
                throw new ArgumentException($"{op}: cannot reshape {ShapeString} ({Count} elements) to {Shapes.Format(shape)}");
            result[infer] = (int)(Count / known);
        }
        if (Shapes.Count(result) != Count)
            throw new ArgumentException($"{op}: cannot reshape {ShapeString} ({Count} elements) to {Shapes.Format(result)} ({Shapes.Count(result)} elements)");
        return result;
    }

    /// <summary>Strides that present this array's memory with <paramref name="target"/> shape, or null (PyTorch's computeStride).</summary>
    private long[]? ViewStrides(int[] target)
    {
        var result = new long[target.Length];
        if (Count == 0) return Kernels.BufferView.ContiguousStrides(target);
        int viewD = target.Length - 1;
        long chunkBase = _strides.Length > 0 ? _strides[^1] : 1;
        long tensorElems = 1, viewElems = 1;
        for (int d = Rank - 1; d >= 0; d--)
        {
            tensorElems *= _shape[d];
            if (d == 0 || (_shape[d - 1] != 1 && _strides[d - 1] != tensorElems * chunkBase))
            {
                while (viewD >= 0 && (viewElems < tensorElems || target[viewD] == 1))
                {
                    result[viewD] = viewElems * chunkBase;
                    viewElems *= target[viewD];
                    viewD--;
                }
                if (viewElems != tensorElems) return null;
                if (d > 0)
                {
                    chunkBase = _strides[d - 1];
                    tensorElems = 1;
                    viewElems = 1;
                }
            }
        }
        if (viewD != -1)
        {
            // Remaining leading size-1 dims.
            while (viewD >= 0) { result[viewD] = 1; viewD--; }
        }
        return result;
    }
}
