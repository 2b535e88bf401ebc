using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>
/// Conv1d and the 1-D pooling layers against PyTorch 1.13 (Fixtures/conv1d.json, made by
/// make_conv1d_fixture.py): outputs and the gradients of input, weight and bias.
/// </summary>
public class Conv1dPyTorchTests
{
    private static readonly Lazy<TorchFixture> Fixture = new(() => TorchFixture.Load("conv1d.json"));

    private static IEnumerable<string> Cases() => TorchFixture.Load("conv1d.json").Names;

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = Fixture.Value[name];
        int Int(string key) => c.Arg(key).GetInt32();
        Module module = c.Arg("layer").GetString() switch
        {
            "conv1d" => new Conv1d(Int("in"), Int("out"), Int("kernel"), Int("stride"), Int("padding"), Int("dilation"), Int("groups"), c.Arg("bias").GetBoolean()),
            "max_pool1d" => new MaxPool1d(Int("kernel"), Int("stride"), Int("padding")),
            "avg_pool1d" => new AvgPool1d(Int("kernel"), Int("stride"), Int("padding"), c.Arg("count_include_pad").GetBoolean()),
            "adaptive_avg_pool1d" => new AdaptiveAvgPool1d(Int("output")),
            var other => throw new InvalidOperationException(other),
        };
        module.To(DType.Float64);
        Assert.That(module.StateDict().Keys, Is.EqualTo(c.Parameters), "state-dict names");
        module.LoadStateDict(c.StateDict());

        var x = c.Tensor("input", requiresGrad: true);
        var y = module.Forward(x);
        c.AssertMatches("output", y, "output");
        (y * c.Tensor("w_output")).Sum().Backward();
        c.AssertMatches("grad.input", x.Grad, "grad input");
        foreach (var (pname, tensor) in module.NamedParameters())
            c.AssertMatches("grad.param." + pname, tensor.Grad, "grad " + pname);
    }
}
