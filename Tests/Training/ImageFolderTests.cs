using NUnit.Framework;
using Scratch.Training;
using StbImageWriteSharp;

namespace Scratch.Tests.Training;

/// <summary>Image decoding, sizing and folders, on files written here by StbImageWriteSharp (not the code under test).</summary>
public class ImageFolderTests
{
    internal static void WritePng(string path, int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel, string format = "png")
    {
        var data = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                data[(y * width + x) * 3] = r;
                data[(y * width + x) * 3 + 1] = g;
                data[(y * width + x) * 3 + 2] = b;
            }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        var writer = new ImageWriter();
        switch (format)
        {
            case "png": writer.WritePng(data, width, height, ColorComponents.RedGreenBlue, stream); break;
            case "bmp": writer.WriteBmp(data, width, height, ColorComponents.RedGreenBlue, stream); break;
            default: writer.WriteJpg(data, width, height, ColorComponents.RedGreenBlue, stream, 95); break;
        }
    }

    private static (byte, byte, byte) Grey(int v) => ((byte)v, (byte)v, (byte)v);

    [Test]
    public void TheShorterSideIsScaledAndTheCentreCropped()
    {
        using var dir = new TempDirectory();
        int[] columns = [0, 100, 200, 50];
        WritePng(dir.File("wide.png"), 4, 2, (x, _) => Grey(columns[x]));
        var (pixels, colour) = ImageDecoder.Decode(dir.File("wide.png"), 2, 1);
        Assert.That(colour, Is.False);
        // 4x2 → the centre 2x2 (columns 1 and 2) at scale 1.
        Assert.That(pixels, Is.EqualTo(new[] { 100 / 255f, 200 / 255f, 100 / 255f, 200 / 255f }).Within(1e-6));
    }

    [Test]
    public void ShrinkingAveragesEachFootprint()
    {
        using var dir = new TempDirectory();
        WritePng(dir.File("q.bmp"), 4, 4, (x, y) => Grey((x + 4 * y) * 10), "bmp");
        var (pixels, _) = ImageDecoder.Decode(dir.File("q.bmp"), 2, 1);
        // Block (0,0) holds 0, 10, 40, 50: mean 25; the others follow by 20 to the right and 80 down.
        Assert.That(pixels, Is.EqualTo(new[] { 25 / 255f, 45 / 255f, 105 / 255f, 125 / 255f }).Within(1e-5));
    }

    [Test]
    public void ColourFilesMakeRgbAndGreyFilesOneChannel()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 3; i++)
        {
            WritePng(dir.File($"grey/a/{i}.png"), 8, 8, (_, _) => Grey(10 * i));
            WritePng(dir.File($"grey/b/{i}.jpg"), 8, 8, (_, _) => Grey(200), "jpg");
            WritePng(dir.File($"colour/a/{i}.png"), 8, 8, (_, _) => Grey(10));
            WritePng(dir.File($"colour/b/{i}.png"), 8, 8, (_, _) => (250, 0, 0));
        }
        var grey = ImageFolder.Load(dir.File("grey"), 4, skipBad: false);
        Assert.That((grey.Channels, grey.Count, grey.Size), Is.EqualTo((1, 6, 4)));
        Assert.That(grey.ClassNames, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(grey.Labels, Is.EqualTo(new[] { 0, 0, 0, 1, 1, 1 }));
        Assert.That(grey.Pixels[^1], Is.EqualTo(200 / 255f).Within(3 / 255f), "JPEG is lossy, but a flat image stays close");
        var colour = ImageFolder.Load(dir.File("colour"), 4, skipBad: false);
        Assert.That(colour.Channels, Is.EqualTo(3));
        int plane = 16, last = colour.Count - 1;
        Assert.That(colour.Pixels[(last * 3) * plane], Is.EqualTo(250 / 255f).Within(1e-6), "red plane of a red image");
        Assert.That(colour.Pixels[(last * 3 + 1) * plane], Is.EqualTo(0f), "its green plane");
    }

    [Test]
    public void ACorruptImageFailsByPathOrIsSkippedAndListed()
    {
        using var dir = new TempDirectory();
        for (int i = 0; i < 2; i++)
        {
            WritePng(dir.File($"a/{i}.png"), 4, 4, (_, _) => Grey(0));
            WritePng(dir.File($"b/{i}.png"), 4, 4, (_, _) => Grey(255));
        }
        File.WriteAllBytes(dir.File("b/broken.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(dir.Path, 4, skipBad: false));
        Assert.That(e!.Message, Does.Contain(dir.File("b/broken.png")));
        var folder = ImageFolder.Load(dir.Path, 4, skipBad: true);
        Assert.That(folder.Count, Is.EqualTo(4));
        Assert.That(folder.Skipped, Has.Count.EqualTo(1));
        Assert.That(folder.Skipped[0], Does.Contain(dir.File("b/broken.png")));
    }

    [Test]
    public void RotationMovesPixelsAndJitterLeavesGreyImagesAlone()
    {
        // A single bright pixel right of centre; 90° would move it above or below the centre.
        var x = new float[1 * 1 * 5 * 5];
        x[2 * 5 + 4] = 1;
        var input = NDArray.FromArray(x, [1, 1, 5, 5]);
        var (rotated, _) = new RandomRotationJitter(maxDegrees: 90, jitter: 0.5).Apply(input, NDArray.FromArray(new[] { 0 }), new Generator(3));
        var r = rotated.ToArray<float>();
        Assert.That(r.Sum(), Is.GreaterThan(0.3f).And.LessThan(1.7f), "the pixel is resampled, not lost or duplicated");
        Assert.That(r, Is.Not.EqualTo(x), "the image moved");
        var (same, _) = new RandomRotationJitter(maxDegrees: 0, jitter: 0.5).Apply(input, NDArray.FromArray(new[] { 0 }), new Generator(3));
        Assert.That(same.ToArray<float>(), Is.EqualTo(x), "no rotation, and no colour jitter for one channel");
    }
}
