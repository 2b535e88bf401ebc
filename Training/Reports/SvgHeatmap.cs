using System.Globalization;
using System.Text;
using static Scratch.Training.SvgText;

namespace Scratch.Training;

/// <summary>
/// A matrix drawn as a grid of coloured cells with row and column labels, each cell showing its value; made for
/// confusion matrices (rows = actual class, columns = predicted class). By default colours are normalised per row,
/// so that a rare class's errors are as visible as a frequent one's, and the printed numbers stay the raw counts.
/// </summary>
public sealed class SvgHeatmap : ISvgChart
{
    private const double LabelFont = 11;
    private readonly double[,] _values;

    /// <summary>Creates a heat map of <paramref name="values"/> ([rows, columns]).</summary>
    /// <exception cref="ArgumentException">The label counts do not match the matrix.</exception>
    public SvgHeatmap(string title, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (rowLabels.Count != values.GetLength(0) || columnLabels.Count != values.GetLength(1))
        {
            throw new ArgumentException(
                $"heat map '{title}': {rowLabels.Count} row and {columnLabels.Count} column labels for a " +
                $"[{values.GetLength(0)}, {values.GetLength(1)}] matrix");
        }
        Title = title;
        RowLabels = rowLabels;
        ColumnLabels = columnLabels;
        _values = values;
    }

    /// <summary>A heat map of a confusion matrix with the class names on both axes.</summary>
    public static SvgHeatmap FromConfusionMatrix(ConfusionMatrix matrix, IReadOnlyList<string> classNames, string title = "Confusion matrix")
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (classNames.Count != matrix.ClassCount)
            throw new ArgumentException($"heat map: {classNames.Count} class names for a {matrix.ClassCount}-class confusion matrix");
        var values = new double[matrix.ClassCount, matrix.ClassCount];
        for (int a = 0; a < matrix.ClassCount; a++)
            for (int p = 0; p < matrix.ClassCount; p++)
                values[a, p] = matrix[a, p];
        return new SvgHeatmap(title, classNames, classNames, values);
    }

    /// <summary>Chart title.</summary>
    public string Title { get; }

    /// <summary>Labels of the rows, top to bottom.</summary>
    public IReadOnlyList<string> RowLabels { get; }

    /// <summary>Labels of the columns, left to right.</summary>
    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary>Name of the row axis.</summary>
    public string RowAxisLabel { get; init; } = "Actual";

    /// <summary>Name of the column axis.</summary>
    public string ColumnAxisLabel { get; init; } = "Predicted";

    /// <summary>Colour each cell by its share of the row's total rather than by its value.</summary>
    public bool NormalizeRows { get; init; } = true;

    /// <summary>Side of a cell in pixels.</summary>
    public double CellSize { get; init; } = 44;

    /// <inheritdoc/>
    public string ToSvg()
    {
        int rows = _values.GetLength(0), cols = _values.GetLength(1);
        double cell = CellSize;
        double rowLabelWidth = RowLabels.Select(l => TextWidth(l, LabelFont)).DefaultIfEmpty(0).Max();
        double columnLabelWidth = ColumnLabels.Select(l => TextWidth(l, LabelFont)).DefaultIfEmpty(0).Max();
        // Column labels are rotated 45 degrees, so they reach down (and left) by width / sqrt(2).
        double columnLabelDrop = columnLabelWidth * 0.7071 + 8;

        double left = Math.Max(28 + rowLabelWidth + 8, columnLabelDrop - cell / 2 + 8);
        double top = 40;
        double gridRight = left + cols * cell, gridBottom = top + rows * cell;
        double width = gridRight + 20 + 14 + 48;
        double height = gridBottom + 6 + columnLabelDrop + 30;

        var sb = new StringBuilder();
        OpenSvg(sb, width, height, Title);
        sb.Append(Text(width / 2, 20, Title, "middle", 15, "#222222", " font-weight=\"600\""));

        double max = 0;
        foreach (double v in _values) if (double.IsFinite(v)) max = Math.Max(max, v);

        sb.Append("<g class=\"cells\">\n");
        for (int r = 0; r < rows; r++)
        {
            double rowTotal = 0;
            for (int c = 0; c < cols; c++) if (double.IsFinite(_values[r, c])) rowTotal += _values[r, c];
            for (int c = 0; c < cols; c++)
            {
                double value = _values[r, c];
                double t = NormalizeRows ? (rowTotal > 0 ? value / rowTotal : 0) : (max > 0 ? value / max : 0);
                double x = left + c * cell, y = top + r * cell;
                string label = FormatValue(value);
                string share = rowTotal > 0 ? $" ({(value / rowTotal).ToString("P1", CultureInfo.InvariantCulture)} of row)" : "";
                string tip = $"{RowAxisLabel} {RowLabels[r]}, {ColumnAxisLabel.ToLowerInvariant()} {ColumnLabels[c]}: {label}{share}";
                sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(cell)}\" height=\"{N(cell)}\" fill=\"{ChartPalette.Sequential(t)}\" ")
                  .Append($"stroke=\"#ffffff\" stroke-width=\"1\"><title>{Escape(tip)}</title></rect>\n");
                double font = Math.Min(12, cell * 0.9 / Math.Max(3, label.Length * 0.62));
                string fill = ChartPalette.NeedsLightText(t) ? "#ffffff" : "#1a1a1a";
                string weight = r == c ? " font-weight=\"600\"" : "";
                sb.Append(Text(x + cell / 2, y + cell / 2 + font * 0.35, label, "middle", font, fill, weight));
            }
        }
        sb.Append("</g>\n");

        // The diagonal (correct predictions) gets a thin outline so it reads at a glance.
        if (rows == cols)
        {
            for (int i = 0; i < rows; i++)
            {
                sb.Append($"<rect x=\"{N(left + i * cell + 1)}\" y=\"{N(top + i * cell + 1)}\" width=\"{N(cell - 2)}\" height=\"{N(cell - 2)}\" ")
                  .Append("fill=\"none\" stroke=\"#333333\" stroke-width=\"0.8\" stroke-opacity=\"0.5\"/>\n");
            }
        }

        for (int r = 0; r < rows; r++)
            sb.Append(Text(left - 6, top + r * cell + cell / 2 + 4, RowLabels[r], "end", LabelFont, "#333333"));
        for (int c = 0; c < cols; c++)
        {
            double x = left + c * cell + cell / 2, y = gridBottom + 8;
            sb.Append(Text(x, y + 4, ColumnLabels[c], "end", LabelFont, "#333333", $" transform=\"rotate(-45 {N(x)} {N(y)})\""));
        }

        sb.Append(Text((left + gridRight) / 2, height - 8, ColumnAxisLabel, "middle", 12, "#333333", " font-weight=\"600\""));
        double midY = (top + gridBottom) / 2;
        sb.Append(Text(14, midY, RowAxisLabel, "middle", 12, "#333333", $" font-weight=\"600\" transform=\"rotate(-90 14 {N(midY)})\""));

        DrawColourBar(sb, gridRight + 20, top, gridBottom, max);
        return sb.Append("</svg>\n").ToString();
    }

    /// <summary>A vertical colour legend drawn as stacked bands (no gradient, so no element ids to collide).</summary>
    private void DrawColourBar(StringBuilder sb, double x, double top, double bottom, double max)
    {
        const int bands = 40;
        double bandHeight = (bottom - top) / bands;
        sb.Append("<g class=\"colour-bar\">\n");
        for (int i = 0; i < bands; i++)
        {
            double t = (i + 0.5) / bands;
            double y = bottom - (i + 1) * bandHeight;
            sb.Append($"<rect x=\"{N(x)}\" y=\"{N(y)}\" width=\"14\" height=\"{N(bandHeight + 0.5)}\" fill=\"{ChartPalette.Sequential(t)}\"/>\n");
        }
        sb.Append($"<rect x=\"{N(x)}\" y=\"{N(top)}\" width=\"14\" height=\"{N(bottom - top)}\" fill=\"none\" stroke=\"#888888\"/>\n");
        string high = NormalizeRows ? "100%" : FormatValue(max);
        string mid = NormalizeRows ? "50%" : FormatValue(max / 2);
        sb.Append(Text(x + 18, top + 8, high, "start", 10, "#555555"));
        sb.Append(Text(x + 18, (top + bottom) / 2 + 4, mid, "start", 10, "#555555"));
        sb.Append(Text(x + 18, bottom, "0", "start", 10, "#555555"));
        if (NormalizeRows) sb.Append(Text(x + 18, bottom + 14, "of row", "start", 9, "#777777"));
        sb.Append("</g>\n");
    }

    private static string FormatValue(double value) =>
        value == Math.Round(value) && Math.Abs(value) < 1e9
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G3", CultureInfo.InvariantCulture);
}
