using System.Buffers.Binary;
using System.IO.Compression;

namespace Scratch.Training;

/// <summary>
/// Writes unsigned-byte IDX files (the format <see cref="IdxReader"/> reads). A path ending in ".gz" is
/// gzip-compressed; any other path is written raw.
/// </summary>
public static class IdxWriter
{
    /// <summary>Writes images with magic 0x00000803 and dimensions [count, rows, cols].</summary>
    public static void WriteImages(string path, IdxImages images)
    {
        ArgumentNullException.ThrowIfNull(images);
        Write(path, IdxHeader.ImagesMagic, [images.Count, images.Rows, images.Cols], images.Pixels);
    }

    /// <summary>Writes labels with magic 0x00000801 and dimension [count].</summary>
    public static void WriteLabels(string path, ReadOnlySpan<byte> labels) =>
        Write(path, IdxHeader.LabelsMagic, [labels.Length], labels);

    private static void Write(string path, int magic, int[] dimensions, ReadOnlySpan<byte> body)
    {
        var header = new byte[4 + 4 * dimensions.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dimensions.Length; d++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dimensions[d]);

        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using Stream output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionLevel.SmallestSize)
            : file;
        output.Write(header);
        output.Write(body);
    }
}
