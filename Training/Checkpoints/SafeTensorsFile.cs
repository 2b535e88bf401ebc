using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Scratch.Training;

/// <summary>
/// Reads and writes the safetensors format (https://github.com/huggingface/safetensors): an 8-byte little-endian
/// header length N, N bytes of JSON header (each tensor's dtype, shape and data_offsets, plus an optional
/// <c>__metadata__</c> string map; padded with spaces to a multiple of 8 bytes), then the tensors' bytes, back to back.
/// </summary>
public static class SafeTensorsFile
{
    /// <summary>The largest header accepted, as in the reference implementation.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The reserved header key of the metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>): a crash or
    /// an exception leaves any previous file intact. Tensors are laid out in the dictionary's order, except that wider
    /// element types come first (a stable sort by element size, as the reference does) so that every tensor's data is
    /// aligned to its element size.
    /// </summary>
    /// <exception cref="ArgumentException">A name, dtype, shape or data length is invalid.</exception>
    public static void Write(string path, IReadOnlyDictionary<string, SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var (header, ordered) = BuildHeader(tensors, metadata);
        AtomicFile.Write(path, stream => WriteTo(stream, header, ordered));
    }

    /// <summary>The bytes of the file <see cref="Write"/> would write.</summary>
    public static byte[] Serialize(IReadOnlyDictionary<string, SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var (header, ordered) = BuildHeader(tensors, metadata);
        using var stream = new MemoryStream();
        WriteTo(stream, header, ordered);
        return stream.ToArray();
    }

    /// <summary>Reads and validates the header of <paramref name="path"/> without reading the tensors' data.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message names it and the problem.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using var stream = File.OpenRead(path);
        return SafeTensorsHeaderParser.Parse(stream, path);
    }

    /// <summary>Reads <paramref name="path"/>: every tensor (each into its own array) and the metadata.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message names it and the problem.</exception>
    public static SafeTensorsContent Read(string path)
    {
        using var stream = File.OpenRead(path);
        SafeTensorsHeader header = SafeTensorsHeaderParser.Parse(stream, path);
        var tensors = new Dictionary<string, SafeTensor>(header.Tensors.Count, StringComparer.Ordinal);
        stream.Position = header.DataStart;
        foreach (SafeTensorInfo info in header.Tensors)
        {
            if (info.Length > Array.MaxLength)
                throw new InvalidDataException($"{path}: tensor '{info.Name}' has {info.Length} bytes, more than one array can hold");
            var data = new byte[info.Length];
            stream.ReadExactly(data);
            tensors.Add(info.Name, new SafeTensor(info.DType, info.Shape, data));
        }
        return new SafeTensorsContent(tensors, header.Metadata);
    }

    private static (byte[] Header, List<KeyValuePair<string, SafeTensor>> Ordered) BuildHeader(
        IReadOnlyDictionary<string, SafeTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var (name, tensor) in tensors) Validate(name, tensor);

        // OrderBy is stable: equal element sizes keep the caller's order.
        var ordered = tensors.OrderByDescending(t => SafeTensorsDType.ElementSize(t.Value.DType)).ToList();

        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is not null)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    ArgumentNullException.ThrowIfNull(value, $"metadata[{key}]");
                    writer.WriteString(key, value);
                }
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                writer.WriteStartObject(name);
                writer.WriteString("dtype", tensor.DType);
                writer.WriteStartArray("shape");
                foreach (long dim in tensor.Shape) writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.Data.Length;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }

        // Pad with spaces (valid JSON whitespace) so the data section starts 8-byte aligned.
        int length = (int)json.Length;
        int padded = (length + 7) / 8 * 8;
        var header = new byte[8 + padded];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)padded);
        json.GetBuffer().AsSpan(0, length).CopyTo(header.AsSpan(8));
        header.AsSpan(8 + length).Fill((byte)' ');
        return (header, ordered);
    }

    private static void Validate(string name, SafeTensor tensor)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("safetensors: a tensor name is empty");
        if (name == MetadataKey) throw new ArgumentException($"safetensors: '{MetadataKey}' is reserved and cannot name a tensor");
        ArgumentNullException.ThrowIfNull(tensor, name);
        ArgumentNullException.ThrowIfNull(tensor.Shape, $"{name}.Shape");
        if (!SafeTensorsDType.IsKnown(tensor.DType))
            throw new ArgumentException($"safetensors: tensor '{name}' has unknown dtype '{tensor.DType}'");
        if (tensor.Shape.Any(d => d < 0))
            throw new ArgumentException($"safetensors: tensor '{name}' has a negative dimension in shape [{string.Join(", ", tensor.Shape)}]");
        long expected = checked(tensor.ElementCount * SafeTensorsDType.ElementSize(tensor.DType));
        if (tensor.Data.Length != expected)
        {
            throw new ArgumentException(
                $"safetensors: tensor '{name}' of shape [{string.Join(", ", tensor.Shape)}] and dtype {tensor.DType} " +
                $"needs {expected} bytes, got {tensor.Data.Length}");
        }
    }

    private static void WriteTo(Stream stream, byte[] header, List<KeyValuePair<string, SafeTensor>> ordered)
    {
        stream.Write(header);
        foreach (var (_, tensor) in ordered) stream.Write(tensor.Data.Span);
    }
}
