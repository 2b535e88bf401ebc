using Scratch.Checks;
using NUnit.Framework;

namespace Scratch.Tests.Ops;

/// <summary>GradCheck itself: it must fail on a wrong backward rule and point at the offending input and element.</summary>
[TestFixture]
public class GradCheckDetectsErrorsTests
{
    /// <summary>y = x² whose backward has the wrong sign.</summary>
    private sealed class FlippedSquare : Function
    {
        private NDArray? _x;

        public static Tensor Apply(Tensor x)
        {
            var y = x.Data.Square();
            if (!ShouldRecord(x)) return new Tensor(y);
            return new FlippedSquare { _x = x.Data }.Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [-(g * _x! * 2)];

        protected override void ReleaseSaved() => _x = null;
    }

    /// <summary>y = a·b whose backward is right for a but doubles element <c>Wrong</c> of ∂b.</summary>
    private sealed class MulWithOneBadElement(int wrong) : Function
    {
        private NDArray? _a, _b;

        public static Tensor Apply(Tensor a, Tensor b, int wrong)
        {
            var y = a.Data * b.Data;
            if (!ShouldRecord(a, b)) return new Tensor(y);
            return new MulWithOneBadElement(wrong) { _a = a.Data, _b = b.Data }.Record(y, a, b);
        }

        public override NDArray?[] Backward(NDArray g)
        {
            var gb = (g * _a!).Contiguous().ToArray<double>();
            gb[wrong] *= 2;
            return [g * _b!, NDArray.FromArray(gb, _b!.ShapeArray())];
        }

        protected override void ReleaseSaved() => (_a, _b) = (null, null);
    }

    /// <summary>y = ln x whose backward claims +∞ everywhere: right only where x − eps hits 0.</summary>
    private sealed class LogWithInfiniteGradient : Function
    {
        public static Tensor Apply(Tensor x)
        {
            var y = x.Data.Log();
            if (!ShouldRecord(x)) return new Tensor(y);
            return new LogWithInfiniteGradient().Record(y, x);
        }

        public override NDArray?[] Backward(NDArray g) => [g * double.PositiveInfinity];

        protected override void ReleaseSaved() { }
    }

    private static Tensor Values(double[] values, string name) => new(NDArray.FromArray(values, [values.Length]), requiresGrad: true) { Name = name };

    [Test]
    public void FlippedSignFailsAndNamesTheInput()
    {
        var x = Values([0.5, -1.25, 2.0], "x");
        var report = GradCheck.Check(t => FlippedSquare.Apply(t[0]), [x]);
        Assert.That(report.Passed, Is.False);
        Assert.That(report.InputIndex, Is.EqualTo(0));
        Assert.That(report.InputName, Is.EqualTo("x"));
        // The largest error is at the largest |x| (2.0 at element 2): numeric 4, analytic -4.
        Assert.That(report.ElementIndex, Is.EqualTo(2));
        Assert.That(report.OutputIndex, Is.EqualTo(2));
        Assert.That(report.Numeric, Is.EqualTo(4.0).Within(1e-6));
        Assert.That(report.Analytic, Is.EqualTo(-4.0).Within(1e-12));
        Assert.That(report.ToString(), Does.Contain("FAILED").And.Contain("x[2]"));
    }

    [Test]
    public void FastModeFailsAndFallsBackToTheFullCheckToLocateTheError()
    {
        var x = Values([0.5, -1.25, 2.0], "x");
        var report = GradCheck.Check(t => FlippedSquare.Apply(t[0]), [x], fast: true);
        Assert.That(report.Passed, Is.False);
        Assert.That(report.InputName, Is.EqualTo("x"));
        Assert.That(report.ElementIndex, Is.EqualTo(2));
    }

    [Test]
    public void OneWrongElementOfTheSecondInputIsLocated()
    {
        var a = Values([0.5, -1.5, 1.0, 0.25], "a");
        var b = Values([1.0, 2.0, -0.5, 0.75], "b");
        var report = GradCheck.Check(t => MulWithOneBadElement.Apply(t[0], t[1], wrong: 1), [a, b]);
        Assert.That(report.Passed, Is.False);
        Assert.That(report.InputIndex, Is.EqualTo(1));
        Assert.That(report.InputName, Is.EqualTo("b"));
        Assert.That(report.ElementIndex, Is.EqualTo(1));
        Assert.That(report.OutputIndex, Is.EqualTo(1));
        Assert.That(report.Numeric, Is.EqualTo(-1.5).Within(1e-6));
        Assert.That(report.Analytic, Is.EqualTo(-3.0).Within(1e-12));
    }

    [Test]
    public void UnnamedInputsAreCalledByTheirPosition()
    {
        var a = new Tensor(NDArray.FromArray(new[] { 1.0, 2.0 }), requiresGrad: true);
        var b = new Tensor(NDArray.FromArray(new[] { 3.0, 4.0 }), requiresGrad: true);
        var report = GradCheck.Check(t => MulWithOneBadElement.Apply(t[0], t[1], wrong: 0), [a, b]);
        Assert.That(report.InputName, Is.EqualTo("input1"));
        Assert.That(report.ToString(), Does.Contain("input1[0]"));
    }

    [Test]
    public void NaNOnBothSidesFails()
    {
        // √x at x < 0: the numeric and the analytic derivative are both NaN, which is no evidence of a right gradient.
        var x = Values([-1.0], "x");
        var report = GradCheck.Check(t => t[0].Sqrt(), [x]);
        Assert.That(report.Passed, Is.False, report.ToString());
        Assert.That(report.ElementIndex, Is.EqualTo(0));
        Assert.That(report.Numeric, Is.NaN);
        Assert.That(report.Analytic, Is.NaN);
    }

    [Test]
    public void InfinityOnBothSidesFails()
    {
        // At x = eps, ln(x − eps) = −∞, so the central difference is +∞, and so is the claimed gradient.
        var x = Values([1e-6], "x");
        var report = GradCheck.Check(t => LogWithInfiniteGradient.Apply(t[0]), [x]);
        Assert.That(report.Passed, Is.False, report.ToString());
        Assert.That(report.Numeric, Is.EqualTo(double.PositiveInfinity));
        Assert.That(report.Analytic, Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void FastModeFailsOnNaNOnBothSides()
    {
        var x = Values([-1.0], "x");
        Assert.That(GradCheck.Check(t => t[0].Sqrt(), [x], fast: true).Passed, Is.False);
    }

    [Test]
    public void CorrectBackwardPasses()
    {
        var a = Values([0.5, -1.5, 1.0, 0.25], "a");
        var b = Values([1.0, 2.0, -0.5, 0.75], "b");
        var report = GradCheck.Check(t => t[0] * t[1], [a, b]);
        Assert.That(report.Passed, Is.True, report.ToString());
    }

    [Test]
    public void AssertThrowsWithTheReport()
    {
        var x = Values([1.0, 2.0], "x");
        var error = Assert.Throws<InvalidOperationException>(() => GradCheck.Assert(t => FlippedSquare.Apply(t[0]), [x]));
        Assert.That(error!.Message, Does.Contain("FAILED").And.Contain("x[1]"));
    }

    [Test]
    public void Float32InputsAreRefused()
    {
        var x = new Tensor(NDArray.FromArray(new[] { 1f, 2f }), requiresGrad: true);
        var error = Assert.Throws<ArgumentException>(() => GradCheck.Check(t => t[0].Exp(), [x]));
        Assert.That(error!.Message, Does.Contain("float32").And.Contain("float64"));
    }
}
