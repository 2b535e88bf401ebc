using Scratch.Kernels;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>
    /// y[…, j, …] = x[…, index[…, j, …], …] along <paramref name="axis"/>. The Int32 index has this
    /// array's shape except along <paramref name="axis"/> (stricter than PyTorch, which allows smaller dims).
    /// </summary>
    public NDArray Gather(int axis, NDArray index)
    {
        int a = CheckGather("gather", axis, index);
        var y = EmptyLike(index._shape);
        if (y.Count > 0)
            Backend.Gather(Contiguous().Reshape(Split3(_shape, a)).KernelView, index.Contiguous().Reshape(Split3(index._shape, a)).KernelView,
                y.Reshape(Split3(index._shape, a)).KernelView);
        return y;
    }

    /// <summary>A copy of this array with <paramref name="source"/> added at <paramref name="index"/> along <paramref name="axis"/> (the adjoint of <see cref="Gather"/>).</summary>
    public NDArray ScatterAdd(int axis, NDArray index, NDArray source)
    {
        int a = CheckGather("scatter_add", axis, index);
        CheckSameDType("scatter_add", this, source);
        if (!source._shape.AsSpan().SequenceEqual(index._shape))
            throw new ArgumentException($"scatter_add: source {source.ShapeString} must have the index's shape {index.ShapeString}");
        var y = Clone();
        if (source.Count > 0)
            Backend.ScatterAdd(source.Contiguous().Reshape(Split3(index._shape, a)).KernelView, index.Contiguous().Reshape(Split3(index._shape, a)).KernelView,
                y.Reshape(Split3(_shape, a)).KernelView);
        return y;
    }

    /// <summary>The entries <paramref name="index"/> (Int32, 1-D) along <paramref name="axis"/>.</summary>
    public NDArray IndexSelect(int axis, NDArray index)
    {
        int a = CheckIndexVector("index_select", axis, index);
        var shape = (int[])_shape.Clone();
        shape[a] = index._shape[0];
        var y = EmptyLike(shape);
        if (y.Count > 0)
            Backend.IndexSelect(Contiguous().Reshape(Split3(_shape, a)).KernelView, index.Contiguous().KernelView, y.Reshape(Split3(shape, a)).KernelView);
        return y;
    }

    /// <summary>A copy of this array with <paramref name="source"/> added at rows <paramref name="index"/> along <paramref name="axis"/> (the adjoint of <see cref="IndexSelect"/>).</summary>
    public NDArray IndexAdd(int axis, NDArray index, NDArray source)
    {
        int a = CheckIndexVector("index_add", axis, index);
        CheckSameDType("index_add", this, source);
        var expected = (int[])_shape.Clone();
        expected[a] = index._shape[0];
        if (!source._shape.AsSpan().SequenceEqual(expected))
            throw new ArgumentException($"index_add: source {source.ShapeString} must be {Shapes.Format(expected)} for index {index.ShapeString} into {ShapeString}");
        var y = Clone();
        if (source.Count > 0)
            Backend.IndexAdd(source.Contiguous().Reshape(Split3(expected, a)).KernelView, index.Contiguous().KernelView, y.Reshape(Split3(_shape, a)).KernelView);
        return y;
    }

    /// <summary>One-hot encoding of Int32 labels of any shape: result shape is labels' shape + [classes].</summary>
    public static NDArray OneHot(NDArray labels, int classes, DType dtype = DType.Float32)
    {
        if (labels.DType != DType.Int32) throw new ArgumentException($"one_hot: labels must be int32, got {labels.DType.Name()} {labels.ShapeString}");
        if (classes <= 0) throw new ArgumentOutOfRangeException(nameof(classes), classes, "one_hot: classes must be positive");
        var y = Empty([.. labels._shape, classes], dtype, labels.Device);
        if (y.Count > 0)
            labels.Backend.OneHot(labels.Contiguous().Reshape(-1).KernelView, y.Reshape((int)labels.Count, classes).KernelView);
        return y;
    }

    /// <summary>Joins arrays along an existing <paramref name="axis"/>.</summary>
    public static NDArray Concat(IReadOnlyList<NDArray> arrays, int axis = 0)
    {
        if (arrays.Count == 0) throw new ArgumentException("concat: needs at least one array");
        var first = arrays[0];
        int a = Shapes.Dim("concat", axis, first.Rank);
        int total = 0;
        foreach (var x in arrays)
        {
            CheckSameDevice("concat", first, x);
            CheckSameDType("concat", first, x);
            bool compatible = x.Rank == first.Rank && Enumerable.Range(0, x.Rank).All(i => i == a || x._shape[i] == first._shape[i]);
            if (!compatible)
                throw new ArgumentException($"concat: {x.ShapeString} does not match {first.ShapeString} outside axis {a}");
            total += x._shape[a];
        }
        var shape = (int[])first._shape.Clone();
        shape[a] = total;
        var y = Empty(shape, first.DType, first.Device);
        int at = 0;
        foreach (var x in arrays)
        {
            int size = x._shape[a];
            if (size > 0) y.Narrow(a, at, size).CopyFrom(x);
            at += size;
        }
        return y;
    }

    /// <summary>Joins equally shaped arrays along a new <paramref name="axis"/>.</summary>
    public static NDArray Stack(IReadOnlyList<NDArray> arrays, int axis = 0)
    {
        if (arrays.Count == 0) throw new ArgumentException("stack: needs at least one array");
        foreach (var x in arrays)
        {
            if (!x._shape.AsSpan().SequenceEqual(arrays[0]._shape))
                throw new ArgumentException($"stack: all arrays need the same shape, got {arrays[0].ShapeString} and {x.ShapeString}");
        }
        int a = axis < 0 ? axis + arrays[0].Rank + 1 : axis;
        return Concat(arrays.Select(x => x.Unsqueeze(a)).ToArray(), a);
    }

    /// <summary>Views of consecutive pieces of the given sizes along <paramref name="axis"/>.</summary>
    public NDArray[] Split(int[] sizes, int axis = 0)
    {
        int a = Shapes.Dim("split", axis, Rank);
        if (sizes.Any(s => s < 0) || sizes.Sum() != _shape[a])
            throw new ArgumentException($"split: sizes [{string.Join(", ", sizes)}] must be >= 0 and add up to {_shape[a]} (dim {a} of {ShapeString})");
        var parts = new NDArray[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            parts[i] = Narrow(a, at, sizes[i]);
            at += sizes[i];
        }
        return parts;
    }

    /// <summary>Views of pieces of <paramref name="size"/> along <paramref name="axis"/> (the last may be smaller).</summary>
    public NDArray[] Split(int size, int axis = 0)
    {
        int a = Shapes.Dim("split", axis, Rank);
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "split: size must be positive");
        var sizes = new List<int>();
        for (int at = 0; at < _shape[a]; at += size) sizes.Add(Math.Min(size, _shape[a] - at));
        return Split(sizes.ToArray(), a);
    }

    /// <summary>
    /// Constant padding in <c>torch.nn.functional.pad</c>'s order: (before, after) pairs starting from
    /// the last dim, e.g. [left, right, top, bottom] for the last two dims. Negative amounts crop.
    /// </summary>
    public NDArray Pad(int[] pads, double value = 0)
    {
        if (pads.Length % 2 != 0 || pads.Length / 2 > Rank)
            throw new ArgumentException($"pad: {pads.Length} values do not form (before, after) pairs for at most {Rank} dims of {ShapeString}");
        var shape = (int[])_shape.Clone();
        for (int k = 0; k < pads.Length / 2; k++)
        {
            int axis = Rank - 1 - k;
            shape[axis] += pads[2 * k] + pads[2 * k + 1];
            if (shape[axis] < 0) throw new ArgumentException($"pad: padding [{string.Join(", ", pads)}] makes dim {axis} of {ShapeString} negative");
        }
        var y = Full(shape, value, DType, Device);
        var target = y;
        var source = this;
        for (int k = 0; k < pads.Length / 2; k++)
        {
            int axis = Rank - 1 - k, before = pads[2 * k];
            int length = Math.Min(_shape[axis] + Math.Min(before, 0) + Math.Min(pads[2 * k + 1], 0), _shape[axis]);
            target = target.Narrow(axis, Math.Max(before, 0), Math.Max(length, 0));
            source = source.Narrow(axis, Math.Max(-before, 0), Math.Max(length, 0));
        }
        if (target.Count > 0) target.CopyFrom(source);
        return y;
    }

    private int CheckGather(string op, int axis, NDArray index)
    {
        int a = Shapes.Axis(op, axis, Rank);
        CheckSameDevice(op, this, index);
        if (index.DType != DType.Int32) throw new ArgumentException($"{op}: index must be int32, got {index.DType.Name()} {index.ShapeString}");
        bool ok = index.Rank == Rank && Enumerable.Range(0, Rank).All(i => i == a || index._shape[i] == _shape[i]);
        if (!ok) throw new ArgumentException($"{op}: index {index.ShapeString} must match {ShapeString} in every dim but {a}");
        return a;
    }

    private int CheckIndexVector(string op, int axis, NDArray index)
    {
        int a = Shapes.Axis(op, axis, Rank);
        CheckSameDevice(op, this, index);
        if (index.DType != DType.Int32 || index.Rank != 1)
            throw new ArgumentException($"{op}: index must be a 1-D int32 array, got {index.DType.Name()} {index.ShapeString}");
        return a;
    }

    /// <summary>[outer, n, inner] around <paramref name="axis"/>.</summary>
    private static int[] Split3(int[] shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return [outer, shape.Length == 0 ? 1 : shape[axis], inner];
    }
}
