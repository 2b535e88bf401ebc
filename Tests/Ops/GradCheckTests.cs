using Scratch.Checks;
using NUnit.Framework;

namespace Scratch.Tests.Ops;

/// <summary>
/// One gradient check per registry sample (float64 central differences with PyTorch's defaults
/// eps 1e-6, atol 1e-5, rtol 1e-3), in the full mode and in the fast (projected) mode.
/// </summary>
[TestFixture]
public class GradCheckTests
{
    /// <summary>The registry's samples that are small enough for a full Jacobian, as test cases.</summary>
    public static IEnumerable<TestCaseData> Samples()
        => OpRegistry.All.Where(s => s.CheckGradients).Select(s => new TestCaseData(s).SetArgDisplayNames(s.Id));

    [TestCaseSource(nameof(Samples))]
    public void Full(OpSample sample)
    {
        var (inputs, _) = sample.MakeInputs(DType.Float64);
        var report = GradCheck.Check(sample.Run, inputs, eps: sample.Eps ?? 1e-6);
        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report.Mode, Is.EqualTo("full"));
        bool anyElementChecked = inputs.Any(t => t.RequiresGrad && t.Count > 0) && sample.Run(inputs).Count > 0;
        // A check that compared nothing would pass vacuously; make sure it looked at some Jacobian entry.
        if (anyElementChecked) Assert.That(report.InputIndex, Is.GreaterThanOrEqualTo(0), "the gradient check compared no Jacobian entry");
    }

    [TestCaseSource(nameof(Samples))]
    public void Fast(OpSample sample)
    {
        var (inputs, _) = sample.MakeInputs(DType.Float64);
        var report = GradCheck.Check(sample.Run, inputs, eps: sample.Eps ?? 1e-6, fast: true);
        Assert.That(report.Passed, Is.True, report.ToString());
        Assert.That(report.Mode, Is.EqualTo("fast"));
    }

    /// <summary>Every registry sample, large ones included (one backward pass each).</summary>
    public static IEnumerable<TestCaseData> AllSamples()
        => OpRegistry.All.Select(s => new TestCaseData(s).SetArgDisplayNames(s.Id));

    /// <summary>
    /// The float32 backward kernels against the float64 ones (which the gradient check vouches for): the
    /// same inputs (the float32-rounded values) and the same upstream gradient must give the same input
    /// gradients within float32 accuracy.
    /// </summary>
    [TestCaseSource(nameof(AllSamples))]
    public void Float32GradientsMatchFloat64(OpSample sample)
    {
        var (inputs32, values) = sample.MakeInputs(DType.Float32);
        var inputs64 = inputs32.Select((t, i) => t.DType == DType.Float32
            ? new Tensor(NDArray.FromArray(values[i], t.Data.ShapeArray()), t.RequiresGrad)
            : t).ToArray();
        var grads32 = Gradients(sample, inputs32);
        var grads64 = Gradients(sample, inputs64);
        for (int i = 0; i < inputs32.Length; i++)
        {
            if (!inputs32[i].RequiresGrad) continue;
            Assert.That(inputs32[i].Grad!.DType, Is.EqualTo(DType.Float32), $"input {i} gradient dtype");
            var (g32, g64) = (grads32[i]!, grads64[i]!);
            Assert.That(g32, Has.Length.EqualTo(g64.Length));
            for (int e = 0; e < g32.Length; e++)
                Assert.That(g32[e], Is.EqualTo(g64[e]).Within(1e-4 + 1e-4 * Math.Abs(g64[e])), $"input {i} element {e}");
        }
    }

    /// <summary>Input gradients for a fixed upstream gradient with values in [−1, 1] (exact in float32).</summary>
    private static double[]?[] Gradients(OpSample sample, Tensor[] inputs)
    {
        var y = sample.Run(inputs);
        var upstream = Enumerable.Range(0, (int)y.Count).Select(k => (k * 7919 % 13 - 6) / 6.0).ToArray();
        y.Backward(new Tensor(NDArray.FromArray(upstream, y.Data.ShapeArray()).To(y.DType)));
        return inputs.Select(t => t.RequiresGrad ? t.Grad?.ToArray<double>() ?? new double[t.Count] : null).ToArray();
    }

    [TestCaseSource(nameof(AllSamples))]
    public void OutputRecordsTheGraph(OpSample sample)
    {
        var (inputs, _) = sample.MakeInputs(DType.Float64);
        var y = sample.Run(inputs);
        Assert.That(y.RequiresGrad, Is.EqualTo(inputs.Any(t => t.RequiresGrad)), "the output should require a gradient exactly when an input does");
        using (Tensor.NoGrad())
        {
            var z = sample.Run(inputs);
            // Under NoGrad only the inputs themselves may come back (identity views like a 1-D transpose).
            Assert.That(z.GradFn, Is.Null, "NoGrad recorded an op");
        }
    }
}
