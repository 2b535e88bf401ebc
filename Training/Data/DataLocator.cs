using System.Globalization;

namespace Scratch.Training;

/// <summary>
/// Finds Scratch's <c>data/</c> folder (the datasets shipped with the repository) and decides which copy of
/// Fashion-MNIST to use.
/// </summary>
public static class DataLocator
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the full set.</summary>
    public const string SystemFashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Environment variable that, when set, names the data folder and overrides the search.</summary>
    public const string DataEnvironmentVariable = "SCRATCH_DATA";

    /// <summary>The value of <c>--data</c> that selects the built-in subset even when the full set is installed.</summary>
    public const string BuiltinKeyword = "builtin";

    /// <summary>A file every Scratch data folder has; it tells our <c>data/</c> apart from any other.</summary>
    public const string MarkerFile = "fashion-mnist/README.md";

    /// <summary>
    /// The data folder: <c>$SCRATCH_DATA</c> if set; else the first <c>data/</c> folder holding <see cref="MarkerFile"/>
    /// found walking up from the executable's folder (which finds data copied next to the binary, and the repository
    /// when run from a build folder), then from the current directory. Null if there is none.
    /// </summary>
    public static string? FindDataRoot()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataEnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        return FindDataRoot([AppContext.BaseDirectory, Directory.GetCurrentDirectory()]);
    }

    /// <summary>The first <c>data/</c> folder holding <see cref="MarkerFile"/> at or above any of <paramref name="startDirectories"/>.</summary>
    public static string? FindDataRoot(IEnumerable<string> startDirectories)
    {
        ArgumentNullException.ThrowIfNull(startDirectories);
        foreach (string start in startDirectories)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, MarkerFile))) return candidate;
            }
        }
        return null;
    }

    /// <summary>Like <see cref="FindDataRoot()"/>, but throws a message that says where it looked.</summary>
    /// <exception cref="DirectoryNotFoundException">No data folder was found.</exception>
    public static string RequireDataRoot() =>
        FindDataRoot() ?? throw new DirectoryNotFoundException(
            $"Scratch's data folder was not found: no data/{MarkerFile} in or above {AppContext.BaseDirectory} " +
            $"or {Directory.GetCurrentDirectory()}. Set {DataEnvironmentVariable} to the folder, or copy data/ next to the executable.");

    /// <summary>
    /// Chooses Fashion-MNIST: <paramref name="dataOption"/> as a folder when given; <c>"builtin"</c> for the shipped
    /// subset; when null, the full set in <see cref="SystemFashionMnistDirectory"/> if installed, else the subset.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The named folder, or the shipped subset, is missing or incomplete.</exception>
    public static DataSource LocateFashionMnist(string? dataOption) =>
        LocateFashionMnist(dataOption, SystemFashionMnistDirectory, FindDataRoot);

    /// <summary>
    /// <see cref="LocateFashionMnist(string?)"/> with the system folder and the data-folder search supplied by the caller
    /// (for tests and unusual installations).
    /// </summary>
    public static DataSource LocateFashionMnist(string? dataOption, string systemDirectory, Func<string?> findDataRoot)
    {
        ArgumentNullException.ThrowIfNull(findDataRoot);
        if (!string.IsNullOrEmpty(dataOption) && !string.Equals(dataOption, BuiltinKeyword, StringComparison.OrdinalIgnoreCase))
        {
            string dir = Path.GetFullPath(dataOption);
            if (!FashionMnist.IsPresent(dir))
            {
                throw new DirectoryNotFoundException(
                    $"--data {dataOption}: {dir} does not hold Fashion-MNIST ({MissingFiles(dir)}); " +
                    $"use '--data {BuiltinKeyword}' for the built-in subset");
            }
            return new DataSource(dir, DataSourceKind.UserDirectory, $"Fashion-MNIST ({Counts(dir)}) from {dir}");
        }

        if (dataOption is null or "" && FashionMnist.IsPresent(systemDirectory))
        {
            return new DataSource(systemDirectory, DataSourceKind.System,
                $"full Fashion-MNIST ({Counts(systemDirectory)}) from {systemDirectory}");
        }

        string root = findDataRoot() ?? throw new DirectoryNotFoundException(
            $"Fashion-MNIST: the full set is not installed in {systemDirectory} and Scratch's data folder " +
            $"(with the built-in subset) was not found; set {DataEnvironmentVariable} or pass --data DIR");
        string builtin = Path.Combine(root, "fashion-mnist");
        if (!FashionMnist.IsPresent(builtin))
            throw new DirectoryNotFoundException($"built-in Fashion-MNIST subset incomplete in {builtin} ({MissingFiles(builtin)})");
        return new DataSource(builtin, DataSourceKind.Builtin,
            $"built-in subset of Fashion-MNIST ({Counts(builtin)}, class-balanced) from {builtin}");
    }

    private static string Counts(string directory)
    {
        var (train, test) = FashionMnist.CountExamples(directory);
        return string.Create(CultureInfo.InvariantCulture, $"{train:N0} train / {test:N0} test");
    }

    private static string MissingFiles(string directory)
    {
        if (!Directory.Exists(directory)) return "no such folder";
        var missing = new[] { FashionMnist.TrainImages, FashionMnist.TrainLabels, FashionMnist.TestImages, FashionMnist.TestLabels }
            .Where(stem => FashionMnist.FindFile(directory, stem) is null)
            .Select(stem => stem + "[.gz]");
        return "missing " + string.Join(", ", missing);
    }
}
