namespace Scratch.Training;

/// <summary>A tensor's entry in a safetensors header, with offsets relative to the start of the data section.</summary>
/// <param name="Name">The tensor's name, e.g. "features.0.weight".</param>
/// <param name="DType">The element type name.</param>
/// <param name="Shape">The size of each dimension.</param>
/// <param name="Begin">Offset of the first byte in the data section.</param>
/// <param name="End">Offset one past the last byte.</param>
public sealed record SafeTensorInfo(string Name, string DType, long[] Shape, long Begin, long End)
{
    /// <summary>Byte length of the tensor's data.</summary>
    public long Length => End - Begin;
}

/// <summary>The header of a safetensors file: the tensors in data order and the <c>__metadata__</c> map.</summary>
/// <param name="Tensors">The tensor entries, sorted by offset.</param>
/// <param name="Metadata">The string-to-string metadata (empty when the file has none).</param>
/// <param name="DataStart">Offset of the data section from the start of the file (8 + header length).</param>
public sealed record SafeTensorsHeader(IReadOnlyList<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata, long DataStart);

/// <summary>The content of a safetensors file.</summary>
/// <param name="Tensors">The tensors by name, in the order of their data in the file.</param>
/// <param name="Metadata">The string-to-string metadata (empty when the file has none).</param>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, SafeTensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
