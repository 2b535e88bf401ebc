using Scratch.Checks;
using NUnit.Framework;

namespace Scratch.Tests.Ops;

/// <summary>
/// Every registry sample's forward value against its naive float64 reference, in float64 and in
/// float32 (the reference then sees the float32-rounded inputs).
/// </summary>
[TestFixture]
public class ForwardValueTests
{
    /// <summary>The registry's samples as test cases, once per float dtype.</summary>
    public static IEnumerable<TestCaseData> Samples()
    {
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
            foreach (var s in OpRegistry.All)
                yield return new TestCaseData(s, dtype).SetArgDisplayNames(s.Id, dtype.Name());
    }

    [TestCaseSource(nameof(Samples))]
    public void MatchesTheReference(OpSample sample, DType dtype)
    {
        var (inputs, values) = sample.MakeInputs(dtype);
        var y = sample.Run(inputs);
        var expected = sample.Expected(values);

        Assert.That(y.Shape, Is.EqualTo(expected.Shape), "shape");
        // Casts to float64 inside the sample keep float64 outputs for float32 inputs.
        var wantDType = sample.Op == "To" ? DType.Float64 : dtype;
        Assert.That(y.DType, Is.EqualTo(wantDType), "dtype");
        AssertClose(y.ToArray<double>(), expected.Data, y.DType);
    }

    /// <summary>|actual − expected| ≤ atol + rtol·|expected| for each element, with tolerances of the dtype.</summary>
    public static void AssertClose(double[] actual, double[] expected, DType dtype)
    {
        (double atol, double rtol) = dtype == DType.Float32 ? (1e-5, 1e-5) : (1e-12, 1e-10);
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = atol + rtol * Math.Abs(expected[i]);
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(tolerance), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
