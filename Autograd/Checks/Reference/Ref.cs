namespace Scratch.Checks.Reference;

/// <summary>
/// A naive float64 reference array: a shape and its values in row-major order. Every operation is
/// written as plain loops over multi-indices, independent of the code under test, so the op
/// registry's forward values can be checked against it.
/// </summary>
public sealed class Ref
{
    /// <summary>An array of <paramref name="shape"/> holding <paramref name="data"/> (row-major).</summary>
    public Ref(int[] shape, double[] data)
    {
        if (Product(shape) != data.Length)
            throw new ArgumentException($"ref: {data.Length} values for shape [{string.Join(", ", shape)}]");
        Shape = shape;
        Data = data;
    }

    /// <summary>Size of each dim.</summary>
    public int[] Shape { get; }

    /// <summary>Values in row-major order.</summary>
    public double[] Data { get; }

    /// <summary>Number of dims.</summary>
    public int Rank => Shape.Length;

    /// <summary>A 0-d array.</summary>
    public static Ref Scalar(double value) => new([], [value]);

    /// <summary>An array of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Ref Full(int[] shape, double value) => new(shape, Enumerable.Repeat(value, Product(shape)).ToArray());

    /// <summary>Product of the sizes.</summary>
    public static int Product(IEnumerable<int> shape) => shape.Aggregate(1, (n, s) => n * s);

    /// <summary>Every multi-index of <paramref name="shape"/> in row-major order (a fresh array each).</summary>
    public static IEnumerable<int[]> Indices(int[] shape)
    {
        int count = Product(shape);
        var index = new int[shape.Length];
        for (int k = 0; k < count; k++)
        {
            yield return (int[])index.Clone();
            for (int d = shape.Length - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
    }

    /// <summary>Position of a multi-index in <see cref="Data"/>.</summary>
    public int Flat(int[] index)
    {
        int flat = 0;
        for (int d = 0; d < Rank; d++)
        {
            if (index[d] < 0 || index[d] >= Shape[d]) throw new IndexOutOfRangeException($"ref: index {index[d]} in dim {d} of [{string.Join(", ", Shape)}]");
            flat = flat * Shape[d] + index[d];
        }
        return flat;
    }

    /// <summary>The element at a multi-index.</summary>
    public double this[params int[] index]
    {
        get => Data[Flat(index)];
        set => Data[Flat(index)] = value;
    }

    /// <summary>f applied to each element.</summary>
    public Ref Map(Func<double, double> f) => new(Shape, Data.Select(f).ToArray());

    /// <summary>NumPy broadcasting of two shapes.</summary>
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1) throw new ArgumentException("ref: shapes do not broadcast");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>This array repeated to <paramref name="shape"/> (NumPy broadcasting).</summary>
    public Ref BroadcastTo(int[] shape)
    {
        int lead = shape.Length - Rank;
        var result = new double[Product(shape)];
        int k = 0;
        foreach (var index in Indices(shape))
        {
            var source = new int[Rank];
            for (int d = 0; d < Rank; d++) source[d] = Shape[d] == 1 ? 0 : index[d + lead];
            result[k++] = this[source];
        }
        return new Ref(shape, result);
    }

    /// <summary>f(a, b) elementwise with broadcasting.</summary>
    public static Ref Zip(Ref a, Ref b, Func<double, double, double> f)
    {
        var shape = BroadcastShape(a.Shape, b.Shape);
        var x = a.BroadcastTo(shape).Data;
        var y = b.BroadcastTo(shape).Data;
        return new Ref(shape, x.Select((v, i) => f(v, y[i])).ToArray());
    }

    /// <summary>condition ≠ 0 ? a : b with broadcasting of all three.</summary>
    public static Ref Where(Ref condition, Ref a, Ref b)
    {
        var shape = BroadcastShape(BroadcastShape(condition.Shape, a.Shape), b.Shape);
        var c = condition.BroadcastTo(shape).Data;
        var x = a.BroadcastTo(shape).Data;
        var y = b.BroadcastTo(shape).Data;
        return new Ref(shape, c.Select((v, i) => v != 0 ? x[i] : y[i]).ToArray());
    }

    /// <summary>Reduces over <paramref name="axes"/> (null = all) with <paramref name="f"/> of the reduced values.</summary>
    public Ref Reduce(int[]? axes, bool keepDim, Func<double[], double> f)
    {
        var reduced = (axes ?? Enumerable.Range(0, Rank).ToArray()).Select(a => a < 0 ? a + Rank : a).ToHashSet();
        var keptShape = Shape.Select((s, d) => reduced.Contains(d) ? 1 : s).ToArray();
        var groups = new List<double>[Product(keptShape)];
        for (int i = 0; i < groups.Length; i++) groups[i] = [];
        var keptRef = new Ref(keptShape, new double[groups.Length]);
        foreach (var index in Indices(Shape))
        {
            var kept = index.Select((v, d) => reduced.Contains(d) ? 0 : v).ToArray();
            groups[keptRef.Flat(kept)].Add(this[index]);
        }
        var values = groups.Select(g => f(g.ToArray())).ToArray();
        var shape = keepDim ? keptShape : Shape.Where((_, d) => !reduced.Contains(d)).ToArray();
        return new Ref(shape, values);
    }

    /// <summary>Dims reordered: result dim i is this array's dim order[i].</summary>
    public Ref Permute(params int[] order)
    {
        var shape = order.Select(o => Shape[o]).ToArray();
        var result = new double[Data.Length];
        int k = 0;
        foreach (var index in Indices(shape))
        {
            var source = new int[Rank];
            for (int i = 0; i < Rank; i++) source[order[i]] = index[i];
            result[k++] = this[source];
        }
        return new Ref(shape, result);
    }

    /// <summary>Dims a and b swapped.</summary>
    public Ref Transpose(int a = -2, int b = -1)
    {
        a = a < 0 ? a + Rank : a;
        b = b < 0 ? b + Rank : b;
        var order = Enumerable.Range(0, Rank).ToArray();
        (order[a], order[b]) = (order[b], order[a]);
        return Permute(order);
    }

    /// <summary>The same row-major values with another shape.</summary>
    public Ref Reshape(params int[] shape) => new(shape, (double[])Data.Clone());

    /// <summary>Indices start, start + step, … below end along <paramref name="axis"/> (non-negative, in range).</summary>
    public Ref Slice(int axis, int start, int end, int step = 1)
    {
        axis = axis < 0 ? axis + Rank : axis;
        var picks = new List<int>();
        for (int i = start; i < end; i += step) picks.Add(i);
        return Pick(axis, picks.ToArray());
    }

    /// <summary>The entries <paramref name="picks"/> along <paramref name="axis"/>, in that order.</summary>
    public Ref Pick(int axis, int[] picks)
    {
        var shape = (int[])Shape.Clone();
        shape[axis] = picks.Length;
        var result = new double[Product(shape)];
        int k = 0;
        foreach (var index in Indices(shape))
        {
            var source = (int[])index.Clone();
            source[axis] = picks[index[axis]];
            result[k++] = this[source];
        }
        return new Ref(shape, result);
    }

    /// <summary>Entry <paramref name="index"/> (non-negative) along <paramref name="axis"/>, the dim removed.</summary>
    public Ref Select(int axis, int index)
    {
        axis = axis < 0 ? axis + Rank : axis;
        var picked = Pick(axis, [index]);
        return picked.Reshape(Shape.Where((_, d) => d != axis).ToArray());
    }

    /// <summary>Arrays joined along an existing axis.</summary>
    public static Ref Concat(Ref[] parts, int axis)
    {
        int rank = parts[0].Rank;
        axis = axis < 0 ? axis + rank : axis;
        var shape = (int[])parts[0].Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        var result = new Ref(shape, new double[Product(shape)]);
        foreach (var index in Indices(shape))
        {
            int at = index[axis], part = 0;
            while (at >= parts[part].Shape[axis]) at -= parts[part++].Shape[axis];
            var source = (int[])index.Clone();
            source[axis] = at;
            result[index] = parts[part][source];
        }
        return result;
    }

    /// <summary>Constant padding with (before, after) pairs from the last dim; negative amounts crop.</summary>
    public Ref Pad(int[] pads, double value)
    {
        var before = new int[Rank];
        var shape = (int[])Shape.Clone();
        for (int k = 0; k < pads.Length / 2; k++)
        {
            int axis = Rank - 1 - k;
            before[axis] = pads[2 * k];
            shape[axis] += pads[2 * k] + pads[2 * k + 1];
        }
        var result = Full(shape, value);
        foreach (var index in Indices(shape))
        {
            var source = index.Select((v, d) => v - before[d]).ToArray();
            if (source.Select((v, d) => v >= 0 && v < Shape[d]).All(ok => ok)) result[index] = this[source];
        }
        return result;
    }
}
