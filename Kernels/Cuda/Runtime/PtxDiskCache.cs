using System.Security.Cryptography;
using System.Text;

namespace Scratch.Kernels.Cuda.Runtime;

/// <summary>
/// Compiled PTX on disk, keyed by a SHA-256 of everything that determines it (source, headers,
/// options, architecture, name expressions, NVRTC version). Lives in <c>$SCRATCH_CACHE_DIR/ptx</c>,
/// or <c>$XDG_CACHE_HOME/scratch/ptx</c>, or <c>~/.cache/scratch/ptx</c>. The cache is an
/// optimisation: any I/O problem just means compiling again.
/// </summary>
internal static class PtxDiskCache
{
    /// <summary>The variable that overrides the cache folder.</summary>
    public const string Variable = "SCRATCH_CACHE_DIR";

    /// <summary>The folder PTX files go to.</summary>
    public static string Folder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(root))
            {
                var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                root = string.IsNullOrWhiteSpace(xdg)
                    ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "scratch")
                    : Path.Combine(xdg, "scratch");
            }
            return Path.Combine(root, "ptx");
        }
    }

    /// <summary>The cache key for one compilation.</summary>
    public static string Key(string source, IReadOnlyDictionary<string, string> headers, IEnumerable<string> options,
        string architecture, IEnumerable<string> nameExpressions, string compilerVersion)
    {
        var text = new StringBuilder();
        text.Append(compilerVersion).Append('\0').Append(architecture).Append('\0');
        foreach (var option in options) text.Append(option).Append('\0');
        foreach (var expression in nameExpressions) text.Append(expression).Append('\0');
        foreach (var header in headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            text.Append(header.Key).Append('\0').Append(header.Value).Append('\0');
        text.Append(source);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Reads a cached compilation, or returns null.</summary>
    public static CudaCompilation? TryRead(string key, string architecture)
    {
        try
        {
            var ptxPath = Path.Combine(Folder, key + ".ptx");
            var namesPath = Path.Combine(Folder, key + ".names");
            if (!File.Exists(ptxPath) || !File.Exists(namesPath)) return null;
            var lowered = new Dictionary<string, string>();
            foreach (var line in File.ReadAllLines(namesPath))
            {
                int tab = line.IndexOf('\t');
                if (tab > 0) lowered[line[..tab]] = line[(tab + 1)..];
            }
            return new CudaCompilation(File.ReadAllText(ptxPath), lowered, "", architecture);
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>Stores a compilation (names first, then the PTX, each written to a temporary file and moved into place).</summary>
    public static void Write(string key, CudaCompilation compilation)
    {
        try
        {
            Directory.CreateDirectory(Folder);
            WriteAtomically(Path.Combine(Folder, key + ".names"),
                string.Join('\n', compilation.LoweredNames.Select(p => $"{p.Key}\t{p.Value}")));
            WriteAtomically(Path.Combine(Folder, key + ".ptx"), compilation.Ptx);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
