using System.Globalization;

namespace Scratch;

/// <summary>Formats values the way Python prints them, for module reprs that read like PyTorch's.</summary>
internal static class Repr
{
    /// <summary>A float as Python's repr: <c>1.0</c>, <c>0.1</c>, <c>1e-05</c>.</summary>
    public static string Float(double value)
    {
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (double.IsNaN(value)) return "nan";
        string text = value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        int e = text.IndexOf('e', StringComparison.Ordinal);
        if (e >= 0)
        {
            // Python writes at least two exponent digits: 1e-05, 1e+20.
            string mantissa = text[..e], exponent = text[(e + 1)..];
            char sign = exponent[0] == '-' ? '-' : '+';
            string digits = exponent.TrimStart('+', '-');
            return mantissa + "e" + sign + digits.PadLeft(2, '0');
        }
        return text.Contains('.', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>A bool as Python writes it.</summary>
    public static string Bool(bool value) => value ? "True" : "False";

    /// <summary>A pair as a Python tuple: <c>(3, 3)</c>.</summary>
    public static string Pair(int a, int b) => $"({a}, {b})";

    /// <summary>A pair as a single number when both are equal, else a tuple (PyTorch's pooling reprs).</summary>
    public static string PairOrInt(int a, int b) => a == b ? a.ToString(CultureInfo.InvariantCulture) : Pair(a, b);

    /// <summary>A shape as a Python tuple: <c>(10,)</c>, <c>(2, 3)</c>.</summary>
    public static string Tuple(IReadOnlyList<int> values)
        => values.Count == 1 ? $"({values[0]},)" : "(" + string.Join(", ", values) + ")";
}
