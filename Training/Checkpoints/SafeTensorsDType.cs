namespace Scratch.Training;

/// <summary>The element types of the safetensors format, by their names in the header ("F32", "I64", ...).</summary>
public static class SafeTensorsDType
{
    /// <summary>32-bit IEEE float.</summary>
    public const string F32 = "F32";

    /// <summary>64-bit IEEE float.</summary>
    public const string F64 = "F64";

    /// <summary>32-bit signed integer.</summary>
    public const string I32 = "I32";

    /// <summary>64-bit signed integer.</summary>
    public const string I64 = "I64";

    /// <summary>8-bit unsigned integer.</summary>
    public const string U8 = "U8";

    private static readonly Dictionary<string, int> Sizes = new(StringComparer.Ordinal)
    {
        ["BOOL"] = 1, ["U8"] = 1, ["I8"] = 1, ["F8_E5M2"] = 1, ["F8_E4M3"] = 1,
        ["I16"] = 2, ["U16"] = 2, ["F16"] = 2, ["BF16"] = 2,
        ["I32"] = 4, ["U32"] = 4, ["F32"] = 4,
        ["F64"] = 8, ["I64"] = 8, ["U64"] = 8,
    };

    /// <summary>Whether <paramref name="dtype"/> is a dtype name of the format (case-sensitive, as in files).</summary>
    public static bool IsKnown(string dtype) => Sizes.ContainsKey(dtype);

    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">Not a dtype of the format.</exception>
    public static int ElementSize(string dtype) =>
        Sizes.TryGetValue(dtype, out int size)
            ? size
            : throw new ArgumentException($"safetensors: unknown dtype '{dtype}' (known: {string.Join(", ", Sizes.Keys)})", nameof(dtype));

    /// <summary>The dtype of the .NET element type <typeparamref name="T"/> (float, double, int, long or byte).</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> has no dtype here.</exception>
    public static string Of<T>() where T : unmanaged => typeof(T) switch
    {
        var t when t == typeof(float) => F32,
        var t when t == typeof(double) => F64,
        var t when t == typeof(int) => I32,
        var t when t == typeof(long) => I64,
        var t when t == typeof(byte) => U8,
        var t => throw new NotSupportedException($"safetensors: no dtype for element type {t.Name} (use float, double, int, long or byte)"),
    };
}
