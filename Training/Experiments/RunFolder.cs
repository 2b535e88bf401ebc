namespace Scratch.Training;

/// <summary>
/// The folder a run writes to: chosen so that two runs never share one (unique default names, a refused reused
/// <c>--run-name</c>, a lock file while a run is in it), kept inside the output folder, and swept of the
/// temporary files a killed run left behind.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>Name of the lock file held while a run writes to the folder.</summary>
    public const string LockFileName = ".lock";

    private readonly FileStream _lock;

    private RunFolder(string path, FileStream lockStream)
    {
        Path = path;
        _lock = lockStream;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>
    /// Picks the run folder and locks it. A resumed run continues in the folder its checkpoint lies in
    /// (<c>RUN/checkpoints/last.safetensors</c>), never in one named inside the checkpoint, unless
    /// <c>--run-name</c> asks for another or the checkpoint lies outside a given <c>--out</c> (a copied
    /// checkpoint): then, as a new run, it gets <c>out/name</c>, where a default name is made unique and a given
    /// one must not hold a run already.
    /// </summary>
    /// <exception cref="ArgumentException">The run name is not a plain folder name.</exception>
    /// <exception cref="IOException">The folder holds another run, or another process has it locked.</exception>
    public static RunFolder Open(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? existing = options.Resume is null ? null : FolderOfCheckpoint(options.Resume);
        string root = System.IO.Path.GetFullPath(options.Out);
        bool elsewhere = existing is not null && options.Given?.Contains("out") == true
            && !existing.StartsWith(root.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
        bool renamed = options.RunName is not null && options.IsGiven("run-name");
        string path = existing is not null && !elsewhere && !renamed ? existing : NewFolder(options, existing);
        Directory.CreateDirectory(path);
        var folder = new RunFolder(path, Lock(path));
        folder.RemoveOrphans();
        return folder;
    }

    /// <summary>The run folder of a checkpoint at <c>RUN/checkpoints/FILE</c>, or null for one stored elsewhere.</summary>
    public static string? FolderOfCheckpoint(string checkpointPath)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(checkpointPath));
        if (directory is null || System.IO.Path.GetFileName(directory) != "checkpoints") return null;
        return System.IO.Path.GetDirectoryName(directory);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();

    private static string NewFolder(ExperimentOptions options, string? resumedFrom)
    {
        string root = System.IO.Path.GetFullPath(options.Out);
        if (options.RunName is { } name)
        {
            CheckName(name);
            string path = System.IO.Path.Combine(root, name);
            if (path != resumedFrom && HoldsRun(path))
                throw new IOException($"--run-name '{name}': {path} already holds a run; choose another name, or continue it with --resume {System.IO.Path.Combine(path, "checkpoints", "last.safetensors")}");
            return path;
        }
        string stem = $"{options.Model}-{options.Dataset}-{DateTime.Now:yyyyMMdd-HHmmss-fff}";
        string candidate = System.IO.Path.Combine(root, stem);
        for (int i = 2; Directory.Exists(candidate); i++) candidate = System.IO.Path.Combine(root, $"{stem}-{i}");
        return candidate;
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"--run-name '{name}': must be a plain folder name (no '/', '\\', '.' or '..'), created inside --out");
    }

    private static bool HoldsRun(string path)
        => File.Exists(System.IO.Path.Combine(path, MetricsLog.CsvFileName)) || Directory.Exists(System.IO.Path.Combine(path, "checkpoints"));

    private static FileStream Lock(string path)
    {
        string file = System.IO.Path.Combine(path, LockFileName);
        try
        {
            // FileShare.None takes an exclusive advisory lock, which the system drops when the process dies.
            var stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write($"{Environment.ProcessId}\n");
            stream.Flush();
            return stream;
        }
        catch (IOException e)
        {
            throw new IOException($"run folder {path} is in use by another scratch process (lock {file}); wait for it, or pick another --run-name", e);
        }
    }

    /// <summary>Deletes the temporary files of atomic writes that a killed run left (<c>NAME.tmp-XXXX</c>); the lock guarantees no writer is alive.</summary>
    private void RemoveOrphans()
    {
        foreach (var directory in new[] { Path, System.IO.Path.Combine(Path, "checkpoints") })
        {
            if (!Directory.Exists(directory)) continue;
            foreach (var file in Directory.EnumerateFiles(directory, "*.tmp-*")) File.Delete(file);
        }
    }
}
