namespace Scratch;

/// <summary>The element type of an array.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (<see cref="float"/>).</summary>
    Float32,
    /// <summary>64-bit IEEE float (<see cref="double"/>).</summary>
    Float64,
    /// <summary>32-bit signed integer (<see cref="int"/>): indices, labels, argmax results.</summary>
    Int32,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int SizeInBytes(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for Float32 and Float64.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The lower-case name PyTorch uses (<c>float32</c>, <c>float64</c>, <c>int32</c>).</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        _ => dtype.ToString(),
    };

    /// <summary>The <see cref="DType"/> of a CLR element type.</summary>
    public static DType Of<T>() where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return DType.Float32;
        if (typeof(T) == typeof(double)) return DType.Float64;
        if (typeof(T) == typeof(int)) return DType.Int32;
        throw new NotSupportedException($"element type {typeof(T).Name} is not supported (float, double, int are)");
    }
}
