namespace Scratch.Checks;

/// <summary>The outcome of one check of one registry sample.</summary>
/// <param name="Sample">The sample's id (op.variant).</param>
/// <param name="Check">forward-float64, forward-float32, gradcheck or parity.</param>
/// <param name="Passed">True when the check held.</param>
/// <param name="Detail">The worst deviation, or what went wrong.</param>
public sealed record OpCheckResult(string Sample, string Check, bool Passed, string Detail);

/// <summary>
/// The registry's checks, runnable on any device: forward values against the naive float64
/// reference, gradient checks in float64 on the device, and float32 parity of outputs and input
/// gradients with the CPU backend. The test suite runs them on the CPU; <c>scratch check --device
/// cuda</c> runs them on a GPU machine that has no .NET SDK.
/// </summary>
public static class OpChecks
{
    /// <summary>
    /// Float32 tolerance of device-vs-CPU parity, |a − b| ≤ atol + rtol·|b|: backends sum in different
    /// orders (GEMM and reduction trees), which moves float32 results by about √K·2^-24 relative for a
    /// K-term sum — under 1e-5 for the registry's sizes — so 1e-4 leaves room without hiding real errors,
    /// which are of the order of the values themselves.
    /// </summary>
    public const double ParityTolerance = 1e-4;

    /// <summary>
    /// Runs every check of every sample whose id contains <paramref name="filter"/> on <paramref name="device"/>;
    /// <paramref name="fastGradients"/> checks one random projection vᵀJu instead of the full Jacobian (and the
    /// full one only when that fails), for slow devices; <paramref name="only"/> selects one sample by its exact id.
    /// </summary>
    public static IEnumerable<OpCheckResult> Run(Device device, string? filter = null, bool gradients = true, bool fastGradients = false,
        string? only = null)
    {
        foreach (var sample in OpRegistry.All)
        {
            if (filter is not null && !sample.Id.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
            if (only is not null && sample.Id != only) continue;
            yield return Guard(sample, "forward-float64", () => Forward(sample, device, DType.Float64));
            yield return Guard(sample, "forward-float32", () => Forward(sample, device, DType.Float32));
            if (gradients && sample.CheckGradients) yield return Guard(sample, "gradcheck", () => Gradients(sample, device, fastGradients));
            if (device != Device.Cpu) yield return Guard(sample, "parity", () => Parity(sample, device));
        }
    }

    /// <summary>The op's output on <paramref name="device"/> against the naive float64 reference.</summary>
    public static OpCheckResult Forward(OpSample sample, Device device, DType dtype)
    {
        var (inputs, values) = sample.MakeInputs(dtype, device);
        var y = sample.Run(inputs);
        var expected = sample.Expected(values);
        string check = $"forward-{dtype.Name()}";
        if (!y.Shape.SequenceEqual(expected.Shape))
            return new(sample.Id, check, false, $"shape {y.ShapeString}, expected {Shapes.Format(expected.Shape)}");
        (double atol, double rtol) = y.DType == DType.Float32 ? (1e-5, 1e-5) : (1e-12, 1e-10);
        return Compare(sample.Id, check, y.ToArray<double>(), expected.Data, atol, rtol);
    }

    /// <summary>A float64 gradient check with the inputs on <paramref name="device"/> (<paramref name="fast"/>: see <see cref="GradCheck.Check"/>).</summary>
    public static OpCheckResult Gradients(OpSample sample, Device device, bool fast = false)
    {
        var (inputs, _) = sample.MakeInputs(DType.Float64, device);
        var report = GradCheck.Check(sample.Run, inputs, eps: sample.Eps ?? 1e-6, fast: fast);
        return new(sample.Id, "gradcheck", report.Passed, report.ToString());
    }

    /// <summary>Float32 outputs and input gradients on <paramref name="device"/> against the CPU backend's.</summary>
    public static OpCheckResult Parity(OpSample sample, Device device)
    {
        var (cpuOut, cpuGrads) = Evaluate(sample, Device.Cpu);
        var (devOut, devGrads) = Evaluate(sample, device);
        var result = Compare(sample.Id, "parity", devOut, cpuOut, ParityTolerance, ParityTolerance);
        for (int i = 0; i < cpuGrads.Length && result.Passed; i++)
        {
            if (cpuGrads[i] is null) continue;
            result = Compare(sample.Id, "parity", devGrads[i]!, cpuGrads[i]!, ParityTolerance, ParityTolerance);
            if (!result.Passed) result = result with { Detail = $"gradient of input {i}: {result.Detail}" };
        }
        return result;
    }

    private static (double[] Output, double[]?[] Gradients) Evaluate(OpSample sample, Device device)
    {
        var (inputs, _) = sample.MakeInputs(DType.Float32, device);
        var y = sample.Run(inputs);
        var output = y.ToArray<double>();
        if (!y.RequiresGrad) return (output, new double[]?[inputs.Length]);
        // A fixed upstream gradient with values exact in float32.
        var upstream = Enumerable.Range(0, (int)y.Count).Select(k => (k * 7919 % 13 - 6) / 6.0).ToArray();
        y.Backward(new Tensor(NDArray.FromArray(upstream, y.Data.ShapeArray()).To(y.DType).To(device)));
        return (output, inputs.Select(t => t.RequiresGrad ? t.Grad?.ToArray<double>() ?? new double[t.Count] : null).ToArray());
    }

    private static OpCheckResult Compare(string id, string check, double[] actual, double[] expected, double atol, double rtol)
    {
        if (actual.Length != expected.Length) return new(id, check, false, $"{actual.Length} values, expected {expected.Length}");
        int worst = -1;
        double worstExcess = double.NegativeInfinity;
        for (int i = 0; i < actual.Length; i++)
        {
            bool bothNaN = double.IsNaN(actual[i]) && double.IsNaN(expected[i]);
            double excess = bothNaN || actual[i] == expected[i] ? -1 : Math.Abs(actual[i] - expected[i]) - (atol + rtol * Math.Abs(expected[i]));
            if (double.IsNaN(excess)) excess = double.PositiveInfinity;
            if (excess > worstExcess) (worst, worstExcess) = (i, excess);
        }
        if (worst < 0) return new(id, check, true, "empty");
        string detail = FormattableString.Invariant($"worst element {worst}: {actual[worst]:G9} vs {expected[worst]:G9}");
        return new(id, check, worstExcess <= 0, detail);
    }

    private static OpCheckResult Guard(OpSample sample, string check, Func<OpCheckResult> run)
    {
        try
        {
            return run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(sample.Id, check, false, $"{e.GetType().Name}: {e.Message}");
        }
    }
}
