namespace Scratch.Training;

/// <summary>
/// Colours for chart series: the Okabe-Ito palette, which stays distinguishable for colour-blind readers and in
/// grayscale print (yellow, too pale on white, is left out).
/// </summary>
public static class ChartPalette
{
    /// <summary>The series colours in order of use.</summary>
    public static IReadOnlyList<string> Series { get; } =
        ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"];

    /// <summary>The colour of series number <paramref name="index"/> (cycling).</summary>
    public static string At(int index) => Series[((index % Series.Count) + Series.Count) % Series.Count];

    /// <summary>
    /// A sequential colour from white (t = 0) to dark blue (t = 1) for heat maps, interpolated in RGB between
    /// a few stops of a perceptually ordered blue ramp.
    /// </summary>
    public static string Sequential(double t)
    {
        ReadOnlySpan<(double T, int R, int G, int B)> stops =
        [
            (0.00, 0xF7, 0xFB, 0xFF), (0.25, 0xC6, 0xDB, 0xEF), (0.50, 0x6B, 0xAE, 0xD6),
            (0.75, 0x21, 0x71, 0xB5), (1.00, 0x08, 0x30, 0x6B),
        ];
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        int i = 1;
        while (i < stops.Length - 1 && t > stops[i].T) i++;
        var (t0, r0, g0, b0) = stops[i - 1];
        var (t1, r1, g1, b1) = stops[i];
        double u = (t - t0) / (t1 - t0);
        return $"#{Lerp(r0, r1, u):X2}{Lerp(g0, g1, u):X2}{Lerp(b0, b1, u):X2}";
    }

    /// <summary>Whether text on <see cref="Sequential"/>(t) should be white rather than dark, for contrast.</summary>
    public static bool NeedsLightText(double t) => t > 0.55;

    private static int Lerp(int a, int b, double u) => (int)Math.Round(a + (b - a) * u);
}
