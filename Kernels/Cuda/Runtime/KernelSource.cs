namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// One embedded CUDA source file and the template instantiations (NVRTC name expressions) Scratch
/// launches from it. A source is compiled as a whole, once per process and device architecture.
/// </summary>
internal sealed class KernelSource
{
    public KernelSource(string path, IEnumerable<string> nameExpressions, int minimumArchitecture = 0)
    {
        Path = path;
        NameExpressions = nameExpressions.ToArray();
        MinimumArchitecture = minimumArchitecture;
    }

    /// <summary>Path below <c>Kernels/Cuda/Kernels/</c>, e.g. <c>Elementwise/unary.cu</c>.</summary>
    public string Path { get; }

    /// <summary>Every instantiation the backend may look up, e.g. <c>unary_contig&lt;float&gt;</c>.</summary>
    public IReadOnlyList<string> NameExpressions { get; }

    /// <summary>The lowest SM version the source compiles for (80 for tensor-core PTX), 0 for any.</summary>
    public int MinimumArchitecture { get; }

    /// <inheritdoc/>
    public override string ToString() => Path;
}

/// <summary>Builds NVRTC name expressions consistently, so catalog entries and lookups match exactly.</summary>
internal static class KernelName
{
    public static readonly string[] AllTypes = ["float", "double", "int"];
    public static readonly string[] FloatTypes = ["float", "double"];
    public static readonly string[] IndexTypes = ["unsigned int", "unsigned long long"];

    /// <summary>The C++ element type of a dtype.</summary>
    public static string CppType(DType dtype) => dtype switch
    {
        DType.Float32 => "float",
        DType.Float64 => "double",
        DType.Int32 => "int",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The C++ index type for 32- or 64-bit element counts.</summary>
    public static string IndexType(bool fitsUInt32) => fitsUInt32 ? IndexTypes[0] : IndexTypes[1];

    /// <summary><c>name&lt;a, b, …&gt;</c>, or the bare name without arguments.</summary>
    public static string Of(string name, params string[] arguments)
        => arguments.Length == 0 ? name : $"{name}<{string.Join(", ", arguments)}>";

    /// <summary>Every instantiation of <paramref name="name"/> over the cartesian product of the argument lists.</summary>
    public static IEnumerable<string> Product(string name, params string[][] argumentLists)
    {
        IEnumerable<string[]> combinations = [[]];
        foreach (var list in argumentLists)
            combinations = combinations.SelectMany(prefix => list.Select(argument => prefix.Append(argument).ToArray()));
        return combinations.Select(arguments => Of(name, arguments));
    }
}
