using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;

namespace Scratch.Training;

/// <summary>
/// Appends one row per epoch (or step) to <c>metrics.csv</c> and <c>metrics.jsonl</c> (one JSON object per line) in
/// a run folder. Each row is written and closed at once, so a crashed run keeps every row logged before the crash.
/// The CSV columns are those declared, or else those of the first row; a run that resumes into an existing
/// <c>metrics.csv</c> keeps appending under its header.
/// </summary>
public sealed class MetricsLog
{
    /// <summary>File name of the CSV log.</summary>
    public const string CsvFileName = "metrics.csv";

    /// <summary>File name of the JSON-lines log.</summary>
    public const string JsonLinesFileName = "metrics.jsonl";

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private string[]? _columns;

    /// <summary>Logs into <paramref name="directory"/> (created if needed), with the given columns or those of the first row.</summary>
    /// <exception cref="InvalidDataException">An existing metrics.csv has a header other than <paramref name="columns"/>.</exception>
    public MetricsLog(string directory, IEnumerable<string>? columns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        CsvPath = Path.Combine(directory, CsvFileName);
        JsonLinesPath = Path.Combine(directory, JsonLinesFileName);
        _columns = columns?.ToArray();

        string[]? existing = ReadExistingHeader(CsvPath);
        if (existing is not null && _columns is not null && !existing.SequenceEqual(_columns))
        {
            throw new InvalidDataException(
                $"{CsvPath}: existing columns [{string.Join(", ", existing)}] differ from [{string.Join(", ", _columns)}]");
        }
        _columns ??= existing;
    }

    /// <summary>Path of metrics.csv.</summary>
    public string CsvPath { get; }

    /// <summary>Path of metrics.jsonl.</summary>
    public string JsonLinesPath { get; }

    /// <summary>The CSV columns, once known (declared, read from an existing file, or taken from the first row).</summary>
    public IReadOnlyList<string>? Columns => _columns;

    /// <summary>
    /// Appends a row. Values may be numbers, strings, booleans, null, <see cref="TimeSpan"/> (written as seconds) or
    /// dates (ISO 8601). Columns missing from the row stay empty in the CSV and absent from the JSON object.
    /// </summary>
    /// <exception cref="ArgumentException">The row has a column the CSV does not, or a value of another type.</exception>
    public void Append(IEnumerable<KeyValuePair<string, object?>> row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var values = row.ToList();
        var duplicate = values.GroupBy(v => v.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"metrics log: column '{duplicate.Key}' given twice");

        string[] columns = _columns ?? [.. values.Select(v => v.Key)];
        var unknown = values.Select(v => v.Key).Where(k => Array.IndexOf(columns, k) < 0).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"metrics log: {CsvPath} has columns [{string.Join(", ", columns)}]; the row adds [{string.Join(", ", unknown)}] " +
                "(declare every column when creating the log)");
        }

        // Format everything before touching the files, so a bad value leaves both logs as they were.
        var byKey = values.ToDictionary(v => v.Key, v => v.Value);
        var csv = new StringBuilder();
        if (!File.Exists(CsvPath) || new FileInfo(CsvPath).Length == 0) csv.AppendJoin(',', columns.Select(Escape)).Append('\n');
        csv.AppendJoin(',', columns.Select(c => byKey.TryGetValue(c, out var v) ? Escape(FormatCsv(c, v)) : "")).Append('\n');
        string json = ToJson(values) + "\n";

        File.AppendAllText(CsvPath, csv.ToString());
        File.AppendAllText(JsonLinesPath, json);
        _columns = columns;
    }

    /// <summary>Appends a row given as (column, value) pairs.</summary>
    public void Append(params (string Column, object? Value)[] row) =>
        Append(row.Select(p => new KeyValuePair<string, object?>(p.Column, p.Value)));

    private static string[]? ReadExistingHeader(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0) return null;
        using var reader = CsvReader.FromFile(path, CsvReaderOptions.Default with { Separator = ',', HasHeader = true });
        string[] header = [.. reader.Headers];
        return header.Length == 0 ? null : header;
    }

    private static string FormatCsv(string column, object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        TimeSpan t => t.TotalSeconds.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"metrics log: column '{column}' has a value of type {value.GetType().Name}, which cannot be logged"),
    };

    internal static string Escape(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;

    private static string ToJson(List<KeyValuePair<string, object?>> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WritePropertyName(key);
                WriteJsonValue(writer, key, value);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJsonValue(Utf8JsonWriter writer, string key, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            // JSON has no NaN or infinities: they are written as the strings "NaN", "Infinity", "-Infinity".
            case float f when !float.IsFinite(f): writer.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case double d when !double.IsFinite(d): writer.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case float f: writer.WriteNumberValue(f); break;
            case double d: writer.WriteNumberValue(d); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case sbyte or byte or short or ushort or int or uint or long: writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case TimeSpan t: writer.WriteNumberValue(t.TotalSeconds); break;
            case DateTime or DateTimeOffset: writer.WriteStringValue(FormatCsv(key, value)); break;
            default: throw new ArgumentException($"metrics log: column '{key}' has a value of type {value.GetType().Name}, which cannot be logged");
        }
    }
}
