using System.Text;
using static Scratch.Training.SvgText;

namespace Scratch.Training;

/// <summary>
/// Builds one self-contained HTML page: inline CSS, inline SVG charts, no scripts, fonts or other external
/// resources, so the file can be mailed or archived alone. The markup is also well-formed XML.
/// </summary>
public sealed class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif;
               color: #222; background: #fafafa; margin: 0; }
        main { max-width: 1140px; margin: 0 auto; padding: 24px 28px 48px; }
        h1 { font-size: 24px; margin: 8px 0 4px; }
        h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        p.subtitle { color: #555; margin: 0 0 12px; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .chart { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 6px; }
        .chart svg { display: block; max-width: 100%; height: auto; }
        .tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
        table { border-collapse: collapse; background: #fff; font-size: 14px; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border: 1px solid #e2e2e2; padding: 4px 10px; text-align: left; }
        th { background: #f2f2f2; font-weight: 600; }
        td.number { text-align: right; font-variant-numeric: tabular-nums; }
        footer { color: #777; font-size: 12px; margin-top: 32px; }
        """;

    private readonly StringBuilder _body = new();
    private bool _inTableRow, _inChartRow;

    /// <summary>Starts a report with a page title and an optional subtitle line.</summary>
    public HtmlReport(string title, string? subtitle = null)
    {
        Title = title;
        _body.Append($"<h1>{Escape(title)}</h1>\n");
        if (!string.IsNullOrEmpty(subtitle)) _body.Append($"<p class=\"subtitle\">{Escape(subtitle)}</p>\n");
    }

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Starts a section with a heading.</summary>
    public HtmlReport Section(string heading)
    {
        CloseGroups();
        _body.Append($"<h2>{Escape(heading)}</h2>\n");
        return this;
    }

    /// <summary>Adds a paragraph of text.</summary>
    public HtmlReport Paragraph(string text)
    {
        CloseGroups();
        _body.Append($"<p>{Escape(text)}</p>\n");
        return this;
    }

    /// <summary>Adds a chart; consecutive charts flow side by side where the page is wide enough.</summary>
    public HtmlReport Chart(ISvgChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        if (_inTableRow) CloseGroups();
        if (!_inChartRow)
        {
            _body.Append("<div class=\"charts\">\n");
            _inChartRow = true;
        }
        _body.Append("<div class=\"chart\">\n").Append(chart.ToSvg()).Append("</div>\n");
        return this;
    }

    /// <summary>Adds a two-column table of names and values; consecutive tables flow side by side.</summary>
    public HtmlReport KeyValueTable(string caption, IEnumerable<KeyValuePair<string, string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Table(caption, [], rows.Select(r => new[] { r.Key, r.Value }));
    }

    /// <summary>Adds a table with a header row (may be empty) and data rows; with a header, numeric cells are right-aligned.</summary>
    public HtmlReport Table(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_inChartRow) CloseGroups();
        if (!_inTableRow)
        {
            _body.Append("<div class=\"tables\">\n");
            _inTableRow = true;
        }
        _body.Append("<table>\n");
        if (!string.IsNullOrEmpty(caption)) _body.Append($"<caption>{Escape(caption)}</caption>\n");
        if (header.Count > 0)
            _body.Append("<tr>").AppendJoin("", header.Select(h => $"<th>{Escape(h)}</th>")).Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                // Only data tables (with a header) right-align numbers; a name/value list reads better all left-aligned.
                bool number = header.Count > 0 && LooksNumeric(row[i]);
                _body.Append(number ? "<td class=\"number\">" : "<td>").Append(Escape(row[i])).Append("</td>");
            }
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
        return this;
    }

    /// <summary>The complete page.</summary>
    public string ToHtml()
    {
        CloseGroups();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
            .Append($"<title>{Escape(Title)}</title>\n<style>\n{Style}\n</style>\n</head>\n<body>\n<main>\n")
            .Append(_body)
            .Append("<footer>Generated by Scratch. Self-contained page: no scripts or external resources.</footer>\n")
            .Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToHtml());

    private void CloseGroups()
    {
        if (_inChartRow || _inTableRow) _body.Append("</div>\n");
        _inChartRow = _inTableRow = false;
    }

    private static bool LooksNumeric(string cell) =>
        cell.Length > 0 && (char.IsAsciiDigit(cell[0]) || (cell.Length > 1 && cell[0] is '-' or '+' && char.IsAsciiDigit(cell[1])));
}
