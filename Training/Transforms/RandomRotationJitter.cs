namespace Scratch.Training;

/// <summary>
/// Image augmentation for [n, C, H, W] batches: each image is rotated about its centre by an angle drawn uniformly
/// from ±<see cref="MaxDegrees"/> (bilinear, zeros — the channel mean after standardisation — outside), and colour
/// images (C = 3) get colour jitter: contrast scaled by a factor in 1 ± <see cref="Jitter"/> about the image's mean,
/// then brightness shifted by ±<see cref="Jitter"/> (in standardised units).
/// </summary>
public sealed class RandomRotationJitter(double maxDegrees = 10, double jitter = 0.2) : IBatchTransform
{
    /// <summary>Largest rotation either way, in degrees.</summary>
    public double MaxDegrees { get; } = maxDegrees is >= 0 and <= 180 ? maxDegrees : throw new ArgumentOutOfRangeException(nameof(maxDegrees));

    /// <summary>Strength of the contrast and brightness jitter of colour images.</summary>
    public double Jitter { get; } = jitter is >= 0 and < 1 ? jitter : throw new ArgumentOutOfRangeException(nameof(jitter));

    /// <inheritdoc/>
    public (NDArray Inputs, NDArray Targets) Apply(NDArray inputs, NDArray targets, Generator generator)
    {
        if (inputs.Rank != 4) throw new ArgumentException($"RandomRotationJitter: expects images [n, C, H, W], got {inputs.ShapeString}");
        int n = inputs.Shape[0], c = inputs.Shape[1], h = inputs.Shape[2], w = inputs.Shape[3];
        var source = inputs.To(DType.Float32).ToArray<float>();
        var result = new float[source.Length];
        var draws = generator.NextDoubles(3 * n);
        Parallel.For(0, n, i =>
        {
            double angle = (draws[3 * i] * 2 - 1) * MaxDegrees * Math.PI / 180;
            double cos = Math.Cos(angle), sin = Math.Sin(angle), cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
            bool colour = c == 3 && Jitter > 0;
            double contrast = colour ? 1 + (draws[3 * i + 1] * 2 - 1) * Jitter : 1;
            double brightness = colour ? (draws[3 * i + 2] * 2 - 1) * Jitter : 0;
            for (int ch = 0; ch < c; ch++)
            {
                int plane = (i * c + ch) * h * w;
                double mean = 0;
                if (colour)
                {
                    for (int k = 0; k < h * w; k++) mean += source[plane + k];
                    mean /= h * w;
                }
                for (int y = 0; y < h; y++)
                {
                    for (int x = 0; x < w; x++)
                    {
                        // Inverse rotation: where in the source this output pixel comes from.
                        double sx = cos * (x - cx) + sin * (y - cy) + cx, sy = -sin * (x - cx) + cos * (y - cy) + cy;
                        double v = Sample(source, plane, h, w, sx, sy);
                        result[plane + y * w + x] = (float)(colour ? (v - mean) * contrast + mean + brightness : v);
                    }
                }
            }
        });
        return (NDArray.FromArray(result, inputs.ShapeArray()).To(inputs.DType), targets);
    }

    private static double Sample(float[] source, int plane, int h, int w, double x, double y)
    {
        if (x < -0.5 || y < -0.5 || x > w - 0.5 || y > h - 0.5) return 0;
        x = Math.Clamp(x, 0, w - 1);
        y = Math.Clamp(y, 0, h - 1);
        int xa = (int)x, ya = (int)y, xb = Math.Min(xa + 1, w - 1), yb = Math.Min(ya + 1, h - 1);
        double fx = x - xa, fy = y - ya;
        double top = source[plane + ya * w + xa] * (1 - fx) + source[plane + ya * w + xb] * fx;
        double bottom = source[plane + yb * w + xa] * (1 - fx) + source[plane + yb * w + xb] * fx;
        return top * (1 - fy) + bottom * fy;
    }
}
