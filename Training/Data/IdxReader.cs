using System.Buffers.Binary;
using System.IO.Compression;

namespace Scratch.Training;

/// <summary>
/// Reads IDX files (the format of MNIST and Fashion-MNIST), raw or gzip-compressed (recognised by the gzip
/// magic bytes, not by the file name). Every check names the file and what is wrong.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an unsigned-byte image file (magic 0x00000803, dimensions [count, rows, cols]).</summary>
    /// <exception cref="InvalidDataException">The file is not such a file, or its length does not match its header.</exception>
    public static IdxImages ReadImages(string path)
    {
        var (header, body) = Read(path, IdxHeader.ImagesMagic, "images");
        int count = header.Dimensions[0], rows = header.Dimensions[1], cols = header.Dimensions[2];
        if (rows == 0 || cols == 0)
            throw new InvalidDataException($"{path}: images are {rows}x{cols} pixels; both sizes must be positive");
        CheckBodyLength(path, header, body.Count, "pixel");
        return new IdxImages(count, rows, cols, body.AsSpan().ToArray());
    }

    /// <summary>Reads an unsigned-byte label file (magic 0x00000801, dimension [count]).</summary>
    /// <exception cref="InvalidDataException">The file is not such a file, or its length does not match its header.</exception>
    public static byte[] ReadLabels(string path)
    {
        var (header, body) = Read(path, IdxHeader.LabelsMagic, "labels");
        CheckBodyLength(path, header, body.Count, "label");
        return body.AsSpan().ToArray();
    }

    /// <summary>
    /// Reads only the header of an IDX file (decompressing just its first bytes when gzip-compressed), e.g. to
    /// report how many examples a file holds without loading it.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is too short for an IDX header or its magic number is invalid.</exception>
    public static IdxHeader ReadHeader(string path)
    {
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        var start = new byte[4 + 4 * 255];
        int read = ReadUpTo(path, stream, start.AsSpan(0, 4));
        if (read < 4)
            throw new InvalidDataException($"{path}: {read} bytes, too short for an IDX header (at least 4 bytes)");
        int dims = start[3];
        read += ReadUpTo(path, stream, start.AsSpan(4, 4 * dims));
        return ParseHeader(path, start.AsSpan(0, read));
    }

    /// <summary>Reads the whole (decompressed) file, parses the header and checks the magic number.</summary>
    private static (IdxHeader Header, ArraySegment<byte> Body) Read(string path, int expectedMagic, string what)
    {
        ArraySegment<byte> content = ReadAllDecompressed(path);
        IdxHeader header = ParseHeader(path, content);
        if (header.Magic != expectedMagic)
        {
            throw new InvalidDataException(
                $"{path}: IDX magic number 0x{header.Magic:X8} ({IdxHeader.DescribeMagic(header.Magic)}), " +
                $"expected 0x{expectedMagic:X8} ({IdxHeader.DescribeMagic(expectedMagic)}) for {what}");
        }
        return (header, content.Slice(header.ByteLength));
    }

    private static IdxHeader ParseHeader(string path, ReadOnlySpan<byte> content)
    {
        if (content.Length < 4)
            throw new InvalidDataException($"{path}: {content.Length} bytes, too short for an IDX header (at least 4 bytes)");
        int magic = BinaryPrimitives.ReadInt32BigEndian(content);
        if (content[0] != 0 || content[1] != 0)
            throw new InvalidDataException($"{path}: not an IDX file (magic number 0x{magic:X8}; its first two bytes must be zero)");
        int dims = content[3];
        int headerLength = 4 + 4 * dims;
        if (content.Length < headerLength)
        {
            throw new InvalidDataException(
                $"{path}: header declares {dims} dimensions ({headerLength} header bytes) but the file has only {content.Length} bytes");
        }
        var sizes = new int[dims];
        for (int d = 0; d < dims; d++)
        {
            sizes[d] = BinaryPrimitives.ReadInt32BigEndian(content.Slice(4 + 4 * d));
            if (sizes[d] < 0)
                throw new InvalidDataException($"{path}: dimension {d} has size {(uint)sizes[d]}, larger than this reader supports");
        }
        return new IdxHeader(magic, sizes);
    }

    private static void CheckBodyLength(string path, IdxHeader header, int found, string what)
    {
        long expected = header.ElementCount;
        if (found == expected) return;
        string hint = found < expected ? "file truncated?" : "trailing data, or a wrong header?";
        throw new InvalidDataException(
            $"{path}: expected {expected} {what} bytes after the header ({string.Join(" x ", header.Dimensions)}), " +
            $"found {found} ({hint})");
    }

    /// <summary>The file's bytes, decompressed when they start with the gzip magic bytes 1F 8B.</summary>
    private static ArraySegment<byte> ReadAllDecompressed(string path)
    {
        byte[] raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1F || raw[1] != 0x8B)
            return raw;

        // The gzip trailer stores the uncompressed size modulo 2^32: a good first guess for the buffer.
        int guess = raw.Length >= 18 ? BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(raw.Length - 4)) : 0;
        using var output = new MemoryStream(guess is > 0 and < int.MaxValue / 2 ? guess : raw.Length * 4);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw, writable: false), CompressionMode.Decompress);
            gzip.CopyTo(output);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message})", e);
        }
        return new ArraySegment<byte>(output.GetBuffer(), 0, (int)output.Length);
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }

    private static int ReadUpTo(string path, Stream stream, Span<byte> buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{path}: corrupt gzip data ({e.Message})", e);
        }
    }
}
