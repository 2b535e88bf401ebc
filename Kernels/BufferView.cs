namespace Scratch.Kernels;

/// <summary>
/// An n-dimensional strided window onto a <see cref="DeviceBuffer"/>: element
/// <c>(i0, i1, …)</c> lives at <c>Offset + Σ ik * Strides[k]</c> (in elements, not bytes).
/// A stride of 0 repeats an element (broadcasting). This is all a kernel knows of shapes.
/// </summary>
public readonly struct BufferView
{
    /// <summary>Creates a view.</summary>
    public BufferView(DeviceBuffer buffer, long offset, int[] shape, long[] strides)
    {
        if (shape.Length != strides.Length)
            throw new ArgumentException($"shape has {shape.Length} dims but strides has {strides.Length}");
        Buffer = buffer;
        Offset = offset;
        Shape = shape;
        Strides = strides;
    }

    /// <summary>A contiguous row-major view of <paramref name="shape"/> starting at <paramref name="offset"/>.</summary>
    public static BufferView Contiguous(DeviceBuffer buffer, int[] shape, long offset = 0)
        => new(buffer, offset, shape, ContiguousStrides(shape));

    /// <summary>The underlying memory.</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>Index of element (0, …, 0) in <see cref="Buffer"/>.</summary>
    public long Offset { get; }

    /// <summary>Size of each dimension.</summary>
    public int[] Shape { get; }

    /// <summary>Step in elements for each dimension.</summary>
    public long[] Strides { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Element type of the buffer.</summary>
    public DType DType => Buffer.DType;

    /// <summary>Number of elements in the view.</summary>
    public long Count => ElementCount(Shape);

    /// <summary>True when elements are laid out row-major without gaps (size-1 dims may have any stride).</summary>
    public bool IsContiguous => IsContiguousLayout(Shape, Strides);

    /// <summary>Row-major strides for <paramref name="shape"/>.</summary>
    public static long[] ContiguousStrides(int[] shape)
    {
        var strides = new long[shape.Length];
        long step = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = step;
            step *= shape[i];
        }
        return strides;
    }

    /// <summary>Product of the sizes (1 for a scalar).</summary>
    public static long ElementCount(int[] shape)
    {
        long n = 1;
        foreach (int s in shape) n *= s;
        return n;
    }

    /// <summary>True when <paramref name="strides"/> are row-major for <paramref name="shape"/>, ignoring size-1 dims.</summary>
    public static bool IsContiguousLayout(int[] shape, long[] strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>The same memory seen with another shape and strides.</summary>
    public BufferView WithLayout(int[] shape, long[] strides, long offset) => new(Buffer, offset, shape, strides);

    /// <inheritdoc/>
    public override string ToString()
        => $"{DType.Name()}[{string.Join(", ", Shape)}] strides [{string.Join(", ", Strides)}] offset {Offset}";
}
