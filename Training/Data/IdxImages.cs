namespace Scratch.Training;

/// <summary>
/// A stack of grayscale images read from (or to be written to) an IDX file: <see cref="Count"/> images
/// of <see cref="Rows"/> x <see cref="Cols"/> bytes each, row-major, one after another in <see cref="Pixels"/>.
/// </summary>
public sealed record IdxImages
{
    /// <summary>Creates the image stack, checking that <paramref name="pixels"/> holds exactly count*rows*cols bytes.</summary>
    /// <exception cref="ArgumentException">A dimension is negative or the pixel count does not match.</exception>
    public IdxImages(int count, int rows, int cols, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (count < 0 || rows <= 0 || cols <= 0)
            throw new ArgumentException($"IdxImages: invalid size {count} x {rows} x {cols} (count >= 0, rows and cols > 0)");
        long expected = (long)count * rows * cols;
        if (pixels.LongLength != expected)
            throw new ArgumentException(
                $"IdxImages: {count} images of {rows}x{cols} need {expected} pixel bytes, got {pixels.LongLength}");
        Count = count;
        Rows = rows;
        Cols = cols;
        Pixels = pixels;
    }

    /// <summary>Number of images.</summary>
    public int Count { get; }

    /// <summary>Height of each image in pixels.</summary>
    public int Rows { get; }

    /// <summary>Width of each image in pixels.</summary>
    public int Cols { get; }

    /// <summary>All pixels, image after image, each image row-major ([Count, Rows, Cols]).</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per image (Rows * Cols).</summary>
    public int PixelsPerImage => Rows * Cols;

    /// <summary>The pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * PixelsPerImage, PixelsPerImage);
    }
}
