using System.Globalization;
using System.Text;

namespace Scratch.Training;

/// <summary>Small helpers shared by the SVG charts: escaping, number formatting, text metrics.</summary>
internal static class SvgText
{
    /// <summary>The font stack of every chart: system fonts only, nothing to download.</summary>
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";

    /// <summary>Escapes text for XML content and attribute values.</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    /// <summary>A coordinate with at most two decimals, invariant culture.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>
    /// Estimated width in pixels of <paramref name="text"/> at <paramref name="fontSize"/> in a sans-serif font; an
    /// estimate is enough to keep labels from colliding, since no font metrics are available without a browser.
    /// </summary>
    public static double TextWidth(string text, double fontSize) => text.Length * fontSize * 0.58;

    /// <summary>Opens a chart's <c>&lt;svg&gt;</c> element with a white background and the shared font.</summary>
    public static void OpenSvg(StringBuilder sb, double width, double height, string label)
    {
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(width)}\" height=\"{N(height)}\" ")
          .Append($"viewBox=\"0 0 {N(width)} {N(height)}\" role=\"img\" aria-label=\"{Escape(label)}\" ")
          .Append($"font-family=\"{FontFamily}\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{N(width)}\" height=\"{N(height)}\" fill=\"#ffffff\"/>\n");
    }

    /// <summary>A text element; <paramref name="anchor"/> is start, middle or end.</summary>
    public static string Text(double x, double y, string text, string anchor = "start", double size = 12,
        string fill = "#333333", string extra = "") =>
        $"<text x=\"{N(x)}\" y=\"{N(y)}\" text-anchor=\"{anchor}\" font-size=\"{N(size)}\" fill=\"{fill}\"{extra}>{Escape(text)}</text>\n";

    /// <summary>The chart title, centred at the top.</summary>
    public static string Title(double width, string title) =>
        Text(width / 2, 20, title, "middle", 15, "#222222", " font-weight=\"600\"");
}
