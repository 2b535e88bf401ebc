using StbImageSharp;

namespace Scratch.Training;

/// <summary>
/// Decodes image files (PNG, JPEG, BMP, GIF, TGA, PSD, HDR — whatever stb_image reads, through StbImageSharp) and
/// brings them to a square size: the shorter side is scaled to the size and the centre cropped, with area averaging
/// when shrinking and bilinear interpolation when enlarging.
/// </summary>
public static class ImageDecoder
{
    /// <summary>File extensions taken as images (lower case, with the dot).</summary>
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp" };

    /// <summary>
    /// Decodes <paramref name="path"/> to <paramref name="channels"/> (1: grey, from colour by ITU-R BT.601 luma; 3: RGB,
    /// grey repeated) planes of <paramref name="size"/>², values in [0, 1], channel-major [C, size, size]. Also says
    /// whether the file itself had colour.
    /// </summary>
    /// <exception cref="InvalidDataException">The file cannot be read or decoded; the message names it.</exception>
    public static (float[] Pixels, bool Colour) Decode(string path, int size, int channels)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "image size must be positive");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "images have 1 or 3 channels");
        ImageResult image;
        try
        {
            using var stream = File.OpenRead(path);
            image = ImageResult.FromStream(stream, ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or UnauthorizedAccessException or FileNotFoundException or DirectoryNotFoundException))
        {
            // stb_image reports a bad file with a plain Exception ("unknown image type", "bad huffman code", …).
            throw new InvalidDataException($"{path}: cannot decode the image ({e.Message})", e);
        }
        if (image.Width < 1 || image.Height < 1 || image.Data is null || image.Data.Length < image.Width * image.Height * 3)
            throw new InvalidDataException($"{path}: the image decoded to nothing ({image.Width}x{image.Height})");
        bool colour = IsColour(image.Data, image.Width * image.Height);
        return (Resample(image.Data, image.Width, image.Height, size, channels), colour);
    }

    /// <summary>
    /// Whether some pixel's channels differ by more than 2 levels: a grey picture stored as RGB or JPEG (whose chroma
    /// rounding leaves such small differences) counts as grey.
    /// </summary>
    private static bool IsColour(byte[] rgb, int pixels)
    {
        for (int i = 0; i < pixels; i++)
        {
            int r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
            if (Math.Abs(r - g) > 2 || Math.Abs(g - b) > 2 || Math.Abs(r - b) > 2) return true;
        }
        return false;
    }

    /// <summary>Scales the shorter side of an interleaved RGB image to <paramref name="size"/> and crops the centre square.</summary>
    internal static float[] Resample(byte[] rgb, int width, int height, int size, int channels)
    {
        int side = Math.Min(width, height);
        double x0 = (width - side) / 2.0, y0 = (height - side) / 2.0, scale = (double)side / size;
        // Shrinking: average a grid of bilinear samples over each output pixel's footprint; enlarging: one sample.
        int taps = Math.Max(1, (int)Math.Ceiling(scale));
        var result = new float[channels * size * size];
        Span<double> sum = stackalloc double[3];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                sum.Clear();
                for (int ty = 0; ty < taps; ty++)
                {
                    double sy = y0 + (y + (ty + 0.5) / taps) * scale - 0.5;
                    for (int tx = 0; tx < taps; tx++)
                    {
                        double sx = x0 + (x + (tx + 0.5) / taps) * scale - 0.5;
                        for (int c = 0; c < 3; c++) sum[c] += Bilinear(rgb, width, height, sx, sy, c);
                    }
                }
                double n = taps * taps * 255.0;
                if (channels == 3)
                {
                    for (int c = 0; c < 3; c++) result[(c * size + y) * size + x] = (float)(sum[c] / n);
                }
                else
                {
                    result[y * size + x] = (float)((0.299 * sum[0] + 0.587 * sum[1] + 0.114 * sum[2]) / n);
                }
            }
        }
        return result;
    }

    private static double Bilinear(byte[] rgb, int width, int height, double x, double y, int c)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        int xa = (int)x, ya = (int)y, xb = Math.Min(xa + 1, width - 1), yb = Math.Min(ya + 1, height - 1);
        double fx = x - xa, fy = y - ya;
        double top = rgb[(ya * width + xa) * 3 + c] * (1 - fx) + rgb[(ya * width + xb) * 3 + c] * fx;
        double bottom = rgb[(yb * width + xa) * 3 + c] * (1 - fx) + rgb[(yb * width + xb) * 3 + c] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
