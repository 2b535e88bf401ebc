namespace Scratch.Training;

/// <summary>The rectangle charts draw data in, in SVG pixels (y grows downwards).</summary>
internal readonly record struct PlotArea(double Left, double Top, double Right, double Bottom)
{
    /// <summary>The x pixel of axis fraction <paramref name="f"/> (0 = left).</summary>
    public double X(double f) => Left + f * (Right - Left);

    /// <summary>The y pixel of axis fraction <paramref name="f"/> (0 = bottom).</summary>
    public double Y(double f) => Bottom - f * (Bottom - Top);
}
