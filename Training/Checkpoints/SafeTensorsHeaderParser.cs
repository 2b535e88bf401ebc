using System.Buffers.Binary;
using System.Text.Json;

namespace Scratch.Training;

/// <summary>Reads a safetensors header and checks everything the data layout depends on.</summary>
internal static class SafeTensorsHeaderParser
{
    /// <summary>Parses the header at the start of <paramref name="stream"/>; <paramref name="path"/> names the file in messages.</summary>
    public static SafeTensorsHeader Parse(Stream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new InvalidDataException($"{path}: {fileLength} bytes, too short for a safetensors file (8-byte header length first)");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafeTensorsFile.MaxHeaderLength)
        {
            throw new InvalidDataException(
                $"{path}: header length {headerLength} exceeds the {SafeTensorsFile.MaxHeaderLength}-byte limit (not a safetensors file?)");
        }
        if (8 + (long)headerLength > fileLength)
        {
            throw new InvalidDataException(
                $"{path}: header length {headerLength} runs past the end of the file ({fileLength} bytes; file truncated?)");
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        if (json.Length == 0 || json[0] != (byte)'{')
            throw new InvalidDataException($"{path}: the header must be a JSON object starting with '{{'");

        long dataStart = 8 + (long)headerLength;
        long dataLength = fileLength - dataStart;
        try
        {
            using var document = JsonDocument.Parse(json);
            var (tensors, metadata) = ReadEntries(document.RootElement, path);
            CheckLayout(tensors, dataLength, path);
            return new SafeTensorsHeader(tensors, metadata, dataStart);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON ({e.Message})", e);
        }
    }

    private static (List<SafeTensorInfo> Tensors, Dictionary<string, string> Metadata) ReadEntries(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: the header is a JSON {root.ValueKind}, not an object");
        var tensors = new List<SafeTensorInfo>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            if (!names.Add(property.Name))
                throw new InvalidDataException($"{path}: the header names '{property.Name}' twice");
            if (property.Name == SafeTensorsFile.MetadataKey)
                ReadMetadata(property.Value, metadata, path);
            else
                tensors.Add(ReadTensor(property.Name, property.Value, path));
        }
        return (tensors, metadata);
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: {SafeTensorsFile.MetadataKey} must be an object of strings, found {element.ValueKind}");
        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{path}: {SafeTensorsFile.MetadataKey}['{entry.Name}'] is a {entry.Value.ValueKind}, not a string");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafeTensorInfo ReadTensor(string name, JsonElement element, string path)
    {
        string where = $"{path}: tensor '{name}'";
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where}: entry is a {element.ValueKind}, not an object");
        if (!element.TryGetProperty("dtype", out JsonElement dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{where}: missing or non-string \"dtype\"");
        string dtype = dtypeElement.GetString()!;
        if (!SafeTensorsDType.IsKnown(dtype))
            throw new InvalidDataException($"{where}: unknown dtype '{dtype}'");
        long[] shape = ReadIntegers(element, "shape", where);
        long[] offsets = ReadIntegers(element, "data_offsets", where);
        if (offsets.Length != 2)
            throw new InvalidDataException($"{where}: data_offsets must be [begin, end], found {offsets.Length} numbers");
        if (offsets[1] < offsets[0])
            throw new InvalidDataException($"{where}: data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");

        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (count, dim) => count * dim) * SafeTensorsDType.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"{where}: shape [{string.Join(", ", shape)}] is too large");
        }
        if (offsets[1] - offsets[0] != expected)
        {
            throw new InvalidDataException(
                $"{where}: shape [{string.Join(", ", shape)}] of {dtype} needs {expected} bytes, " +
                $"but data_offsets [{offsets[0]}, {offsets[1]}] hold {offsets[1] - offsets[0]}");
        }
        return new SafeTensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement element, string key, string where)
    {
        if (!element.TryGetProperty(key, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{where}: missing or non-array \"{key}\"");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out values[i]) || values[i] < 0)
                throw new InvalidDataException($"{where}: \"{key}\" must hold non-negative integers, found {item.GetRawText()}");
            i++;
        }
        return values;
    }

    /// <summary>The tensors must tile the data section exactly: from 0, without gaps or overlaps, to its end.</summary>
    private static void CheckLayout(List<SafeTensorInfo> tensors, long dataLength, string path)
    {
        tensors.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long position = 0;
        SafeTensorInfo? previous = null;
        foreach (SafeTensorInfo tensor in tensors)
        {
            if (tensor.Begin < position)
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{tensor.Name}' (bytes {tensor.Begin}..{tensor.End}) overlaps tensor '{previous!.Name}' (bytes {previous.Begin}..{previous.End})");
            }
            if (tensor.Begin > position)
            {
                throw new InvalidDataException(
                    $"{path}: {tensor.Begin - position} unused bytes before tensor '{tensor.Name}' at data offset {position}");
            }
            if (tensor.End > dataLength)
            {
                throw new InvalidDataException(
                    $"{path}: tensor '{tensor.Name}' ends at data offset {tensor.End}, but the data section has only {dataLength} bytes (file truncated?)");
            }
            position = tensor.End;
            previous = tensor;
        }
        if (position != dataLength)
            throw new InvalidDataException($"{path}: {dataLength - position} bytes after the last tensor's data (the header does not describe them)");
    }
}
