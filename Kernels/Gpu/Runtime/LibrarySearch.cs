using System.Runtime.InteropServices;

namespace Scratch.Kernels.Gpu.Runtime;

/// <summary>What to look for: a native library's file names and where it usually lives.</summary>
/// <param name="Description">Human name for messages, e.g. <c>the CUDA driver (libcuda)</c>.</param>
/// <param name="OverrideVariable">Environment variable naming a file or folder that replaces the search.</param>
/// <param name="FileNames">File names to try, most preferred first.</param>
/// <param name="Directories">Folders to look in after LD_LIBRARY_PATH, before the default loader.</param>
internal sealed record LibrarySpec(string Description, string OverrideVariable, IReadOnlyList<string> FileNames, IReadOnlyList<string> Directories);

/// <summary>The outcome of a search: a loaded handle, or the list of everything tried and why it failed.</summary>
internal sealed class LibraryLocation
{
    internal LibraryLocation(LibrarySpec spec, nint handle, string? path, IReadOnlyList<string> attempts, IReadOnlyList<string> searched)
    {
        Spec = spec;
        Handle = handle;
        Path = path;
        Attempts = attempts;
        Searched = searched;
    }

    /// <summary>What was looked for.</summary>
    public LibrarySpec Spec { get; }

    /// <summary>The loaded library, or 0.</summary>
    public nint Handle { get; }

    /// <summary>The file or name that loaded, when found.</summary>
    public string? Path { get; }

    /// <summary>Each concrete load attempt and its error (files that existed but failed, and default-loader names).</summary>
    public IReadOnlyList<string> Attempts { get; }

    /// <summary>The folders (or override) searched, in order.</summary>
    public IReadOnlyList<string> Searched { get; }

    /// <summary>True when the library loaded.</summary>
    public bool Found => Handle != 0;

    /// <summary>A message naming what was looked for and where, for when it was not found.</summary>
    public string FailureMessage()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Spec.Description).Append(" not found: looked for ").Append(string.Join(", ", Spec.FileNames));
        text.Append(" in ").Append(Searched.Count == 0 ? "(no folders)" : string.Join(", ", Searched));
        if (Attempts.Count > 0) text.Append("; tried: ").Append(string.Join("; ", Attempts));
        text.Append(". Set ").Append(Spec.OverrideVariable).Append(" to the library file or its folder.");
        return text.ToString();
    }
}

/// <summary>
/// Finds and loads a native library the way Scratch documents: the override variable (a file or a
/// folder; when set, nothing else is searched, so a wrong path is reported instead of silently
/// bypassed), then LD_LIBRARY_PATH, then the usual CUDA folders, then the system's default loader.
/// Every place tried is recorded for the failure message.
/// </summary>
internal static class LibrarySearch
{
    /// <summary>Searches for <paramref name="spec"/>, with the override value and LD_LIBRARY_PATH given explicitly (testable).</summary>
    public static LibraryLocation Locate(LibrarySpec spec, string? overrideValue, string? ldLibraryPath)
    {
        var attempts = new List<string>();
        var searched = new List<string>();

        if (!string.IsNullOrWhiteSpace(overrideValue))
        {
            searched.Add($"{spec.OverrideVariable}={overrideValue}");
            if (File.Exists(overrideValue))
                return TryFile(spec, overrideValue, attempts, searched) ?? new LibraryLocation(spec, 0, null, attempts, searched);
            if (Directory.Exists(overrideValue))
            {
                foreach (var name in spec.FileNames)
                {
                    var candidate = System.IO.Path.Combine(overrideValue, name);
                    if (File.Exists(candidate) && TryFile(spec, candidate, attempts, searched) is { } found) return found;
                }
                attempts.Add($"{overrideValue}: none of {string.Join(", ", spec.FileNames)} loads from this folder");
            }
            else
            {
                attempts.Add($"{overrideValue}: no such file or directory");
            }
            return new LibraryLocation(spec, 0, null, attempts, searched);
        }

        var folders = new List<string>();
        if (!string.IsNullOrEmpty(ldLibraryPath))
            folders.AddRange(ldLibraryPath.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        folders.AddRange(spec.Directories);
        foreach (var folder in folders.Distinct())
        {
            if (!Directory.Exists(folder)) continue;
            searched.Add(folder);
            foreach (var name in spec.FileNames)
            {
                var candidate = System.IO.Path.Combine(folder, name);
                if (File.Exists(candidate) && TryFile(spec, candidate, attempts, searched) is { } found) return found;
            }
        }

        searched.Add("the default loader");
        foreach (var name in spec.FileNames)
        {
            try
            {
                var handle = NativeLibrary.Load(name);
                return new LibraryLocation(spec, handle, name, attempts, searched);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                attempts.Add(Attempt(name, e));
            }
        }
        return new LibraryLocation(spec, 0, null, attempts, searched);
    }

    private static LibraryLocation? TryFile(LibrarySpec spec, string path, List<string> attempts, List<string> searched)
    {
        try
        {
            return new LibraryLocation(spec, NativeLibrary.Load(path), path, attempts, searched);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            attempts.Add(Attempt(path, e));
            return null;
        }
    }

    // "what: loader error", without repeating the name when the loader's message already starts with it.
    private static string Attempt(string what, Exception e)
    {
        string detail = LoaderError(e.Message);
        return detail.StartsWith(what + ":", StringComparison.Ordinal) ? detail : $"{what}: {detail}";
    }

    // .NET's DllNotFoundException starts with a generic advice sentence; the loader's own error
    // (e.g. "libcuda.so.1: cannot open shared object file: No such file or directory") follows it.
    private static string LoaderError(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var specific = lines.Where(l => !l.StartsWith("Unable to load shared library", StringComparison.Ordinal)).ToArray();
        return specific.Length > 0 ? string.Join(" ", specific) : "could not be loaded";
    }
}
