namespace Scratch.Training;

/// <summary>
/// An image classification folder: one sub-folder per class (its name is the class name, classes sorted ordinally),
/// holding PNG, JPEG or BMP files, grey or colour. Every image is decoded and brought to size × size
/// (<see cref="ImageDecoder"/>); the images are grey (1 channel) when every picture is grey (however stored), else RGB (3).
/// </summary>
/// <param name="Pixels">All images, [Count, Channels, Size, Size] row-major, values in [0, 1].</param>
/// <param name="Labels">The class index of each image.</param>
/// <param name="ClassNames">The sub-folder names, indexed by label.</param>
/// <param name="Channels">1 or 3.</param>
/// <param name="Size">Height and width.</param>
/// <param name="Paths">The file of each image.</param>
/// <param name="Skipped">Files that could not be decoded and were skipped, each with the reason.</param>
public sealed record ImageFolder(float[] Pixels, int[] Labels, IReadOnlyList<string> ClassNames, int Channels, int Size,
    IReadOnlyList<string> Paths, IReadOnlyList<string> Skipped)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Reads <paramref name="directory"/>; an undecodable file fails the load, or is skipped and listed when <paramref name="skipBad"/>.</summary>
    /// <exception cref="InvalidDataException">The folder has no class sub-folders or no images, or (without <paramref name="skipBad"/>) a file cannot be decoded.</exception>
    public static ImageFolder Load(string directory, int size, bool skipBad)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"image folder '{directory}' does not exist");
        var classes = Directory.GetDirectories(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
            throw new InvalidDataException($"{directory}: an image folder needs one sub-folder per class, at least 2; found {classes.Length}");
        var files = new List<(string Path, int Label)>();
        for (int k = 0; k < classes.Length; k++)
        {
            var images = Directory.GetFiles(Path.Combine(directory, classes[k]))
                .Where(f => ImageDecoder.Extensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal).ToArray();
            if (images.Length == 0) throw new InvalidDataException($"{Path.Combine(directory, classes[k])}: no PNG, JPEG or BMP files in class '{classes[k]}'");
            files.AddRange(images.Select(f => (f, k)));
        }

        // Decode as RGB first; the channel count is known only once every file has been seen.
        var decoded = new (float[] Pixels, bool Colour)?[files.Count];
        var errors = new string?[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            try
            {
                decoded[i] = ImageDecoder.Decode(files[i].Path, size, 3);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                // A bad file's InvalidDataException already names it.
                errors[i] = e is InvalidDataException ? e.Message : $"{files[i].Path}: {e.Message}";
            }
        });
        var skipped = errors.Where(e => e is not null).Select(e => e!).ToArray();
        if (skipped.Length > 0 && !skipBad)
            throw new InvalidDataException($"{skipped[0]}{(skipped.Length > 1 ? $" (and {skipped.Length - 1} more bad images)" : "")}; --bad-images skip leaves them out");
        var kept = Enumerable.Range(0, files.Count).Where(i => decoded[i] is not null).ToArray();
        if (kept.Length == 0) throw new InvalidDataException($"{directory}: no image could be decoded");
        int channels = kept.Any(i => decoded[i]!.Value.Colour) ? 3 : 1;
        int plane = size * size;
        var pixels = new float[(long)kept.Length * channels * plane];
        for (int j = 0; j < kept.Length; j++)
        {
            var rgb = decoded[kept[j]]!.Value.Pixels;
            // A grey file decoded as RGB has three equal planes: keep one.
            Array.Copy(rgb, 0, pixels, (long)j * channels * plane, channels * plane);
        }
        return new ImageFolder(pixels, [.. kept.Select(i => files[i].Label)], classes, channels, size, [.. kept.Select(i => files[i].Path)], skipped);
    }
}
