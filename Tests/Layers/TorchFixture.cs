using System.Text.Json;
using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>
/// A committed fixture of PyTorch values (Fixtures/*.json, made by the script beside it with Debian's
/// python3-torch): named cases, each with named float64 tensors and its arguments.
/// </summary>
internal sealed class TorchFixture
{
    private readonly JsonElement _root;

    private TorchFixture(JsonElement root) => _root = root;

    /// <summary>Reads Fixtures/<paramref name="file"/> from beside the test assembly.</summary>
    public static TorchFixture Load(string file)
    {
        string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", file);
        using var stream = File.OpenRead(path);
        return new TorchFixture(JsonDocument.Parse(stream).RootElement.Clone());
    }

    /// <summary>The torch version that wrote the file.</summary>
    public string TorchVersion => _root.GetProperty("torch").GetString()!;

    /// <summary>Every case's name.</summary>
    public IEnumerable<string> Names => _root.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    /// <summary>The case called <paramref name="name"/>.</summary>
    public Case this[string name] => new(_root.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name));

    /// <summary>One case.</summary>
    public sealed class Case(JsonElement element)
    {
        /// <summary>A top-level field (or one under "args" when the case has them).</summary>
        public JsonElement Arg(string name)
            => element.TryGetProperty(name, out var value) ? value : element.GetProperty("args").GetProperty(name);

        /// <summary>PyTorch's <c>named_parameters()</c> names, in order.</summary>
        public string[] Parameters => element.GetProperty("parameters").EnumerateArray().Select(p => p.GetString()!).ToArray();

        /// <summary>Whether the case has tensor <paramref name="key"/>.</summary>
        public bool Has(string key) => element.GetProperty("tensors").TryGetProperty(key, out _);

        /// <summary>The shape of tensor <paramref name="key"/>.</summary>
        public int[] Shape(string key) => element.GetProperty("tensors").GetProperty(key).GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();

        /// <summary>The values of tensor <paramref name="key"/>, flattened.</summary>
        public double[] Values(string key) => element.GetProperty("tensors").GetProperty(key).GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();

        /// <summary>Tensor <paramref name="key"/> in float64.</summary>
        public Tensor Tensor(string key, bool requiresGrad = false) => Scratch.Tensor.FromArray(Values(key), Shape(key), requiresGrad);

        /// <summary>The parameters as a state dict.</summary>
        public Dictionary<string, NDArray> StateDict() => Parameters.ToDictionary(p => p, p => Tensor("param." + p).Data);

        /// <summary>Asserts <paramref name="actual"/> has tensor <paramref name="key"/>'s shape and values (|a − e| ≤ 1e-10 + 1e-8·|e|).</summary>
        public void AssertMatches(string key, Tensor? actual, string what)
        {
            Assert.That(actual, Is.Not.Null, $"{what}: missing");
            Assert.That(actual!.Shape, Is.EqualTo(Shape(key)), $"{what}: shape");
            LayerTesting.AssertClose(actual.Data.To(DType.Float64).ToArray<double>(), Values(key), atol: 1e-10, rtol: 1e-8, what: what);
        }
    }
}
