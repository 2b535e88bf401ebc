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

    [TestCaseSource(nameof(Samples))]
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
