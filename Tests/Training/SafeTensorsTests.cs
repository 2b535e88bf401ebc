using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using NUnit.Framework;
using Scratch.Training;

namespace Scratch.Tests.Training;

public class SafeTensorsTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private static Dictionary<string, SafeTensor> Sample() => new()
    {
        ["features.0.weight"] = SafeTensor.From(new float[] { 1.5f, -2f, 3.25f, 0f, 1e-7f, float.MaxValue }, 2, 3),
        ["features.0.bias"] = SafeTensor.From(new double[] { Math.PI, -Math.E }),
        ["step"] = SafeTensor.Scalar(1234567890123L),
        ["counts"] = SafeTensor.From(new int[] { -1, 0, 1, int.MaxValue }, 2, 2),
        ["mask"] = SafeTensor.From(new byte[] { 0, 1, 255 }),
        ["empty"] = SafeTensor.From(Array.Empty<float>(), 0, 4),
    };

    [Test]
    public void RoundTripsEveryDtypeWithMetadata()
    {
        string path = _dir.File("model.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["epoch"] = "7", ["note"] = "quotes \" and ünïcode" };
        SafeTensorsFile.Write(path, Sample(), metadata);

        var content = SafeTensorsFile.Read(path);
        Assert.That(content.Metadata, Is.EqualTo(metadata));
        Assert.That(content.Tensors.Keys, Is.EquivalentTo(Sample().Keys));
        var t = content.Tensors;
        Assert.That(t["features.0.weight"].ToArray<float>(), Is.EqualTo(new float[] { 1.5f, -2f, 3.25f, 0f, 1e-7f, float.MaxValue }));
        Assert.That(t["features.0.weight"].Shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(t["features.0.bias"].ToArray<double>(), Is.EqualTo(new[] { Math.PI, -Math.E }));
        Assert.That(t["step"].Shape, Is.Empty);
        Assert.That(t["step"].ToArray<long>(), Is.EqualTo(new[] { 1234567890123L }));
        Assert.That(t["counts"].ToArray<int>(), Is.EqualTo(new[] { -1, 0, 1, int.MaxValue }));
        Assert.That(t["mask"].DType, Is.EqualTo("U8"));
        Assert.That(t["mask"].ToArray<byte>(), Is.EqualTo(new byte[] { 0, 1, 255 }));
        Assert.That(t["empty"].Shape, Is.EqualTo(new long[] { 0, 4 }));
        Assert.That(t["empty"].Data.Length, Is.EqualTo(0));
    }

    [Test]
    public void MatchesTheReferenceLayoutByteForByte()
    {
        // The example of the format's reference tests: one F32 tensor "attn.0" of shape [1, 2, 3] holding 0..5.
        var bytes = SafeTensorsFile.Serialize(new Dictionary<string, SafeTensor>
        {
            ["attn.0"] = SafeTensor.From(new float[] { 0, 1, 2, 3, 4, 5 }, 1, 2, 3),
        });
        const string json = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        Assert.That(json.Length, Is.EqualTo(64));
        var expected = new List<byte> { 64, 0, 0, 0, 0, 0, 0, 0 };
        expected.AddRange(Encoding.ASCII.GetBytes(json));
        foreach (float f in new float[] { 0, 1, 2, 3, 4, 5 }) expected.AddRange(BitConverter.GetBytes(f));
        Assert.That(bytes, Is.EqualTo(expected.ToArray()));
    }

    [Test]
    public void PadsTheHeaderWithSpacesToEightBytes()
    {
        var empty = SafeTensorsFile.Serialize(new Dictionary<string, SafeTensor>());
        Assert.That(empty, Is.EqualTo(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'}', 32, 32, 32, 32, 32, 32 }));

        var withMetadata = SafeTensorsFile.Serialize(new Dictionary<string, SafeTensor>(), new Dictionary<string, string> { ["framework"] = "pt" });
        Assert.That(BinaryPrimitives.ReadUInt64LittleEndian(withMetadata), Is.EqualTo(40));
        Assert.That(Encoding.ASCII.GetString(withMetadata, 8, 40), Is.EqualTo("{\"__metadata__\":{\"framework\":\"pt\"}}     "));
    }

    [Test]
    public void WiderElementsComeFirstSoEveryTensorIsAligned()
    {
        var header = SafeTensorsHeaderOf(new Dictionary<string, SafeTensor>
        {
            ["a_bytes"] = SafeTensor.From(new byte[] { 1, 2, 3 }),
            ["b_floats"] = SafeTensor.From(new float[] { 1, 2, 3 }),
            ["c_doubles"] = SafeTensor.From(new double[] { 1 }),
            ["d_ints"] = SafeTensor.From(new int[] { 1, 2 }),
        });
        Assert.That(header.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "c_doubles", "b_floats", "d_ints", "a_bytes" }));
        Assert.That(header.DataStart % 8, Is.EqualTo(0));
        foreach (var t in header.Tensors) Assert.That(t.Begin % SafeTensorsDType.ElementSize(t.DType), Is.EqualTo(0), t.Name);
    }

    private SafeTensorsHeader SafeTensorsHeaderOf(Dictionary<string, SafeTensor> tensors)
    {
        string path = _dir.File("h.safetensors");
        SafeTensorsFile.Write(path, tensors);
        return SafeTensorsFile.ReadHeader(path);
    }

    /// <summary>A file built by hand: header JSON as given (unpadded), then <paramref name="dataLength"/> bytes 0, 1, 2...</summary>
    private string HandMade(string json, int dataLength, string name = "hand.safetensors")
    {
        var bytes = new List<byte>();
        byte[] header = Encoding.UTF8.GetBytes(json);
        bytes.AddRange(BitConverter.GetBytes((ulong)header.Length));
        bytes.AddRange(header);
        bytes.AddRange(Enumerable.Range(0, dataLength).Select(i => (byte)i));
        string path = _dir.File(name);
        File.WriteAllBytes(path, [.. bytes]);
        return path;
    }

    [Test]
    public void ReadsHandMadeFilesWithEntriesInAnyOrder()
    {
        string path = HandMade(
            "{\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6]},\"a\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]}}", 6);
        var content = SafeTensorsFile.Read(path);
        Assert.That(content.Tensors.Keys, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(content.Tensors["a"].ToArray<int>(), Is.EqualTo(new[] { 0x03020100 }));
        Assert.That(content.Tensors["b"].ToArray<byte>(), Is.EqualTo(new byte[] { 4, 5 }));
        Assert.That(content.Metadata, Is.Empty);
    }

    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, "tensor 'w': shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8")]
    [TestCase("{\"w\":{\"dtype\":\"Q4\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "tensor 'w': unknown dtype 'Q4'")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "\"shape\" must hold non-negative integers, found -2")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8, "data_offsets must be [begin, end]")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, "missing or non-array \"data_offsets\"")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"v\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlaps tensor")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "4 unused bytes before tensor 'w'")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 10, "2 bytes after the last tensor")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 5, "ends at data offset 8, but the data section has only 5 bytes (file truncated?)")]
    [TestCase("{\"__metadata__\":{\"epoch\":3}}", 0, "__metadata__['epoch'] is a Number, not a string")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "names 'w' twice")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",", 8, "the header is not valid JSON")]
    [TestCase("[1,2]", 0, "must be a JSON object starting with '{'")]
    public void InvalidHeadersAreReportedWithTheFileName(string json, int dataLength, string expected)
    {
        string path = HandMade(json, dataLength);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain(expected));
    }

    [Test]
    public void TruncatedFileGivesAClearError()
    {
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample());
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^5]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(e.Message, Does.StartWith(path).And.Contain("file truncated?"));

        File.WriteAllBytes(path, bytes[..20]);
        e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(e.Message, Does.Contain("runs past the end of the file (20 bytes; file truncated?)"));

        File.WriteAllBytes(path, bytes[..5]);
        e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(e.Message, Does.Contain("5 bytes, too short"));
    }

    [Test]
    public void HugeHeaderLengthIsRejectedBeforeAllocating()
    {
        string path = _dir.File("garbage.safetensors");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, (byte)'{', (byte)'}']);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path))!;
        Assert.That(e.Message, Does.Contain("exceeds the 100000000-byte limit"));
    }

    [Test]
    public void WriterRejectsInconsistentTensors()
    {
        string path = _dir.File("bad.safetensors");
        var wrongLength = new Dictionary<string, SafeTensor> { ["w"] = new SafeTensor("F32", [2, 2], new byte[12]) };
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, wrongLength))!;
        Assert.That(e.Message, Does.Contain("tensor 'w' of shape [2, 2] and dtype F32 needs 16 bytes, got 12"));
        var reserved = new Dictionary<string, SafeTensor> { ["__metadata__"] = SafeTensor.From(new float[1]) };
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, reserved));
        Assert.That(File.Exists(path), Is.False);
        Assert.That(Directory.GetFiles(_dir.Path), Is.Empty);
    }

    [Test]
    public void WriteReplacesAnExistingFile()
    {
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample());
        SafeTensorsFile.Write(path, new Dictionary<string, SafeTensor> { ["only"] = SafeTensor.From(new float[] { 42 }) });
        Assert.That(SafeTensorsFile.Read(path).Tensors.Keys, Is.EqualTo(new[] { "only" }));
        Assert.That(Directory.GetFiles(_dir.Path), Is.EqualTo(new[] { path }));
    }

    /// <summary>Memory whose bytes cannot be read: writing it fails half-way through the file.</summary>
    private sealed class FailingMemory(int length) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => throw new IOException("simulated disk failure");
        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();
        public override void Unpin() { }
        protected override void Dispose(bool disposing) { }
        public override Memory<byte> Memory => CreateMemory(length);
    }

    [Test]
    public void FailedWriteLeavesTheOldFileIntact()
    {
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample());
        byte[] before = File.ReadAllBytes(path);

        var failing = new Dictionary<string, SafeTensor>
        {
            ["good"] = SafeTensor.From(new double[] { 1, 2, 3 }),
            ["bad"] = new SafeTensor("F32", [4], new FailingMemory(16).Memory),
        };
        var e = Assert.Throws<IOException>(() => SafeTensorsFile.Write(path, failing))!;
        Assert.That(e.Message, Is.EqualTo("simulated disk failure"));
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
        Assert.That(Directory.GetFiles(_dir.Path), Is.EqualTo(new[] { path }), "the temporary file is removed");
    }

    [Test]
    public void PythonSafetensorsReadsOurFiles()
    {
        const string check = "import sys\nfrom safetensors.numpy import load_file\nt = load_file(sys.argv[1])\n" +
                             "print(t['features.0.weight'].dtype, t['features.0.weight'].shape, float(t['features.0.weight'][1, 2]), int(t['step']))";
        string path = _dir.File("model.safetensors");
        SafeTensorsFile.Write(path, Sample());
        string? output = RunPython(check, path);
        if (output is null) Assert.Ignore("the Python package 'safetensors' is not installed; compatibility not checked");
        Assert.That(output!.Trim(), Is.EqualTo("float32 (2, 3) 9.99999993922529e-08 1234567890123"));
    }

    /// <summary>Runs python3 with the script; null when python3 or the safetensors package is missing.</summary>
    private static string? RunPython(string script, string argument)
    {
        try
        {
            var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(script);
            info.ArgumentList.Add(argument);
            using var process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 && error.Contains("No module named 'safetensors'")) return null;
            if (process.ExitCode != 0) throw new AssertionException($"python3 failed: {error}");
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
