using System.IO.Compression;
using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class IdxReaderTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static IdxImages SampleImages() =>
        new(3, 2, 3, [.. Enumerable.Range(0, 18).Select(i => (byte)(i * 13))]);

    private static byte[] RawImageFile()
    {
        // Built by hand (big-endian header), not by IdxWriter, so the reader is checked against the format itself.
        var bytes = new List<byte> { 0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3 };
        bytes.AddRange(SampleImages().Pixels);
        return [.. bytes];
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(data);
        return output.ToArray();
    }

    [Test]
    public void ReadsHandBuiltRawImageFile()
    {
        string path = _dir.File("images-idx3-ubyte");
        File.WriteAllBytes(path, RawImageFile());
        var images = IdxReader.ReadImages(path);
        Assert.That((images.Count, images.Rows, images.Cols), Is.EqualTo((3, 2, 3)));
        Assert.That(images.Pixels, Is.EqualTo(SampleImages().Pixels));
        Assert.That(images.Image(1).ToArray(), Is.EqualTo(SampleImages().Pixels[6..12]));
    }

    [Test]
    public void DetectsGzipByMagicBytesNotByName()
    {
        string gzipWithoutSuffix = _dir.File("images.bin");
        File.WriteAllBytes(gzipWithoutSuffix, Gzip(RawImageFile()));
        string rawWithGzSuffix = _dir.File("raw.gz");
        File.WriteAllBytes(rawWithGzSuffix, RawImageFile());

        Assert.That(IdxReader.ReadImages(gzipWithoutSuffix).Pixels, Is.EqualTo(SampleImages().Pixels));
        Assert.That(IdxReader.ReadImages(rawWithGzSuffix).Pixels, Is.EqualTo(SampleImages().Pixels));
    }

    [TestCase("images-idx3-ubyte")]
    [TestCase("images-idx3-ubyte.gz")]
    public void WriterRoundTripsImagesAndLabels(string name)
    {
        string images = _dir.File(name), labels = _dir.File(name.Replace("images-idx3", "labels-idx1"));
        IdxWriter.WriteImages(images, SampleImages());
        IdxWriter.WriteLabels(labels, [7, 0, 9]);

        bool compressed = name.EndsWith(".gz");
        byte[] onDisk = File.ReadAllBytes(images);
        Assert.That(onDisk[0] == 0x1F && onDisk[1] == 0x8B, Is.EqualTo(compressed));
        if (!compressed) Assert.That(onDisk, Is.EqualTo(RawImageFile()));
        Assert.That(IdxReader.ReadImages(images).Pixels, Is.EqualTo(SampleImages().Pixels));
        Assert.That(IdxReader.ReadLabels(labels), Is.EqualTo(new byte[] { 7, 0, 9 }));
    }

    [Test]
    public void ReadHeaderReadsOnlyTheHeader()
    {
        string path = _dir.File("labels.gz");
        IdxWriter.WriteLabels(path, new byte[1000]);
        var header = IdxReader.ReadHeader(path);
        Assert.That(header.Magic, Is.EqualTo(IdxHeader.LabelsMagic));
        Assert.That(header.Dimensions, Is.EqualTo(new[] { 1000 }));
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Test]
    public void TruncatedPixelsNameFileAndCounts()
    {
        string path = Write("train-images-idx3-ubyte", RawImageFile()[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.StartWith(path));
        Assert.That(e.Message, Does.Contain("expected 18 pixel bytes after the header"));
        Assert.That(e.Message, Does.Contain("found 8 (file truncated?)"));
    }

    [Test]
    public void TruncatedGzipFileIsReported()
    {
        byte[] compressed = Gzip([.. RawImageFile(), .. new byte[5000]]);
        string path = Write("cut.gz", compressed[..(compressed.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.StartWith(path));
    }

    [Test]
    public void TrailingBytesAreReported()
    {
        string path = Write("images", [.. RawImageFile(), 1, 2, 3]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("expected 18 pixel bytes").And.Contain("found 21").And.Contain("trailing data"));
    }

    [Test]
    public void LabelFileReadAsImagesNamesBothMagicNumbers()
    {
        string path = _dir.File("labels");
        IdxWriter.WriteLabels(path, [1, 2]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("0x00000801 (unsigned bytes, 1 dimension)").And.Contain("expected 0x00000803"));
    }

    [Test]
    public void ImageFileReadAsLabelsIsRejected()
    {
        string path = Write("images", RawImageFile());
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.Contain("0x00000803").And.Contain("expected 0x00000801"));
    }

    [Test]
    public void NonIdxFileIsRejected()
    {
        string path = Write("notes.txt", "hello, world"u8.ToArray());
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain("not an IDX file"));
    }

    [Test]
    public void TooShortFileIsRejected()
    {
        string path = Write("tiny", [0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path))!;
        Assert.That(e.Message, Does.Contain("2 bytes, too short"));
    }

    [Test]
    public void TruncatedHeaderIsRejected()
    {
        string path = Write("short-header", [0, 0, 8, 3, 0, 0, 0, 3]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("declares 3 dimensions (16 header bytes)").And.Contain("only 8 bytes"));
    }

    [Test]
    public void CorruptGzipIsRejected()
    {
        string path = Write("bad.gz", [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.StartWith(path));
    }

    [Test]
    public void ZeroSizedImagesAreRejected()
    {
        string path = Write("zero", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 28]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path))!;
        Assert.That(e.Message, Does.Contain("0x28 pixels"));
    }
}
