using CsvHelper;

namespace Scratch.Training;

/// <summary>The cells of a CSV file as text, with the line each record starts on (for error messages).</summary>
internal sealed class CsvRawTable
{
    private CsvRawTable(string source, string[] header, List<string[]> rows, List<long> lines)
    {
        Source = source;
        Header = header;
        Rows = rows;
        Lines = lines;
    }

    /// <summary>The file name (or other source name) used in messages.</summary>
    public string Source { get; }

    /// <summary>Column names; an empty header cell is named "columnN" (1-based), as pandas' unnamed index is.</summary>
    public string[] Header { get; }

    /// <summary>The data records, each with exactly <see cref="Header"/>.Length cells, trimmed.</summary>
    public List<string[]> Rows { get; }

    /// <summary>The 1-based line of the input where each record starts.</summary>
    public List<long> Lines { get; }

    /// <summary>"file, line N, column 'x'" for messages.</summary>
    public string Where(int row, int column) => $"{Source}, line {Lines[row]}, column '{Header[column]}'";

    /// <summary>Reads every record of <paramref name="reader"/>, checking the header and the cell counts.</summary>
    /// <exception cref="InvalidDataException">No header, a duplicate column name, a record with the wrong number of cells, or bad quoting.</exception>
    public static CsvRawTable Read(CsvReader reader, string source)
    {
        try
        {
            string[] header = [.. reader.Headers];
            if (header.Length == 0 || header.All(string.IsNullOrWhiteSpace))
                throw new InvalidDataException($"{source}: no header row (the file is empty)");
            for (int c = 0; c < header.Length; c++)
            {
                header[c] = header[c].Trim();
                if (header[c].Length == 0) header[c] = $"column{c + 1}";
            }
            var duplicate = header.GroupBy(name => name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new InvalidDataException($"{source}: the header names column '{duplicate.Key}' {duplicate.Count()} times");

            var rows = new List<string[]>();
            var lines = new List<long>();
            while (reader.Read())
            {
                if (reader.FieldCount != header.Length)
                {
                    throw new InvalidDataException(
                        $"{source}, line {reader.LineNumber}: {reader.FieldCount} cells, the header has {header.Length}");
                }
                var cells = new string[header.Length];
                for (int c = 0; c < cells.Length; c++) cells[c] = reader.GetString(c).Trim();
                rows.Add(cells);
                lines.Add(reader.LineNumber);
            }
            return new CsvRawTable(source, header, rows, lines);
        }
        catch (CsvFormatException e)
        {
            string line = e.LineNumber > 0 ? $", line {e.LineNumber}" : "";
            throw new InvalidDataException($"{source}{line}: malformed CSV ({e.Message})", e);
        }
    }
}
