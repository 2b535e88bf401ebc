namespace Scratch.Training;

/// <summary>
/// The header of an IDX file: the magic number (two zero bytes, a type code, the number of dimensions)
/// followed by one big-endian 32-bit size per dimension.
/// </summary>
/// <param name="Magic">The 32-bit magic number, e.g. 0x00000803 for unsigned-byte data with 3 dimensions.</param>
/// <param name="Dimensions">The size of each dimension, outermost first.</param>
public sealed record IdxHeader(int Magic, int[] Dimensions)
{
    /// <summary>Magic number of an IDX file of unsigned-byte images ([count, rows, cols]).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned-byte labels ([count]).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Type code of unsigned bytes, the third byte of the magic number.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Size of the header in bytes (4 for the magic number, 4 per dimension).</summary>
    public int ByteLength => 4 + 4 * Dimensions.Length;

    /// <summary>Number of elements the header announces (the product of the dimensions).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (int d in Dimensions) count *= d;
            return count;
        }
    }

    /// <summary>Describes a magic number in words, for error messages ("unsigned bytes, 1 dimension").</summary>
    public static string DescribeMagic(int magic)
    {
        if ((magic & unchecked((int)0xFFFF0000)) != 0)
            return "not an IDX file: the first two bytes must be zero";
        string type = ((magic >> 8) & 0xFF) switch
        {
            0x08 => "unsigned bytes",
            0x09 => "signed bytes",
            0x0B => "16-bit integers",
            0x0C => "32-bit integers",
            0x0D => "32-bit floats",
            0x0E => "64-bit floats",
            var code => $"unknown type code 0x{code:X2}",
        };
        int dims = magic & 0xFF;
        return $"{type}, {dims} dimension{(dims == 1 ? "" : "s")}";
    }
}
