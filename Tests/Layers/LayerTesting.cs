using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>Shared helpers for the layer, loss and initialiser tests.</summary>
internal static class LayerTesting
{
    /// <summary>Deterministic values s·sin(a·i + b), the same formula the PyTorch reference snippets use.</summary>
    public static double[] Seq(int n, double a = 0.7, double b = 0.3, double s = 1.0)
        => Enumerable.Range(0, n).Select(i => s * Math.Sin(a * i + b)).ToArray();

    /// <summary>A float64 tensor of <see cref="Seq"/> values with the given shape.</summary>
    public static Tensor Tensor64(int[] shape, double a = 0.7, double b = 0.3, double s = 1.0, bool requiresGrad = false)
        => Tensor.FromArray(Seq((int)Shapes.Count(shape), a, b, s), shape, requiresGrad);

    /// <summary>A float32 tensor of <see cref="Seq"/> values.</summary>
    public static Tensor Tensor32(int[] shape, double a = 0.7, double b = 0.3, double s = 1.0)
        => Tensor.FromArray(Seq((int)Shapes.Count(shape), a, b, s).Select(v => (float)v).ToArray(), shape);

    /// <summary>Asserts two sequences agree elementwise within |a − e| ≤ atol + rtol·|e|.</summary>
    public static void AssertClose(IReadOnlyList<double> actual, IReadOnlyList<double> expected, double atol = 1e-10, double rtol = 1e-9, string what = "")
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count), $"{what}: element count");
        for (int i = 0; i < expected.Count; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(atol + rtol * Math.Abs(expected[i])), $"{what}[{i}]");
    }

    /// <summary>
    /// Gradient check (float64, PyTorch's defaults) of <paramref name="module"/>'s forward pass with respect
    /// to its input (when floating) and every parameter: the module is converted to float64 first. Every
    /// parameter must also be reached by the backward pass (see <see cref="ModuleGradientProblem"/>).
    /// </summary>
    public static void AssertModuleGradients(Module module, Tensor input, bool inputRequiresGrad = true)
    {
        string? problem = ModuleGradientProblem(module, input, inputRequiresGrad);
        Assert.That(problem, Is.Null, problem);
    }

    /// <summary>
    /// What is wrong with <paramref name="module"/>'s gradients, or null: a failed gradient check, or a parameter
    /// that one backward pass from the summed output does not reach (an unused parameter has a zero Jacobian on
    /// both sides, which the gradient check alone would pass).
    /// </summary>
    public static string? ModuleGradientProblem(Module module, Tensor input, bool inputRequiresGrad = true)
    {
        module.To(DType.Float64);
        var holders = module.NamedParameterHolders().ToList();
        var x = input.DType.IsFloatingPoint()
            ? new Tensor(input.Data.To(DType.Float64), inputRequiresGrad) { Name = "input" }
            : input;
        var inputs = new[] { x }
            .Concat(holders.Select(h => new Tensor(h.Parameter.Data, requiresGrad: true) { Name = h.Name }))
            .ToArray();
        var originals = holders.Select(h => h.Parameter.Value).ToArray();
        try
        {
            var report = GradCheck.Check(ts =>
            {
                for (int i = 0; i < holders.Count; i++) holders[i].Parameter.Value = ts[i + 1];
                return module.Forward(ts[0]);
            }, inputs);
            if (!report.Passed) return report.ToString();
            if (holders.Count == 0) return null;

            var fresh = inputs.Skip(1).Select(t => new Tensor(t.Data, requiresGrad: true)).ToArray();
            for (int i = 0; i < holders.Count; i++) holders[i].Parameter.Value = fresh[i];
            module.Forward(new Tensor(x.Data)).Sum().Backward();
            var unused = holders.Where((_, i) => fresh[i].Grad is null).Select(h => h.Name).ToArray();
            return unused.Length == 0 ? null : $"the backward pass reaches no gradient to parameter(s) {string.Join(", ", unused)}: unused in the forward pass";
        }
        finally
        {
            for (int i = 0; i < holders.Count; i++) holders[i].Parameter.Value = originals[i];
        }
    }

    /// <summary>Gradient check of a function of float64 tensors.</summary>
    public static void AssertGradients(Func<Tensor[], Tensor> function, params Tensor[] inputs)
    {
        var report = GradCheck.Check(function, inputs);
        Assert.That(report.Passed, Is.True, report.ToString());
    }
}
