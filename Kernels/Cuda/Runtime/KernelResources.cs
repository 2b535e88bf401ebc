using System.Reflection;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// The CUDA sources and headers embedded in Scratch.Kernels (logical names
/// <c>Scratch.Kernels.Cuda.Kernels/&lt;path&gt;</c>). Headers are handed to NVRTC under their path
/// below <c>Kernels/</c>, which is how sources <c>#include</c> them.
/// </summary>
internal static class KernelResources
{
    private const string Prefix = "Scratch.Kernels.Cuda.Kernels/";
    private static readonly Lazy<Dictionary<string, string>> _files = new(LoadAll);
    private static readonly Lazy<IReadOnlyDictionary<string, string>> _headers = new(()
        => _files.Value.Where(f => f.Key.EndsWith(".cuh", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value));

    /// <summary>Paths of every embedded <c>.cu</c> source.</summary>
    public static IReadOnlyList<string> SourcePaths
        => [.. _files.Value.Keys.Where(k => k.EndsWith(".cu", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    /// <summary>Every header, by include name.</summary>
    public static IReadOnlyDictionary<string, string> Headers => _headers.Value;

    /// <summary>The text of the source at <paramref name="path"/>.</summary>
    public static string Source(string path)
        => _files.Value.TryGetValue(path, out var text)
            ? text
            : throw new InvalidOperationException($"cuda: no embedded kernel source '{path}' (have: {string.Join(", ", SourcePaths)})");

    private static Dictionary<string, string> LoadAll()
    {
        var assembly = typeof(KernelResources).Assembly;
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            // RecursiveDir uses the build machine's separator; normalise to '/'.
            var normalised = name.Replace('\\', '/');
            if (!normalised.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            files[normalised[Prefix.Length..]] = reader.ReadToEnd();
        }
        return files;
    }
}
