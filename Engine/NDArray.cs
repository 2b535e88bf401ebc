using Scratch.Kernels;

namespace Scratch;

/// <summary>
/// An n-dimensional strided array of one <see cref="Scratch.DType"/> on one <see cref="Scratch.Device"/>.
/// Views (reshape, transpose, permute, slice, expand, …) share memory with the array they come from;
/// every other op returns a new array computed by the device's backend. Arrays know nothing of
/// gradients (that is <c>Tensor</c>'s job).
/// </summary>
/// <remarks>
/// Memory is reclaimed by the garbage collector; <see cref="Dispose"/> releases it early. Disposing a
/// view releases only that view's hold on the shared memory.
/// </remarks>
public sealed partial class NDArray : IDisposable
{
    private readonly int[] _shape;
    private readonly long[] _strides;
    private static long s_created;
    private int _disposed;

    internal NDArray(DeviceBuffer buffer, Device device, int[] shape, long[] strides, long offset)
    {
        Serial = Interlocked.Increment(ref s_created);
        Buffer = buffer;
        Device = device;
        _shape = shape;
        _strides = strides;
        Offset = offset;
        Count = Shapes.Count(shape);
        ArrayScope.Track(this);
    }

    /// <summary>A new view onto the same memory (takes its own hold on the buffer).</summary>
    internal NDArray ViewOf(int[] shape, long[] strides, long offset)
    {
        ThrowIfDisposed();
        Buffer.Retain();
        return new NDArray(Buffer, Device, shape, strides, offset);
    }

    /// <summary>
    /// Creation number, increasing across the process: arrays with a serial above <see cref="LastSerial"/>
    /// read at some moment were made after it (a backward pass uses this to know which gradients are its own).
    /// </summary>
    internal long Serial { get; }

    /// <summary>The serial of the most recently created array.</summary>
    internal static long LastSerial => Interlocked.Read(ref s_created);

    /// <summary>The memory behind the array.</summary>
    internal DeviceBuffer Buffer { get; }

    /// <summary>The backend that computes on this array.</summary>
    internal IBackend Backend => Buffer.Backend;

    /// <summary>The kernel-level description of this array.</summary>
    internal BufferView KernelView
    {
        get
        {
            ThrowIfDisposed();
            return new BufferView(Buffer, Offset, _shape, _strides);
        }
    }

    /// <summary>Where the array lives.</summary>
    public Device Device { get; }

    /// <summary>Element type.</summary>
    public DType DType => Buffer.DType;

    /// <summary>Size of each dimension.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Step in elements for each dimension.</summary>
    public IReadOnlyList<long> Strides => _strides;

    /// <summary>Index of element (0, …, 0) in the underlying memory.</summary>
    public long Offset { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public long Count { get; }

    /// <summary>True when the elements are row-major without gaps.</summary>
    public bool IsContiguous => BufferView.IsContiguousLayout(_shape, _strides);

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Size(int axis) => _shape[Shapes.Dim("size", axis, Rank)];

    /// <summary>A copy of the shape.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>The shape as text, e.g. <c>[128, 1, 28, 28]</c>.</summary>
    public string ShapeString => Shapes.Format(_shape);

    /// <summary>Allocates an uninitialised contiguous array.</summary>
    internal static NDArray Empty(int[] shape, DType dtype, Device device)
    {
        Shapes.CheckNonNegative("empty", shape);
        var backend = device.Backend;
        var buffer = backend.Allocate(dtype, Math.Max(1, Shapes.Count(shape)));
        return new NDArray(buffer, device, (int[])shape.Clone(), BufferView.ContiguousStrides(shape), 0);
    }

    /// <summary>An uninitialised contiguous array like this one (same dtype and device unless given).</summary>
    internal NDArray EmptyLike(int[]? shape = null, DType? dtype = null)
        => Empty(shape ?? _shape, dtype ?? DType, Device);

    /// <summary>The single element as a double (throws unless the array has exactly one element).</summary>
    public double Item()
    {
        if (Count != 1)
            throw new InvalidOperationException($"item: array of shape {ShapeString} has {Count} elements, not 1");
        return ToArray<double>()[0];
    }

    /// <summary>The single element as <typeparamref name="T"/>.</summary>
    public T Item<T>() where T : unmanaged
    {
        if (Count != 1)
            throw new InvalidOperationException($"item: array of shape {ShapeString} has {Count} elements, not 1");
        return ToArray<T>()[0];
    }

    /// <summary>The elements in row-major order, converted to <typeparamref name="T"/> when the dtype differs.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        var want = DTypeExtensions.Of<T>();
        var source = DType == want && IsContiguous ? this : To(want, forceCopy: !IsContiguous);
        var result = new T[Count];
        if (Count > 0) source.Backend.Download<T>(source.Buffer, source.Offset, result);
        return result;
    }

    /// <summary>Releases this array's hold on its memory. Using the array afterwards throws.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Buffer.Release();
    }

    /// <summary>True once <see cref="Dispose"/> was called.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private void ThrowIfDisposed()
    {
        if (IsDisposed) throw new ObjectDisposedException(nameof(NDArray), $"the array of shape {ShapeString} was disposed");
    }

    /// <summary>Throws unless every array is on <paramref name="first"/>'s device.</summary>
    internal static void CheckSameDevice(string op, NDArray first, params NDArray?[] others)
    {
        foreach (var other in others)
        {
            if (other is not null && other.Device != first.Device)
                throw new InvalidOperationException($"{op}: arrays are on different devices ({first.Device} and {other.Device}); move them with To(device)");
        }
    }

    /// <summary>Throws unless every array has <paramref name="first"/>'s dtype.</summary>
    internal static void CheckSameDType(string op, NDArray first, params NDArray?[] others)
    {
        foreach (var other in others)
        {
            if (other is not null && other.DType != first.DType)
                throw new ArgumentException($"{op}: dtypes differ ({first.DType.Name()} {first.ShapeString} and {other.DType.Name()} {other.ShapeString}); convert with To(dtype)");
        }
    }

    /// <summary>Throws unless the dtype is floating point.</summary>
    internal void CheckFloating(string op)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"{op}: needs a floating-point array, got {DType.Name()} {ShapeString}");
    }
}
