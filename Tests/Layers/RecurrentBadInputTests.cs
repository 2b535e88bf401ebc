using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>Bad input to the recurrent and 1-D convolution layers: each error names the layer and the shapes.</summary>
public class RecurrentBadInputTests
{
    private static string Error(Action action) => Assert.Throws<ArgumentException>(() => action())!.Message;

    [Test]
    public void WrongInputSize()
    {
        var lstm = new LSTM(28, 16, batchFirst: true);
        var message = Error(() => lstm.Forward(Tensor.Zeros([4, 28, 27])));
        Assert.That(message, Does.StartWith("lstm:").And.Contain("[4, 28, 27]").And.Contain("[N, T, 28]"));
        Assert.That(Error(() => new GRU(3, 4).Forward(Tensor.Zeros([2, 3, 4, 3]))), Does.StartWith("gru:").And.Contain("[2, 3, 4, 3]"));
        Assert.That(Error(() => new RNN(3, 4).Forward(Tensor.Zeros([0, 2, 3]))), Does.StartWith("rnn:").And.Contain("[0, 2, 3]"));
        Assert.That(Error(() => new LSTMCell(3, 4).Forward(Tensor.Zeros([2, 5]))), Does.StartWith("lstm_cell:").And.Contain("[2, 5]").And.Contain("[N, 3]"));
    }

    [Test]
    public void LengthsLongerThanTheTimeAxis()
    {
        var message = Error(() => new LSTM(3, 4).Forward(Tensor.Zeros([5, 2, 3]), null, Tensor.FromArray(new[] { 5, 6 })));
        Assert.That(message, Does.StartWith("lstm:").And.Contain("length 6").And.Contain("5 time steps").And.Contain("[5, 2, 3]"));
    }

    [Test]
    public void ZeroOrFractionalLengths()
    {
        var gru = new GRU(3, 4, batchFirst: true);
        Assert.That(Error(() => gru.Forward(Tensor.Zeros([2, 5, 3]), null, Tensor.FromArray(new[] { 0, 5 }))),
            Does.StartWith("gru:").And.Contain("sequence 0").And.Contain("length 0").And.Contain("[2, 5, 3]"));
        Assert.That(Error(() => gru.Forward(Tensor.Zeros([2, 5, 3]), null, Tensor.FromArray(new[] { 2.5f, 5f }))),
            Does.StartWith("gru:").And.Contain("length 2.5"));
    }

    [Test]
    public void LengthsOfTheWrongShape()
    {
        var message = Error(() => new RNN(3, 4).Forward(Tensor.Zeros([5, 2, 3]), null, Tensor.FromArray(new[] { 5, 4, 3 })));
        Assert.That(message, Does.StartWith("rnn:").And.Contain("lengths [3]").And.Contain("[2]").And.Contain("[5, 2, 3]"));
    }

    [Test]
    public void MismatchedInitialState()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, bidirectional: true);
        var x = Tensor.Zeros([5, 2, 3]);
        var message = Error(() => lstm.Forward(x, new RecurrentState(Tensor.Zeros([2, 2, 4]), Tensor.Zeros([4, 2, 4]))));
        Assert.That(message, Does.StartWith("lstm:").And.Contain("h0 [2, 2, 4]").And.Contain("[4, 2, 4]").And.Contain("[5, 2, 3]"));
        message = Error(() => lstm.Forward(x, new RecurrentState(Tensor.Zeros([4, 2, 4]), Tensor.Zeros([4, 3, 4]))));
        Assert.That(message, Does.StartWith("lstm:").And.Contain("c0 [4, 3, 4]"));
        Assert.That(Error(() => lstm.Forward(x, new RecurrentState(Tensor.Zeros([4, 2, 4])))), Does.StartWith("lstm:").And.Contain("c0 is missing"));
        Assert.That(Error(() => new GRU(3, 4).Forward(x, new RecurrentState(Tensor.Zeros([1, 2, 4]), Tensor.Zeros([1, 2, 4])))),
            Does.StartWith("gru:").And.Contain("no cell state"));
        Assert.That(Error(() => new GRUCell(3, 4).Forward(Tensor.Zeros([2, 3]), new RecurrentState(Tensor.Zeros([3, 4])))),
            Does.StartWith("gru_cell:").And.Contain("[3, 4]").And.Contain("[2, 4]"));
    }

    [Test]
    public void Conv1dShapes()
    {
        Assert.That(Error(() => new Conv1d(3, 4, 3).Forward(Tensor.Zeros([2, 2, 9]))), Does.StartWith("conv1d:").And.Contain("[2, 2, 9]").And.Contain("[4, 3, 3]"));
        Assert.That(Error(() => Tensor.Conv1d(Tensor.Zeros([2, 4, 9]), Tensor.Zeros([4, 3, 3]))), Does.StartWith("conv1d:").And.Contain("[2, 4, 9]").And.Contain("[4, 3, 3]"));
        Assert.That(Error(() => Tensor.Conv1d(Tensor.Zeros([2, 3, 2]), Tensor.Zeros([4, 3, 3]))), Does.StartWith("conv1d:").And.Contain("shorter"));
        Assert.That(Error(() => Tensor.Conv1d(Tensor.Zeros([2, 3, 9]), Tensor.Zeros([4, 3, 3]), Tensor.Zeros([3]))), Does.StartWith("conv1d:").And.Contain("bias [3]"));
        Assert.That(Error(() => new MaxPool1d(2).Forward(Tensor.Zeros([2, 9]))), Does.StartWith("max_pool1d:").And.Contain("[2, 9]"));
        Assert.That(Error(() => new AdaptiveAvgPool1d(2).Forward(Tensor.Zeros([2, 3, 4, 4]))), Does.StartWith("adaptive_avg_pool1d:").And.Contain("[2, 3, 4, 4]"));
        Assert.Throws<ArgumentException>(() => _ = new Conv1d(3, 4, 3, groups: 2));
    }
}
