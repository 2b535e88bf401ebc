using System.Globalization;
using System.Text;
using static Scratch.Training.SvgText;

namespace Scratch.Training;

/// <summary>One line of a <see cref="SvgLineChart"/>.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="X">X values.</param>
/// <param name="Y">Y values (NaN leaves a gap in the line).</param>
/// <param name="Color">Stroke colour (CSS colour).</param>
/// <param name="Dashed">Draw a dashed line (e.g. for validation curves).</param>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, string Color, bool Dashed);

/// <summary>
/// A line chart as inline SVG: axes with nice ticks and labels, light grid lines, a legend above the plot (where it
/// cannot hide data), markers with hover titles when there are few points, and an optional logarithmic y axis.
/// </summary>
public sealed class SvgLineChart : ISvgChart
{
    private const double TickFont = 11;
    private readonly List<LineSeries> _series = [];

    /// <summary>Creates a chart with a title and axis labels.</summary>
    public SvgLineChart(string title, string xLabel, string yLabel)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
    }

    /// <summary>Chart title.</summary>
    public string Title { get; }

    /// <summary>X axis label.</summary>
    public string XLabel { get; }

    /// <summary>Y axis label.</summary>
    public string YLabel { get; }

    /// <summary>Width in pixels.</summary>
    public double Width { get; init; } = 540;

    /// <summary>Height in pixels.</summary>
    public double Height { get; init; } = 340;

    /// <summary>Use a base-10 logarithmic y axis (non-positive values are left out).</summary>
    public bool LogY { get; init; }

    /// <summary>Fixed lower end of the y axis (default: from the data).</summary>
    public double? YMin { get; init; }

    /// <summary>Fixed upper end of the y axis (default: from the data).</summary>
    public double? YMax { get; init; }

    /// <summary>Draw point markers when a series has at most this many points.</summary>
    public int MaxMarkers { get; init; } = 60;

    /// <summary>The series added so far.</summary>
    public IReadOnlyList<LineSeries> Series => _series;

    /// <summary>Adds a series; the colour defaults to the next palette colour.</summary>
    /// <exception cref="ArgumentException">X and Y differ in length.</exception>
    public SvgLineChart Add(string name, IReadOnlyList<double> x, IReadOnlyList<double> y, string? color = null, bool dashed = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"line chart '{Title}': series '{name}' has {x.Count} x values and {y.Count} y values");
        _series.Add(new LineSeries(name, x, y, color ?? ChartPalette.At(_series.Count), dashed));
        return this;
    }

    /// <inheritdoc/>
    public string ToSvg()
    {
        var sb = new StringBuilder();
        OpenSvg(sb, Width, Height, Title);
        sb.Append(SvgText.Title(Width, Title));
        double legendBottom = DrawLegend(sb, top: 34);

        var points = _series.SelectMany(s => s.X.Zip(s.Y)).Where(p => Usable(p.First, p.Second)).ToList();
        if (points.Count == 0)
        {
            sb.Append(Text(Width / 2, Height / 2, "no data", "middle", 13, "#888888"));
            return sb.Append("</svg>\n").ToString();
        }

        bool integerX = points.All(p => p.First == Math.Round(p.First));
        // The x axis ends at the data (epochs 1..20, not 0..20); the y axis ends at round ticks, easier to read off.
        var xScale = NiceScale.Linear(points.Min(p => p.First), points.Max(p => p.First), 8, integerX, tight: true);
        double yLo = YMin ?? points.Min(p => p.Second), yHi = YMax ?? points.Max(p => p.Second);
        var yScale = LogY ? NiceScale.Log(yLo, yHi) : NiceScale.Linear(yLo, yHi, 6);

        double yLabelsWidth = yScale.Ticks.Max(t => TextWidth(yScale.Format(t), TickFont));
        var plot = new PlotArea(Left: 22 + yLabelsWidth + 8, Top: legendBottom + 10, Right: Width - 18, Bottom: Height - 46);

        DrawAxes(sb, plot, xScale, yScale);
        foreach (var series in _series) DrawSeries(sb, plot, series, xScale, yScale);
        return sb.Append("</svg>\n").ToString();
    }

    private bool Usable(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!LogY || y > 0);

    /// <summary>Legend items left to right, wrapping; returns the y below the last row.</summary>
    private double DrawLegend(StringBuilder sb, double top)
    {
        if (_series.Count == 0) return top;
        double x = 16, y = top + 10;
        foreach (var series in _series)
        {
            double itemWidth = 26 + TextWidth(series.Name, 12) + 16;
            if (x + itemWidth > Width - 16 && x > 16)
            {
                x = 16;
                y += 18;
            }
            sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(y)}\" x2=\"{N(x + 22)}\" y2=\"{N(y)}\" stroke=\"{series.Color}\" stroke-width=\"2.5\"")
              .Append(series.Dashed ? " stroke-dasharray=\"6 4\"/>\n" : "/>\n");
            sb.Append(Text(x + 26, y + 4, series.Name));
            x += itemWidth;
        }
        return y + 8;
    }

    private void DrawAxes(StringBuilder sb, PlotArea plot, NiceScale xScale, NiceScale yScale)
    {
        sb.Append("<g class=\"grid\" stroke=\"#e6e6e6\" stroke-width=\"1\">\n");
        foreach (double t in yScale.Ticks)
        {
            double y = plot.Y(yScale.Fraction(t));
            sb.Append($"<line x1=\"{N(plot.Left)}\" y1=\"{N(y)}\" x2=\"{N(plot.Right)}\" y2=\"{N(y)}\"/>\n");
        }
        foreach (double t in xScale.Ticks)
        {
            double x = plot.X(xScale.Fraction(t));
            sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(plot.Top)}\" x2=\"{N(x)}\" y2=\"{N(plot.Bottom)}\"/>\n");
        }
        sb.Append("</g>\n");

        sb.Append($"<rect x=\"{N(plot.Left)}\" y=\"{N(plot.Top)}\" width=\"{N(plot.Right - plot.Left)}\" height=\"{N(plot.Bottom - plot.Top)}\" ")
          .Append("fill=\"none\" stroke=\"#888888\" stroke-width=\"1\"/>\n");

        foreach (double t in yScale.Ticks)
        {
            double y = plot.Y(yScale.Fraction(t));
            sb.Append($"<line x1=\"{N(plot.Left - 4)}\" y1=\"{N(y)}\" x2=\"{N(plot.Left)}\" y2=\"{N(y)}\" stroke=\"#888888\"/>\n");
            sb.Append(Text(plot.Left - 7, y + 4, yScale.Format(t), "end", TickFont, "#555555"));
        }

        // Skip x labels that would collide with the previous one.
        double lastRight = double.NegativeInfinity;
        foreach (double t in xScale.Ticks)
        {
            double x = plot.X(xScale.Fraction(t));
            string label = xScale.Format(t);
            double half = TextWidth(label, TickFont) / 2;
            sb.Append($"<line x1=\"{N(x)}\" y1=\"{N(plot.Bottom)}\" x2=\"{N(x)}\" y2=\"{N(plot.Bottom + 4)}\" stroke=\"#888888\"/>\n");
            if (x - half < lastRight + 6) continue;
            sb.Append(Text(x, plot.Bottom + 17, label, "middle", TickFont, "#555555"));
            lastRight = x + half;
        }

        sb.Append(Text((plot.Left + plot.Right) / 2, Height - 10, XLabel, "middle", 12, "#333333"));
        double midY = (plot.Top + plot.Bottom) / 2;
        sb.Append(Text(15, midY, YLabel, "middle", 12, "#333333", $" transform=\"rotate(-90 15 {N(midY)})\""));
    }

    private void DrawSeries(StringBuilder sb, PlotArea plot, LineSeries series, NiceScale xScale, NiceScale yScale)
    {
        var path = new StringBuilder();
        bool penDown = false;
        int usable = 0;
        for (int i = 0; i < series.X.Count; i++)
        {
            if (!Usable(series.X[i], series.Y[i]))
            {
                penDown = false;
                continue;
            }
            usable++;
            path.Append(penDown ? " L" : (path.Length > 0 ? " M" : "M"))
                .Append(N(plot.X(xScale.Fraction(series.X[i])))).Append(' ')
                .Append(N(plot.Y(Math.Clamp(yScale.Fraction(series.Y[i]), 0, 1))));
            penDown = true;
        }
        sb.Append($"<g class=\"series\" data-name=\"{Escape(series.Name)}\">\n");
        if (path.Length > 0)
        {
            sb.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"{series.Color}\" stroke-width=\"2\" stroke-linejoin=\"round\"")
              .Append(series.Dashed ? " stroke-dasharray=\"6 4\"/>\n" : "/>\n");
        }
        if (usable <= MaxMarkers)
        {
            for (int i = 0; i < series.X.Count; i++)
            {
                if (!Usable(series.X[i], series.Y[i])) continue;
                double x = plot.X(xScale.Fraction(series.X[i])), y = plot.Y(Math.Clamp(yScale.Fraction(series.Y[i]), 0, 1));
                string tip = $"{series.Name}, {XLabel} {Format(series.X[i])}: {Format(series.Y[i])}";
                sb.Append($"<circle cx=\"{N(x)}\" cy=\"{N(y)}\" r=\"3\" fill=\"{(series.Dashed ? "#ffffff" : series.Color)}\" ")
                  .Append($"stroke=\"{series.Color}\" stroke-width=\"1.5\"><title>{Escape(tip)}</title></circle>\n");
            }
        }
        sb.Append("</g>\n");
    }

    private static string Format(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}
