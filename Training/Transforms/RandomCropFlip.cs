namespace Scratch.Training;

/// <summary>
/// Image augmentation for [n, C, H, W] batches: each image is zero-padded by <see cref="Padding"/>,
/// cropped back to H×W at a random offset, and mirrored left-right with probability
/// <see cref="FlipProbability"/>.
/// </summary>
public sealed class RandomCropFlip(int padding = 2, double flipProbability = 0.5) : IBatchTransform
{
    /// <summary>Zero padding on each side before cropping.</summary>
    public int Padding { get; } = padding >= 0 ? padding : throw new ArgumentOutOfRangeException(nameof(padding));

    /// <summary>Probability of a horizontal flip.</summary>
    public double FlipProbability { get; } = flipProbability is >= 0 and <= 1 ? flipProbability : throw new ArgumentOutOfRangeException(nameof(flipProbability));

    /// <inheritdoc/>
    public (NDArray Inputs, NDArray Targets) Apply(NDArray inputs, NDArray targets, Generator generator)
    {
        if (inputs.Rank != 4) throw new ArgumentException($"RandomCropFlip: expects images [n, C, H, W], got {inputs.ShapeString}");
        int n = inputs.Shape[0], c = inputs.Shape[1], h = inputs.Shape[2], w = inputs.Shape[3];
        var source = inputs.ToArray<float>();
        var result = new float[source.Length];
        var draws = generator.NextDoubles(3 * n);
        int span = 2 * Padding + 1;
        Parallel.For(0, n, i =>
        {
            int dy = (int)(draws[3 * i] * span) - Padding;
            int dx = (int)(draws[3 * i + 1] * span) - Padding;
            bool flip = draws[3 * i + 2] < FlipProbability;
            for (int ch = 0; ch < c; ch++)
            {
                int plane = (i * c + ch) * h * w;
                for (int y = 0; y < h; y++)
                {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++)
                    {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        result[plane + y * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? source[plane + sy * w + sx] : 0f;
                    }
                }
            }
        });
        var output = NDArray.FromArray(result, inputs.ShapeArray()).To(inputs.DType);
        return (output, targets);
    }
}
