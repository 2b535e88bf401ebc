using System.Globalization;
using System.Text;
using static Scratch.Training.SvgText;

namespace Scratch.Training;

/// <summary>
/// A vertical bar chart as inline SVG: one bar per category with its value above it, a y axis with nice ticks, an
/// optional dashed reference line (e.g. the overall accuracy), and category labels that tilt when they would collide.
/// </summary>
public sealed class SvgBarChart : ISvgChart
{
    private const double LabelFont = 11;

    /// <summary>Creates a bar chart of <paramref name="values"/>, one per category.</summary>
    /// <exception cref="ArgumentException">The counts of categories and values differ.</exception>
    public SvgBarChart(string title, IReadOnlyList<string> categories, IReadOnlyList<double> values, string yLabel)
    {
        if (categories.Count != values.Count)
            throw new ArgumentException($"bar chart '{title}': {categories.Count} categories but {values.Count} values");
        Title = title;
        Categories = categories;
        Values = values;
        YLabel = yLabel;
    }

    /// <summary>Chart title.</summary>
    public string Title { get; }

    /// <summary>Category labels, left to right.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>Bar heights.</summary>
    public IReadOnlyList<double> Values { get; }

    /// <summary>Y axis label.</summary>
    public string YLabel { get; }

    /// <summary>Width in pixels.</summary>
    public double Width { get; init; } = 540;

    /// <summary>Height in pixels (more is added for tilted labels).</summary>
    public double Height { get; init; } = 320;

    /// <summary>Bar colour.</summary>
    public string Color { get; init; } = ChartPalette.At(0);

    /// <summary>Fixed upper end of the y axis (default: from the data).</summary>
    public double? YMax { get; init; }

    /// <summary>Show values and ticks as percentages (values are fractions, 0.5 = 50%).</summary>
    public bool Percent { get; init; }

    /// <summary>A value to mark with a dashed horizontal line, e.g. the overall accuracy.</summary>
    public double? ReferenceValue { get; init; }

    /// <summary>Legend text of <see cref="ReferenceValue"/>.</summary>
    public string ReferenceLabel { get; init; } = "";

    /// <inheritdoc/>
    public string ToSvg()
    {
        var finite = Values.Where(double.IsFinite).ToList();
        double hi = YMax ?? Math.Max(finite.DefaultIfEmpty(0).Max(), ReferenceValue ?? 0);
        double lo = Math.Min(0, finite.DefaultIfEmpty(0).Min());
        var scale = NiceScale.Linear(lo, hi <= lo ? lo + 1 : hi, 6);

        double yLabelsWidth = scale.Ticks.Max(t => TextWidth(FormatTick(scale, t), LabelFont));
        double left = 22 + yLabelsWidth + 8, right = Width - 16;
        double slot = Categories.Count == 0 ? 0 : (right - left) / Categories.Count;
        double labelWidth = Categories.Select(c => TextWidth(c, LabelFont)).DefaultIfEmpty(0).Max();
        bool tilt = labelWidth > slot - 4;
        double labelDrop = tilt ? labelWidth * 0.574 + 14 : 18; // sin(35 degrees) of the longest label
        double height = Height + (tilt ? labelDrop - 18 : 0);
        var plot = new PlotArea(left, Top: 48, right, Bottom: height - 30 - labelDrop);

        var sb = new StringBuilder();
        OpenSvg(sb, Width, height, Title);
        sb.Append(SvgText.Title(Width, Title));

        sb.Append("<g class=\"grid\" stroke=\"#e6e6e6\">\n");
        foreach (double t in scale.Ticks)
            sb.Append($"<line x1=\"{N(plot.Left)}\" y1=\"{N(plot.Y(scale.Fraction(t)))}\" x2=\"{N(plot.Right)}\" y2=\"{N(plot.Y(scale.Fraction(t)))}\"/>\n");
        sb.Append("</g>\n");
        foreach (double t in scale.Ticks)
            sb.Append(Text(plot.Left - 7, plot.Y(scale.Fraction(t)) + 4, FormatTick(scale, t), "end", LabelFont, "#555555"));

        if (ReferenceValue is double reference && double.IsFinite(reference))
        {
            double y = plot.Y(Math.Clamp(scale.Fraction(reference), 0, 1));
            string refColor = ChartPalette.At(1);
            sb.Append($"<line class=\"reference\" x1=\"{N(plot.Left)}\" y1=\"{N(y)}\" x2=\"{N(plot.Right)}\" y2=\"{N(y)}\" ")
              .Append($"stroke=\"{refColor}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            // The line is drawn behind the bars (visible in the gaps, never across a value); its legend sits above the plot.
            string legend = $"{ReferenceLabel} {FormatValue(reference)}".Trim();
            sb.Append($"<line x1=\"{N(plot.Right - TextWidth(legend, 11) - 30)}\" y1=\"36\" x2=\"{N(plot.Right - TextWidth(legend, 11) - 8)}\" y2=\"36\" ")
              .Append($"stroke=\"{refColor}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n");
            sb.Append(Text(plot.Right, 40, legend, "end", 11, "#333333"));
        }

        double baseline = plot.Y(scale.Fraction(0));
        double barWidth = Math.Min(slot * 0.7, 64);
        sb.Append("<g class=\"bars\">\n");
        for (int i = 0; i < Categories.Count; i++)
        {
            double centre = plot.Left + slot * (i + 0.5);
            double value = Values[i];
            string text = FormatValue(value);
            if (double.IsFinite(value))
            {
                double top = plot.Y(Math.Clamp(scale.Fraction(value), 0, 1));
                double y = Math.Min(top, baseline), h = Math.Abs(baseline - top);
                sb.Append($"<rect x=\"{N(centre - barWidth / 2)}\" y=\"{N(y)}\" width=\"{N(barWidth)}\" height=\"{N(h)}\" fill=\"{Color}\">")
                  .Append($"<title>{Escape($"{Categories[i]}: {text}")}</title></rect>\n");
                // Inside the top of a tall bar the value stays clear of the title and the legend above the plot.
                bool fits = TextWidth(text, 10) <= barWidth - 2;
                if (fits && h >= 18 && value >= 0) sb.Append(Text(centre, y + 13, text, "middle", 10, "#ffffff"));
                else if (fits) sb.Append(Text(centre, value >= 0 ? y - 4 : y + h + 12, text, "middle", 10, "#333333"));
            }
            double labelY = plot.Bottom + 15;
            sb.Append(tilt
                ? Text(centre, labelY, Categories[i], "end", LabelFont, "#333333", $" transform=\"rotate(-35 {N(centre)} {N(labelY)})\"")
                : Text(centre, labelY, Categories[i], "middle", LabelFont, "#333333"));
        }
        sb.Append("</g>\n");

        sb.Append($"<line x1=\"{N(plot.Left)}\" y1=\"{N(baseline)}\" x2=\"{N(plot.Right)}\" y2=\"{N(baseline)}\" stroke=\"#888888\"/>\n");
        sb.Append($"<line x1=\"{N(plot.Left)}\" y1=\"{N(plot.Top)}\" x2=\"{N(plot.Left)}\" y2=\"{N(plot.Bottom)}\" stroke=\"#888888\"/>\n");

        double midY = (plot.Top + plot.Bottom) / 2;
        sb.Append(Text(15, midY, YLabel, "middle", 12, "#333333", $" transform=\"rotate(-90 15 {N(midY)})\""));
        return sb.Append("</svg>\n").ToString();
    }

    private string FormatValue(double value) => !double.IsFinite(value)
        ? "n/a"
        : Percent ? value.ToString("P1", CultureInfo.InvariantCulture).Replace(" ", "") : value.ToString("G4", CultureInfo.InvariantCulture);

    private string FormatTick(NiceScale scale, double tick) =>
        Percent ? (tick * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%" : scale.Format(tick);
}
