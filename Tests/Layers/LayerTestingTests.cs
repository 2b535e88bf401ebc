using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>The layer gradient-check helper itself: it must catch what the layers' tests rely on it to catch.</summary>
public class LayerTestingTests
{
    /// <summary>y = x · scale; <see cref="Forgotten"/> is a parameter the forward pass forgets.</summary>
    private sealed class ScaleWithUnusedParameter : Module
    {
        public Parameter Scale { get; } = new(NDArray.FromArray(new[] { 1.5, -0.5 }));
        public Parameter Forgotten { get; } = new(NDArray.FromArray(new[] { 0.25 }));

        protected override Tensor ForwardCore(Tensor input) => input * Scale.Value;
    }

    /// <summary>The same layer with both parameters used.</summary>
    private sealed class ScaleAndShift : Module
    {
        public Parameter Scale { get; } = new(NDArray.FromArray(new[] { 1.5, -0.5 }));
        public Parameter Shift { get; } = new(NDArray.FromArray(new[] { 0.25 }));

        protected override Tensor ForwardCore(Tensor input) => input * Scale.Value + Shift.Value;
    }

    private static Tensor Input => LayerTesting.Tensor64([3, 2]);

    [Test]
    public void AnUnusedParameterIsReported()
    {
        string? problem = LayerTesting.ModuleGradientProblem(new ScaleWithUnusedParameter(), Input);
        Assert.That(problem, Does.Contain("unused in the forward pass").And.Contain("forgotten"));
    }

    [Test]
    public void ALayerUsingEveryParameterPasses()
        => Assert.That(LayerTesting.ModuleGradientProblem(new ScaleAndShift(), Input), Is.Null);
}
