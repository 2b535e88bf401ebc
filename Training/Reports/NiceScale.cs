using System.Globalization;

namespace Scratch.Training;

/// <summary>
/// An axis range with "nice" tick marks (steps of 1, 2 or 5 times a power of ten) covering the data, after
/// Heckbert's "Nice numbers for graph labels" (Graphics Gems, 1990); or decades for a logarithmic axis.
/// </summary>
public sealed class NiceScale
{
    private NiceScale(double min, double max, IReadOnlyList<double> ticks, double step, bool logarithmic)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
        Step = step;
        Logarithmic = logarithmic;
    }

    /// <summary>Lower end of the axis.</summary>
    public double Min { get; }

    /// <summary>Upper end of the axis.</summary>
    public double Max { get; }

    /// <summary>Tick positions, ascending, within [Min, Max].</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>Distance between linear ticks (0 for a logarithmic axis).</summary>
    public double Step { get; }

    /// <summary>Whether the axis is logarithmic (base 10).</summary>
    public bool Logarithmic { get; }

    /// <summary>A linear axis covering [<paramref name="min"/>, <paramref name="max"/>] with about <paramref name="maxTicks"/> ticks.</summary>
    /// <param name="min">Smallest data value.</param>
    /// <param name="max">Largest data value.</param>
    /// <param name="maxTicks">Upper bound on the number of ticks (at least 2).</param>
    /// <param name="integerSteps">Use steps of at least 1 (e.g. for epochs).</param>
    /// <param name="tight">End the axis at the data (ticks only inside it) instead of at the enclosing ticks.</param>
    public static NiceScale Linear(double min, double max, int maxTicks = 6, bool integerSteps = false, bool tight = false)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max)) (min, max) = (0, 1);
        if (min > max) (min, max) = (max, min);
        if (min == max)
        {
            // A flat series still needs a visible range around it.
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            (min, max) = (min - pad, max + pad);
        }
        maxTicks = Math.Max(2, maxTicks);
        double step = Nice((max - min) / (maxTicks - 1), round: true);
        if (integerSteps) step = Math.Max(1, Math.Round(step));
        double lo = tight ? Math.Ceiling(min / step - 1e-9) * step : Math.Floor(min / step) * step;
        double hi = tight ? Math.Floor(max / step + 1e-9) * step : Math.Ceiling(max / step) * step;
        var ticks = new List<double>();
        for (int i = 0; lo + i * step <= hi + step * 1e-9; i++)
            ticks.Add(Clean(lo + i * step, step));
        return tight
            ? new NiceScale(min, max, ticks, step, logarithmic: false)
            : new NiceScale(lo, hi, ticks, step, logarithmic: false);
    }

    /// <summary>A base-10 logarithmic axis covering the positive range [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static NiceScale Log(double min, double max)
    {
        if (!(min > 0) || !double.IsFinite(min)) min = max > 0 && double.IsFinite(max) ? max / 10 : 1e-3;
        if (!(max > 0) || !double.IsFinite(max)) max = min * 10;
        if (min > max) (min, max) = (max, min);
        int lo = (int)Math.Floor(Math.Log10(min) + 1e-9);
        int hi = (int)Math.Ceiling(Math.Log10(max) - 1e-9);
        if (hi == lo) hi++;
        var ticks = new List<double>();
        // With few decades, 2x and 5x ticks help reading values in between.
        double[] multiples = hi - lo <= 2 ? [1, 2, 5] : [1];
        for (int e = lo; e <= hi; e++)
        {
            foreach (double m in multiples)
            {
                double tick = m * Math.Pow(10, e);
                if (tick <= Math.Pow(10, hi) * (1 + 1e-9)) ticks.Add(tick);
            }
        }
        return new NiceScale(Math.Pow(10, lo), Math.Pow(10, hi), ticks, 0, logarithmic: true);
    }

    /// <summary>Where <paramref name="value"/> falls on the axis, 0 at Min and 1 at Max.</summary>
    public double Fraction(double value) => Logarithmic
        ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (value - Min) / (Max - Min);

    /// <summary>
    /// A tick label with just the decimals the step needs ("0.25", "1,000"); every label of an axis uses the same
    /// style, with scientific notation ("2e-4") for axes of very small or very large values and for log axes below 0.001.
    /// </summary>
    public string Format(double value)
    {
        if (value == 0) return "0";
        double largest = Math.Max(Math.Abs(Min), Math.Abs(Max));
        bool scientific = Logarithmic ? Min < 1e-3 || Max >= 1e6 : Step < 1e-4 || largest >= 1e6;
        if (scientific) return value.ToString("0.#e0", CultureInfo.InvariantCulture);
        if (Logarithmic) return value.ToString("#,0.###", CultureInfo.InvariantCulture);
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(Step) - 1e-9), 0, 6);
        return value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), CultureInfo.InvariantCulture);
    }

    /// <summary>The nice number (1, 2, 5 or 10 times a power of ten) nearest to, or at least, <paramref name="x"/>.</summary>
    private static double Nice(double x, bool round)
    {
        double exponent = Math.Floor(Math.Log10(x));
        double fraction = x / Math.Pow(10, exponent);
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }

    /// <summary>Removes floating-point noise such as 0.30000000000000004 from a tick.</summary>
    private static double Clean(double tick, double step)
    {
        int decimals = Math.Clamp((int)Math.Ceiling(-Math.Log10(step)) + 2, 0, 15);
        return Math.Round(tick, decimals);
    }
}
