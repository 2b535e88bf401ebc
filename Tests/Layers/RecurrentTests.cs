using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>Recurrent layers' behaviour that PyTorch's numbers alone do not pin down.</summary>
public class RecurrentTests
{
    private static Tensor Input(int[] shape, double a = 0.7, double b = 0.3) => LayerTesting.Tensor64(shape, a, b);

    private static double[] Values(Tensor t) => t.Data.To(DType.Float64).ToArray<double>();

    [Test]
    public void NamesShapesAndInitialisationFollowPyTorch()
    {
        var lstm = new LSTM(5, 8, numLayers: 2, bidirectional: true, generator: new Generator(0));
        var shapes = lstm.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ShapeArray());
        Assert.That(shapes.Keys, Is.EqualTo(new[]
        {
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
        }));
        Assert.That(shapes["weight_ih_l0"], Is.EqualTo(new[] { 32, 5 }));
        Assert.That(shapes["weight_ih_l1"], Is.EqualTo(new[] { 32, 16 }));
        Assert.That(shapes["weight_hh_l1_reverse"], Is.EqualTo(new[] { 32, 8 }));
        Assert.That(new GRU(5, 8).StateDict()["weight_hh_l0"].ShapeArray(), Is.EqualTo(new[] { 24, 8 }));
        Assert.That(new RNN(5, 8, bias: false).StateDict().Keys, Is.EqualTo(new[] { "weight_ih_l0", "weight_hh_l0" }));

        // U(−1/√H, 1/√H) for every tensor, weights and biases alike.
        double bound = 1 / Math.Sqrt(8);
        foreach (var (name, tensor) in lstm.NamedParameters())
        {
            var v = Values(tensor);
            Assert.That(v.Max(Math.Abs), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.8 * bound), name);
            Assert.That(Math.Abs(v.Average()), Is.LessThan(0.2 * bound), name);
        }
        Assert.That(lstm["weight_hh_l1_reverse"].Shape, Is.EqualTo(new[] { 32, 8 }));
        Assert.Throws<KeyNotFoundException>(() => _ = lstm["weight_hh_l2"]);
    }

    [Test]
    public void ReprIsPyTorchs()
    {
        Assert.That(new LSTM(28, 128, batchFirst: true).ToString(), Is.EqualTo("LSTM(28, 128, batch_first=True)"));
        Assert.That(new GRU(3, 4, numLayers: 2, dropout: 0.5, bidirectional: true).ToString(), Is.EqualTo("GRU(3, 4, num_layers=2, dropout=0.5, bidirectional=True)"));
        Assert.That(new RNN(3, 4, nonlinearity: RnnNonlinearity.Relu, bias: false).ToString(), Is.EqualTo("RNN(3, 4, bias=False, nonlinearity=relu)"));
        Assert.That(new LSTMCell(3, 4).ToString(), Is.EqualTo("LSTMCell(3, 4)"));
    }

    [Test]
    public void LayerEqualsItsCellRunInALoop()
    {
        var lstm = new LSTM(3, 4, generator: new Generator(1)).To(DType.Float64);
        var cell = new LSTMCell(3, 4).To(DType.Float64);
        cell.LoadStateDict(lstm.StateDict().ToDictionary(kv => kv.Key[..^3], kv => kv.Value));
        var x = Input([5, 2, 3]);
        var layer = ((LSTM)lstm).Forward(x, null);
        RecurrentState? state = null;
        for (int t = 0; t < 5; t++)
        {
            state = ((LSTMCell)cell).Forward(x.Select(0, t), state);
            LayerTesting.AssertClose(Values(layer.Output.Select(0, t)), Values(state.Hidden), what: $"step {t}");
        }
        LayerTesting.AssertClose(Values(layer.State.Cell!.Select(0, 0)), Values(state!.Cell!), what: "c_n");
    }

    [Test]
    public void BatchFirstAndUnbatchedAgreeWithTimeMajor()
    {
        var gru = (GRU)new GRU(3, 4, numLayers: 2, bidirectional: true, generator: new Generator(2)).To(DType.Float64);
        var batchFirst = (GRU)new GRU(3, 4, numLayers: 2, batchFirst: true, bidirectional: true).To(DType.Float64);
        batchFirst.LoadStateDict(gru.StateDict());
        var x = Input([5, 2, 3]);
        var timeMajor = gru.Forward(x, null);
        var first = batchFirst.Forward(x.Transpose(0, 1), null);
        LayerTesting.AssertClose(Values(first.Output.Transpose(0, 1)), Values(timeMajor.Output), what: "output");
        LayerTesting.AssertClose(Values(first.State.Hidden), Values(timeMajor.State.Hidden), what: "h_n");

        var single = gru.Forward(x.Select(1, 1), null);
        Assert.That(single.Output.Shape, Is.EqualTo(new[] { 5, 8 }));
        Assert.That(single.State.Hidden.Shape, Is.EqualTo(new[] { 4, 4 }));
        LayerTesting.AssertClose(Values(single.Output), Values(timeMajor.Output.Select(1, 1)), what: "unbatched output");
    }

    [Test]
    public void ShortSequencesStopAtTheirLengthAndPadWithZeros()
    {
        var lstm = (LSTM)new LSTM(3, 4, bidirectional: true, generator: new Generator(3)).To(DType.Float64);
        var x = Input([6, 3, 3]);
        var result = lstm.Forward(x, null, Tensor.FromArray(new[] { 6, 2, 4 }));
        var output = result.Output;
        // Outputs past each length are exactly zero.
        Assert.That(Values(output.Narrow(0, 2, 4).Select(1, 1)), Is.All.EqualTo(0.0));
        Assert.That(Values(output.Narrow(0, 4, 2).Select(1, 2)), Is.All.EqualTo(0.0));
        Assert.That(Values(output.Select(0, 3).Select(0, 2)).Count(v => v != 0), Is.EqualTo(8));

        // Sequence 1 alone, cut to its 2 steps, gives the same outputs and final states (both directions).
        var alone = lstm.Forward(x.Narrow(0, 0, 2).Narrow(1, 1, 1), null);
        LayerTesting.AssertClose(Values(output.Narrow(0, 0, 2).Narrow(1, 1, 1)), Values(alone.Output), what: "output");
        LayerTesting.AssertClose(Values(result.State.Hidden.Narrow(1, 1, 1)), Values(alone.State.Hidden), what: "h_n");
        LayerTesting.AssertClose(Values(result.State.Cell!.Narrow(1, 1, 1)), Values(alone.State.Cell!), what: "c_n");

        // Full lengths change nothing.
        var full = lstm.Forward(x, null, Tensor.FromArray(new[] { 6, 6, 6 }));
        LayerTesting.AssertClose(Values(full.Output), Values(lstm.Forward(x, null).Output), what: "full lengths");
    }

    [Test]
    public void DropoutActsBetweenLayersOnlyInTraining()
    {
        var noDropout = (LSTM)new LSTM(3, 4, numLayers: 2, generator: new Generator(4)).To(DType.Float64);
        var withDropout = (LSTM)new LSTM(3, 4, numLayers: 2, dropout: 0.5, generator: new Generator(5)).To(DType.Float64);
        withDropout.LoadStateDict(noDropout.StateDict());
        withDropout.Generator = new Generator(6);
        var x = Input([4, 2, 3]);
        var reference = Values(noDropout.Forward(x));
        var training = Values(withDropout.Forward(x));
        Assert.That(training, Is.Not.EqualTo(reference));
        withDropout.Eval();
        LayerTesting.AssertClose(Values(withDropout.Forward(x)), reference, what: "eval");

        // One layer has nothing between layers: dropout does not touch it.
        var single = (GRU)new GRU(3, 4, dropout: 0.9, generator: new Generator(7)).To(DType.Float64);
        var singleEval = (GRU)new GRU(3, 4).To(DType.Float64);
        singleEval.LoadStateDict(single.StateDict());
        singleEval.Eval();
        LayerTesting.AssertClose(Values(single.Forward(x)), Values(singleEval.Forward(x)), what: "one layer");
    }

    [Test]
    public void TrainsOnFloat32WithGradientClipping()
    {
        // A sum-of-inputs task: the LSTM must carry information across all steps.
        var gen = new Generator(8);
        var lstm = new LSTM(1, 8, generator: gen);
        var head = new Linear(8, 1, generator: gen);
        var parameters = lstm.Parameters().Concat(head.Parameters()).ToList();
        var opt = new Adam(parameters, lr: 0.02);
        var x = Tensor.Rand([6, 32, 1], new Generator(9), low: -1, high: 1);
        var y = x.Sum(0);
        double first = 0, last = 0;
        for (int step = 0; step < 150; step++)
        {
            var result = lstm.Forward(x, null);
            var loss = (head.Forward(result.State.Hidden.Select(0, 0)) - y).Square().Mean();
            opt.ZeroGrad();
            loss.Backward();
            GradClip.ClipByNorm(parameters, 1.0);
            opt.Step();
            if (step == 0) first = loss.Item();
            last = loss.Item();
        }
        Assert.That(last, Is.LessThan(first / 10), $"loss {first} -> {last}");
    }
}
