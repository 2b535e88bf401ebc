using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>
/// Float64 gradient checks through time (central differences, PyTorch's tolerances) of every cell, of
/// multi-layer bidirectional stacks with initial states, and of variable-length batches: with respect
/// to the input, the initial state and every parameter.
/// </summary>
public class RecurrentGradientTests
{
    private static Tensor Values(int[] shape, double a, double b, double s = 1) => LayerTesting.Tensor64(shape, a, b, s, requiresGrad: true);

    /// <summary>
    /// Checks d(output, h_n, c_n)/d(input, h0, c0, parameters) of <paramref name="module"/> (converted to float64).
    /// </summary>
    private static void CheckLayer(RNNBase module, Tensor x, Tensor? h0, Tensor? c0, Tensor? lengths)
    {
        module.To(DType.Float64);
        var holders = module.NamedParameterHolders().ToList();
        var inputs = new List<Tensor> { x };
        if (h0 is not null) inputs.Add(h0);
        if (c0 is not null) inputs.Add(c0);
        int first = inputs.Count;
        inputs.AddRange(holders.Select(h => new Tensor(h.Parameter.Data, requiresGrad: true) { Name = h.Name }));
        var report = GradCheck.Check(ts =>
        {
            for (int i = 0; i < holders.Count; i++) holders[i].Parameter.Value = ts[first + i];
            var state = h0 is null ? null : new RecurrentState(ts[1], c0 is null ? null : ts[2]);
            var result = module.Forward(ts[0], state, lengths);
            var parts = new List<Tensor> { result.Output.Reshape(-1), result.State.Hidden.Reshape(-1) };
            if (result.State.Cell is { } cell) parts.Add(cell.Reshape(-1));
            return Tensor.Concat(parts);
        }, inputs.ToArray());
        Assert.That(report.Passed, Is.True, report.ToString());
    }

    private static void CheckCell(RNNCellBase cell, bool withCell)
    {
        cell.To(DType.Float64);
        var holders = cell.NamedParameterHolders().ToList();
        var inputs = new List<Tensor> { Values([2, 3], 0.9, 0.1), Values([2, 4], 0.4, 0.7, 0.5) };
        if (withCell) inputs.Add(Values([2, 4], 1.3, 0.2, 0.5));
        int first = inputs.Count;
        inputs.AddRange(holders.Select(h => new Tensor(h.Parameter.Data, requiresGrad: true) { Name = h.Name }));
        var report = GradCheck.Check(ts =>
        {
            for (int i = 0; i < holders.Count; i++) holders[i].Parameter.Value = ts[first + i];
            var state = new RecurrentState(ts[1], withCell ? ts[2] : null);
            for (int step = 0; step < 3; step++) state = cell.Forward(ts[0] * (step + 1.0), state);
            return withCell ? Tensor.Concat([state.Hidden, state.Cell!], 1) : state.Hidden;
        }, inputs.ToArray());
        Assert.That(report.Passed, Is.True, report.ToString());
    }

    [Test]
    public void RnnCellTanh() => CheckCell(new RNNCell(3, 4, generator: new Generator(1)), withCell: false);

    [Test]
    public void RnnCellRelu() => CheckCell(new RNNCell(3, 4, nonlinearity: RnnNonlinearity.Relu, generator: new Generator(2)), withCell: false);

    [Test]
    public void LstmCell() => CheckCell(new LSTMCell(3, 4, generator: new Generator(3)), withCell: true);

    [Test]
    public void GruCell() => CheckCell(new GRUCell(3, 4, generator: new Generator(4)), withCell: false);

    [Test]
    public void LstmTwoLayersBidirectionalWithInitialState()
        => CheckLayer(new LSTM(2, 3, numLayers: 2, bidirectional: true, generator: new Generator(5)),
            Values([3, 2, 2], 0.8, 0.3), Values([4, 2, 3], 0.5, 0.9, 0.5), Values([4, 2, 3], 1.1, 0.4, 0.5), null);

    [Test]
    public void GruTwoLayersBidirectionalBatchFirstWithInitialState()
        => CheckLayer(new GRU(2, 3, numLayers: 2, batchFirst: true, bidirectional: true, generator: new Generator(6)),
            Values([2, 3, 2], 0.8, 0.3), Values([4, 2, 3], 0.5, 0.9, 0.5), null, null);

    [Test]
    public void RnnTanhTwoLayersBidirectional()
        => CheckLayer(new RNN(2, 3, numLayers: 2, bidirectional: true, generator: new Generator(7)), Values([3, 2, 2], 0.8, 0.3), null, null, null);

    [Test]
    public void RnnReluWithoutBias()
        => CheckLayer(new RNN(2, 3, nonlinearity: RnnNonlinearity.Relu, bias: false, generator: new Generator(8)), Values([3, 2, 2], 0.8, 0.3), null, null, null);

    [Test]
    public void LstmBidirectionalVariableLengths()
        => CheckLayer(new LSTM(2, 3, bidirectional: true, generator: new Generator(9)),
            Values([4, 3, 2], 0.8, 0.3), Values([2, 3, 3], 0.5, 0.9, 0.5), Values([2, 3, 3], 1.1, 0.4, 0.5), Tensor.FromArray(new[] { 4, 1, 2 }));

    [Test]
    public void GruTwoLayersVariableLengthsBatchFirst()
        => CheckLayer(new GRU(2, 3, numLayers: 2, batchFirst: true, generator: new Generator(10)),
            Values([3, 4, 2], 0.8, 0.3), null, null, Tensor.FromArray(new[] { 2, 4, 3 }));

    [Test]
    public void RnnBidirectionalVariableLengthsWithInitialState()
        => CheckLayer(new RNN(2, 3, bidirectional: true, generator: new Generator(11)),
            Values([4, 2, 2], 0.8, 0.3), Values([2, 2, 3], 0.5, 0.9, 0.5), null, Tensor.FromArray(new[] { 3, 4 }));
}
