using System.Globalization;
using System.Text;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>Arrays with more elements than this are summarised with "..." (as PyTorch's default threshold).</summary>
    public const int PrintThreshold = 1000;

    /// <summary>Elements shown at each end of a summarised dim.</summary>
    public const int PrintEdgeItems = 3;

    /// <summary>Characters per line before a row of values wraps (PyTorch's default line width).</summary>
    public const int PrintLineWidth = 80;

    /// <summary>Values the way PyTorch prints them, e.g. <c>tensor([[1.0000, 2.5000], [3.0000, 4.0000]])</c>, summarised when large.</summary>
    public override string ToString() => Format("tensor");

    /// <summary>Formats the values with <paramref name="prefix"/> in place of <c>tensor</c> (PyTorch's <c>_tensor_str</c> rules).</summary>
    public string Format(string prefix)
    {
        if (IsDisposed) return $"{prefix}(<disposed>, shape={ShapeString})";
        var suffix = new List<string>();
        if (Device != Device.Cpu) suffix.Add($"device='{Device}'");
        string body;
        if (Count == 0)
        {
            // As NumPy and PyTorch: the shape is spelled out unless it is (0,).
            if (Rank != 1) suffix.Add("size=(" + string.Join(", ", _shape) + ")");
            body = "[]";
        }
        else
        {
            var values = ToArray<double>();
            bool summarise = Count > PrintThreshold;
            var formatter = ValueFormatter.For(DType, summarise ? Shown(values) : values);
            int indent = prefix.Length + 1;
            body = Rank == 0 ? formatter.Format(values[0]) : FormatDim(values, 0, 0, indent, formatter, summarise);
        }
        if (DType != DType.Float32) suffix.Add($"dtype={DType.Name()}");
        var text = new StringBuilder(prefix).Append('(').Append(body);
        foreach (var s in suffix) text.Append(", ").Append(s);
        return text.Append(')').ToString();
    }

    private IEnumerable<double> Shown(double[] values)
    {
        // Only the printed edge values decide the number format, as in PyTorch.
        var strides = Kernels.BufferView.ContiguousStrides(_shape);
        for (long i = 0; i < values.Length; i++)
        {
            long rest = i;
            bool shown = true;
            for (int d = 0; d < Rank && shown; d++)
            {
                long idx = rest / strides[d];
                rest %= strides[d];
                shown = _shape[d] <= 2 * PrintEdgeItems || idx < PrintEdgeItems || idx >= _shape[d] - PrintEdgeItems;
            }
            if (shown) yield return values[i];
        }
    }

    /// <summary>The indices of dim <paramref name="dim"/> that are printed (−1 marks the "..." gap).</summary>
    private IEnumerable<int> PrintedIndices(int dim, bool summarise)
    {
        int n = _shape[dim];
        bool cut = summarise && n > 2 * PrintEdgeItems;
        for (int i = 0; i < n; i++)
        {
            if (cut && i == PrintEdgeItems)
            {
                yield return -1;
                i = n - PrintEdgeItems;
            }
            yield return i;
        }
    }

    private string FormatDim(double[] values, int dim, long start, int indent, ValueFormatter formatter, bool summarise)
    {
        long step = 1;
        for (int d = dim + 1; d < Rank; d++) step *= _shape[d];
        if (dim == Rank - 1)
        {
            // PyTorch's _vector_str: a fixed number of elements per line, "..." counting as one.
            var items = PrintedIndices(dim, summarise).Select(i => i < 0 ? " ..." : formatter.Format(values[start + i])).ToList();
            int perLine = Math.Max(1, (PrintLineWidth - indent) / (formatter.Width + 2));
            var lines = items.Chunk(perLine).Select(line => string.Join(", ", line));
            return "[" + string.Join(",\n" + new string(' ', indent + 1), lines) + "]";
        }
        var slices = PrintedIndices(dim, summarise)
            .Select(i => i < 0 ? "..." : FormatDim(values, dim + 1, start + i * step, indent + 1, formatter, summarise));
        string separator = "," + new string('\n', Rank - dim - 1) + new string(' ', indent + 1);
        return "[" + string.Join(separator, slices) + "]";
    }

    /// <summary>PyTorch's <c>_Formatter</c>: integer, fixed or scientific notation, with aligned widths.</summary>
    private sealed class ValueFormatter
    {
        private readonly DType _dtype;
        private readonly bool _integerMode, _scientific;

        private ValueFormatter(DType dtype, bool integerMode, bool scientific, int width)
        {
            _dtype = dtype;
            _integerMode = integerMode;
            _scientific = scientific;
            Width = width;
        }

        /// <summary>The width every value is padded to.</summary>
        public int Width { get; }

        public static ValueFormatter For(DType dtype, IEnumerable<double> shown)
        {
            var values = shown.ToArray();
            if (dtype == DType.Int32)
            {
                var integers = new ValueFormatter(dtype, true, false, 1);
                return new ValueFormatter(dtype, true, false, values.Select(v => integers.Raw(v).Length).Append(1).Max());
            }
            // Only nonzero finite values decide the mode and the width; 0, nan and inf are padded to it.
            var nonzero = values.Where(v => double.IsFinite(v) && v != 0).ToArray();
            if (nonzero.Length == 0) return new ValueFormatter(dtype, true, false, 1);
            bool integerMode = nonzero.All(v => v == Math.Ceiling(v));
            double max = nonzero.Max(Math.Abs), min = nonzero.Min(Math.Abs);
            bool scientific = max / min > 1000 || max > 1e8 || (!integerMode && min < 1e-4);
            var probe = new ValueFormatter(dtype, integerMode, scientific, 0);
            // In integer mode the width counts the trailing "." PyTorch appends.
            int width = nonzero.Select(v => probe.Raw(v).Length).Append(1).Max();
            return new ValueFormatter(dtype, integerMode, scientific, width);
        }

        public string Format(double v) => Raw(v).PadLeft(Width);

        private string Raw(double v)
        {
            var c = CultureInfo.InvariantCulture;
            if (double.IsNaN(v)) return "nan";
            if (double.IsPositiveInfinity(v)) return "inf";
            if (double.IsNegativeInfinity(v)) return "-inf";
            if (_dtype == DType.Int32) return ((long)v).ToString(c);
            // The standard "F"/"E" specifiers round the exact binary value as Python does; custom
            // patterns such as "0.0000" round a 15-digit approximation (2.00005 would print 2.0001).
            if (_scientific) return Scientific(v.ToString("E4", c));
            if (_integerMode) return v.ToString("F0", c) + ".";
            return v.ToString("F4", c);
        }

        /// <summary>"1.2345E+005" as Python's "1.2345e+05" (exponent with at least two digits).</summary>
        private static string Scientific(string e)
        {
            int at = e.IndexOf('E');
            string exponent = e[(at + 2)..].TrimStart('0').PadLeft(2, '0');
            return e[..at] + "e" + e[at + 1] + exponent;
        }
    }
}
