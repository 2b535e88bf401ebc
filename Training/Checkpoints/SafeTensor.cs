using System.Runtime.InteropServices;

namespace Scratch.Training;

/// <summary>
/// One tensor as stored in a safetensors file: a dtype name, a shape (outermost first, row-major) and the raw
/// little-endian bytes of its elements.
/// </summary>
/// <param name="DType">The element type, e.g. <see cref="SafeTensorsDType.F32"/>.</param>
/// <param name="Shape">The size of each dimension; empty for a scalar.</param>
/// <param name="Data">The elements' bytes, exactly ElementCount * element size of them.</param>
public sealed record SafeTensor(string DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>; 1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (count, dim) => checked(count * dim));

    /// <summary>
    /// Copies <paramref name="values"/> into a tensor of shape <paramref name="shape"/>; without a shape, a 1-d tensor
    /// (use <see cref="Scalar{T}"/> for a 0-d one).
    /// </summary>
    /// <exception cref="ArgumentException">The shape does not hold exactly <paramref name="values"/>.Length elements.</exception>
    public static SafeTensor From<T>(T[] values, params long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        EnsureLittleEndian();
        long[] dims = shape.Length == 0 ? [values.LongLength] : [.. shape];
        long count = dims.Aggregate(1L, (c, d) => d < 0 ? -1 : checked(c * d));
        if (count != values.LongLength)
            throw new ArgumentException($"SafeTensor.From: shape [{string.Join(", ", dims)}] does not hold {values.LongLength} elements");
        return new SafeTensor(SafeTensorsDType.Of<T>(), dims, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    /// <summary>A 0-d tensor (shape []) holding <paramref name="value"/>, e.g. a step counter.</summary>
    public static SafeTensor Scalar<T>(T value) where T : unmanaged
    {
        EnsureLittleEndian();
        return new SafeTensor(SafeTensorsDType.Of<T>(), [], MemoryMarshal.AsBytes(new[] { value }.AsSpan()).ToArray());
    }

    /// <summary>The elements as a new array of <typeparamref name="T"/>, which must match <see cref="DType"/>.</summary>
    /// <exception cref="InvalidOperationException">The dtype is not <typeparamref name="T"/>'s.</exception>
    public T[] ToArray<T>() where T : unmanaged
    {
        EnsureLittleEndian();
        string wanted = SafeTensorsDType.Of<T>();
        if (wanted != DType)
            throw new InvalidOperationException($"SafeTensor: elements are {DType}, not {wanted} ({typeof(T).Name})");
        return MemoryMarshal.Cast<byte, T>(Data.Span).ToArray();
    }

    // The format is little-endian and the bytes are reinterpreted as-is.
    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors: big-endian machines are not supported");
    }
}
