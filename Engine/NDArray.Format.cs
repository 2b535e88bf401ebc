using System.Globalization;
using System.Text;

namespace Scratch;

public sealed partial class NDArray
{
    /// <summary>Arrays with more elements than this are summarised with "..." (as PyTorch's default threshold).</summary>
    public const int PrintThreshold = 1000;

    /// <summary>Elements shown at each end of a summarised dim.</summary>
    public const int PrintEdgeItems = 3;

    /// <summary>Values the way PyTorch prints them, e.g. <c>tensor([[1.0000, 2.5000], [3.0000, 4.0000]])</c>, summarised when large.</summary>
    public override string ToString() => Format("tensor");

    /// <summary>Formats the values with <paramref name="prefix"/> in place of <c>tensor</c>.</summary>
    public string Format(string prefix)
    {
        if (IsDisposed) return $"{prefix}(<disposed>, shape={ShapeString})";
        var values = ToArray<double>();
        bool summarise = Count > PrintThreshold;
        var formatter = ValueFormatter.For(DType, summarise ? Shown(values) : values);
        var text = new StringBuilder();
        text.Append(prefix).Append('(');
        int indent = prefix.Length + 1;
        if (Rank == 0) text.Append(formatter.Format(values[0]));
        else AppendDim(text, values, 0, 0, indent, formatter, summarise);
        var suffix = new List<string>();
        if (Device != Device.Cpu) suffix.Add($"device='{Device}'");
        if (DType != DType.Float32) suffix.Add($"dtype={DType.Name()}");
        if (Count == 0) suffix.Insert(0, $"size={ShapeString}");
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

    private void AppendDim(StringBuilder text, double[] values, int dim, long start, int indent, ValueFormatter formatter, bool summarise)
    {
        int n = _shape[dim];
        long step = 1;
        for (int d = dim + 1; d < Rank; d++) step *= _shape[d];
        text.Append('[');
        bool cut = summarise && n > 2 * PrintEdgeItems;
        bool first = true;
        for (int i = 0; i < n; i++)
        {
            if (cut && i == PrintEdgeItems)
            {
                text.Append(dim == Rank - 1 ? ", ..." : ",\n" + new string(' ', indent + dim + 1) + "...");
                i = n - PrintEdgeItems - 1;
                continue;
            }
            if (!first)
            {
                if (dim == Rank - 1) text.Append(", ");
                else text.Append(',').Append('\n', Rank - dim - 1).Append(' ', indent + dim + 1);
            }
            first = false;
            if (dim == Rank - 1) text.Append(formatter.Format(values[start + i]));
            else AppendDim(text, values, dim + 1, start + i * step, indent, formatter, summarise);
        }
        text.Append(']');
    }

    /// <summary>PyTorch's choice of integer, fixed or scientific notation, with aligned widths.</summary>
    private sealed class ValueFormatter
    {
        private readonly DType _dtype;
        private readonly bool _integerMode, _scientific;
        private readonly int _width;

        private ValueFormatter(DType dtype, bool integerMode, bool scientific, int width)
        {
            _dtype = dtype;
            _integerMode = integerMode;
            _scientific = scientific;
            _width = width;
        }

        public static ValueFormatter For(DType dtype, IEnumerable<double> shown)
        {
            var finite = shown.Where(double.IsFinite).ToArray();
            bool integerMode = dtype == DType.Int32 || finite.All(v => v == Math.Round(v));
            bool scientific = false;
            if (dtype != DType.Int32 && finite.Length > 0)
            {
                var nonzero = finite.Select(Math.Abs).Where(v => v > 0).ToArray();
                if (nonzero.Length > 0)
                {
                    double max = nonzero.Max(), min = nonzero.Min();
                    scientific = integerMode ? max > 1e8 : max / min > 1000 || max > 1e8 || min < 1e-4;
                }
            }
            var probe = new ValueFormatter(dtype, integerMode, scientific, 0);
            int width = shown.Select(v => probe.Raw(v).Length).DefaultIfEmpty(1).Max();
            return new ValueFormatter(dtype, integerMode, scientific, width);
        }

        public string Format(double v) => Raw(v).PadLeft(_width);

        private string Raw(double v)
        {
            var c = CultureInfo.InvariantCulture;
            if (double.IsNaN(v)) return "nan";
            if (double.IsPositiveInfinity(v)) return "inf";
            if (double.IsNegativeInfinity(v)) return "-inf";
            if (_dtype == DType.Int32) return ((long)v).ToString(c);
            if (_scientific) return v.ToString("0.0000e+00", c);
            if (_integerMode) return v.ToString("0", c) + ".";
            return v.ToString("0.0000", c);
        }
    }
}
