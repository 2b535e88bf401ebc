using System.Globalization;

namespace Scratch;

/// <summary>What <see cref="GradCheck.Check"/> found: pass/fail, and the worst mismatch.</summary>
/// <param name="Passed">True when every analytic derivative matched the numeric one within tolerance.</param>
/// <param name="InputIndex">Index of the input holding the worst element (−1 when there was none).</param>
/// <param name="InputName">That input's <see cref="Tensor.Name"/>, or <c>input{i}</c>.</param>
/// <param name="ElementIndex">Flat index of the worst element within that input (−1 in fast mode without fallback).</param>
/// <param name="OutputIndex">Flat index of the output element of the worst Jacobian entry.</param>
/// <param name="Numeric">The central-difference derivative at the worst entry.</param>
/// <param name="Analytic">The backward pass's derivative at the worst entry.</param>
/// <param name="Excess">How far the worst entry exceeded atol + rtol·|numeric| (≤ 0 when it passed).</param>
/// <param name="Mode">"full" or "fast".</param>
public sealed record GradCheckReport(bool Passed, int InputIndex, string InputName, long ElementIndex, long OutputIndex,
    double Numeric, double Analytic, double Excess, string Mode)
{
    /// <summary>A one-line account of the result.</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        string where = InputIndex < 0 ? "no differentiable input" : $"{InputName}[{ElementIndex}] -> output[{OutputIndex}]";
        return string.Create(c, $"gradcheck ({Mode}) {(Passed ? "passed" : "FAILED")}: worst at {where}: numeric {Numeric:G9}, analytic {Analytic:G9}, excess over tolerance {Excess:G3}");
    }
}

/// <summary>
/// Compares the gradients of the backward pass with central finite differences in float64 —
/// PyTorch's <c>gradcheck</c>, with its defaults eps 1e-6, atol 1e-5, rtol 1e-3.
/// </summary>
public static class GradCheck
{
    /// <summary>
    /// Checks the Jacobian of <paramref name="function"/> at <paramref name="inputs"/> (Float64
    /// tensors; those with RequiresGrad are checked). An entry passes when
    /// |analytic − numeric| ≤ atol + rtol·|numeric|; a NaN or infinite entry on either side always fails. The fast mode compares one random projection
    /// vᵀJu and, if that fails, runs the full check to find the offending element.
    /// </summary>
    public static GradCheckReport Check(Func<Tensor[], Tensor> function, Tensor[] inputs,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool fast = false, ulong seed = 0)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i].RequiresGrad && inputs[i].DType != DType.Float64)
                throw new ArgumentException($"gradcheck: input {i} {inputs[i].ShapeString} is {inputs[i].DType.Name()}; use float64 for finite differences");
        }
        if (fast)
        {
            var report = FastCheck(function, inputs, eps, atol, rtol, seed);
            return report.Passed ? report : FullCheck(function, inputs, eps, atol, rtol);
        }
        return FullCheck(function, inputs, eps, atol, rtol);
    }

    /// <summary>Like <see cref="Check"/> but throws with the report when it fails.</summary>
    public static void Assert(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool fast = false)
    {
        var report = Check(function, inputs, eps, atol, rtol, fast);
        if (!report.Passed) throw new InvalidOperationException(report.ToString());
    }

    private static GradCheckReport FullCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps, double atol, double rtol)
    {
        var baseValues = inputs.Select(t => t.ToArray<double>()).ToArray();
        var output = Evaluate(function, inputs, baseValues);
        int m = output.Length;
        var worst = new GradCheckReport(true, -1, "", -1, -1, 0, 0, double.NegativeInfinity, "full");

        // Analytic Jacobian, one backward pass per output element: rows[o][input][element].
        var rows = new double[m][][];
        for (int o = 0; o < m; o++) rows[o] = AnalyticRow(function, inputs, baseValues, o, m);

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].RequiresGrad) continue;
            for (int e = 0; e < baseValues[i].Length; e++)
            {
                var plus = Perturbed(baseValues, i, e, eps);
                var minus = Perturbed(baseValues, i, e, -eps);
                var fPlus = Evaluate(function, inputs, plus);
                var fMinus = Evaluate(function, inputs, minus);
                for (int o = 0; o < m; o++)
                {
                    double numeric = (fPlus[o] - fMinus[o]) / (2 * eps);
                    double analytic = rows[o][i][e];
                    double excess = Math.Abs(analytic - numeric) - (atol + rtol * Math.Abs(numeric));
                    // A NaN or infinite entry is never a match, even when both sides agree on it: |∞ − ∞| is NaN and
                    // would otherwise compare as no excess at all.
                    if (!double.IsFinite(analytic) || !double.IsFinite(numeric)) excess = double.PositiveInfinity;
                    if (excess > worst.Excess)
                        worst = new GradCheckReport(excess <= 0, i, NameOf(inputs, i), e, o, numeric, analytic, excess, "full");
                }
            }
        }
        return worst with { Passed = worst.Excess <= 0 || worst.InputIndex < 0 };
    }

    private static GradCheckReport FastCheck(Func<Tensor[], Tensor> function, Tensor[] inputs, double eps, double atol, double rtol, ulong seed)
    {
        var generator = new Generator(seed);
        var baseValues = inputs.Select(t => t.ToArray<double>()).ToArray();
        var output = Evaluate(function, inputs, baseValues);
        var v = generator.NextDoubles(output.Length).Select(x => 2 * x - 1).ToArray();
        var u = baseValues.Select((values, i) => inputs[i].RequiresGrad ? generator.NextDoubles(values.Length).Select(x => 2 * x - 1).ToArray() : new double[values.Length]).ToArray();

        // Numeric vᵀJu: one central difference along direction u.
        var plus = baseValues.Select((values, i) => values.Select((x, e) => x + eps * u[i][e]).ToArray()).ToArray();
        var minus = baseValues.Select((values, i) => values.Select((x, e) => x - eps * u[i][e]).ToArray()).ToArray();
        var fPlus = Evaluate(function, inputs, plus);
        var fMinus = Evaluate(function, inputs, minus);
        double numeric = 0;
        for (int o = 0; o < v.Length; o++) numeric += v[o] * (fPlus[o] - fMinus[o]) / (2 * eps);

        // Analytic vᵀJu: one backward pass with gradient v.
        var grads = Backprop(function, inputs, baseValues, v);
        double analytic = 0;
        for (int i = 0; i < inputs.Length; i++)
            for (int e = 0; e < u[i].Length; e++) analytic += grads[i][e] * u[i][e];
        double excess = Math.Abs(analytic - numeric) - (atol + rtol * Math.Abs(numeric));
        if (!double.IsFinite(analytic) || !double.IsFinite(numeric)) excess = double.PositiveInfinity;
        return new GradCheckReport(excess <= 0, -1, "vᵀJu", -1, -1, numeric, analytic, excess, "fast");
    }

    private static double[][] AnalyticRow(Func<Tensor[], Tensor> function, Tensor[] inputs, double[][] values, int outputIndex, int outputCount)
    {
        var v = new double[outputCount];
        v[outputIndex] = 1;
        return Backprop(function, inputs, values, v);
    }

    private static double[][] Backprop(Func<Tensor[], Tensor> function, Tensor[] inputs, double[][] values, double[] v)
    {
        var fresh = Fresh(inputs, values);
        var y = function(fresh);
        var result = fresh.Select(t => new double[t.Count]).ToArray();
        if (!y.RequiresGrad) return result;
        y.Backward(new Tensor(NDArray.FromArray(v, y.Data.ShapeArray(), y.Device)));
        for (int i = 0; i < fresh.Length; i++)
            if (fresh[i].Grad is { } g) result[i] = g.ToArray<double>();
        return result;
    }

    private static double[] Evaluate(Func<Tensor[], Tensor> function, Tensor[] inputs, double[][] values)
    {
        using var _ = Tensor.NoGrad();
        return function(Fresh(inputs, values)).ToArray<double>();
    }

    private static Tensor[] Fresh(Tensor[] inputs, double[][] values)
        => inputs.Select((t, i) => t.DType == DType.Float64
            ? new Tensor(NDArray.FromArray(values[i], t.Data.ShapeArray(), t.Device), t.RequiresGrad) { Name = t.Name }
            : t).ToArray();

    private static double[][] Perturbed(double[][] values, int input, int element, double delta)
    {
        var copy = values.Select(v => v).ToArray();
        copy[input] = (double[])values[input].Clone();
        copy[input][element] += delta;
        return copy;
    }

    private static string NameOf(Tensor[] inputs, int i) => inputs[i].Name ?? $"input{i}";
}
