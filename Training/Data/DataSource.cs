namespace Scratch.Training;

/// <summary>Where a dataset was found.</summary>
public enum DataSourceKind
{
    /// <summary>A folder the user named (e.g. <c>--data DIR</c>).</summary>
    UserDirectory,

    /// <summary>The full dataset installed on the system (e.g. Debian's <c>/usr/share/datasets/fashion-mnist</c>).</summary>
    System,

    /// <summary>The subset shipped in the repository's <c>data/</c> folder.</summary>
    Builtin,
}

/// <summary>A located dataset: its folder, where it came from, and a sentence saying so for logs and reports.</summary>
/// <param name="Directory">The folder that holds the dataset's files.</param>
/// <param name="Kind">Whether the folder was named by the user, found on the system, or shipped with Scratch.</param>
/// <param name="Description">E.g. "full Fashion-MNIST (60,000 train / 10,000 test) from /usr/share/datasets/fashion-mnist".</param>
public sealed record DataSource(string Directory, DataSourceKind Kind, string Description);
