using NUnit.Framework;

namespace Scratch.Tests.Layers;

/// <summary>
/// RNN, LSTM, GRU and their cells against PyTorch 1.13 (Fixtures/recurrent.json, made by
/// make_recurrent_fixture.py): PyTorch's weights are loaded through the state dict, so the names,
/// shapes and gate order must match, and then outputs, final states and every gradient must agree.
/// </summary>
public class RecurrentPyTorchTests
{
    private static readonly Lazy<TorchFixture> Fixture = new(() => TorchFixture.Load("recurrent.json"));

    private static IEnumerable<string> Cases() => TorchFixture.Load("recurrent.json").Names;

    [Test]
    public void FixtureWasMadeByTorch113AndCoversEveryKind()
    {
        Assert.That(Fixture.Value.TorchVersion, Does.StartWith("1.13"));
        var kinds = Fixture.Value.Names.Select(n => Fixture.Value[n].Arg("kind").GetString()).ToHashSet();
        Assert.That(kinds, Is.EquivalentTo(new[] { "rnn", "lstm", "gru", "rnn_cell", "lstm_cell", "gru_cell" }));
    }

    [TestCaseSource(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = Fixture.Value[name];
        string kind = c.Arg("kind").GetString()!;
        int input = c.Arg("input_size").GetInt32(), hidden = c.Arg("hidden_size").GetInt32();
        bool bias = c.Arg("bias").GetBoolean();
        var nonlinearity = c.Arg("nonlinearity").GetString() == "relu" ? RnnNonlinearity.Relu : RnnNonlinearity.Tanh;
        if (kind.EndsWith("_cell", StringComparison.Ordinal)) CheckCell(c, kind, input, hidden, bias, nonlinearity);
        else CheckLayer(c, kind, input, hidden, bias, nonlinearity);
    }

    private static void CheckLayer(TorchFixture.Case c, string kind, int input, int hidden, bool bias, RnnNonlinearity nonlinearity)
    {
        int layers = c.Arg("num_layers").GetInt32();
        bool bidirectional = c.Arg("bidirectional").GetBoolean(), batchFirst = c.Arg("batch_first").GetBoolean();
        RNNBase module = kind switch
        {
            "lstm" => new LSTM(input, hidden, layers, bias, batchFirst, bidirectional: bidirectional),
            "gru" => new GRU(input, hidden, layers, bias, batchFirst, bidirectional: bidirectional),
            _ => new RNN(input, hidden, layers, nonlinearity, bias, batchFirst, bidirectional: bidirectional),
        };
        module.To(DType.Float64);
        Assert.That(module.StateDict().Keys, Is.EqualTo(c.Parameters), "state-dict names and order");
        module.LoadStateDict(c.StateDict());

        var x = c.Tensor("input", requiresGrad: true);
        var h0 = c.Has("h0") ? c.Tensor("h0", requiresGrad: true) : null;
        var c0 = c.Has("c0") ? c.Tensor("c0", requiresGrad: true) : null;
        var lengthsArg = c.Arg("lengths");
        var lengths = lengthsArg.ValueKind == System.Text.Json.JsonValueKind.Null ? null
            : Tensor.FromArray(lengthsArg.EnumerateArray().Select(v => v.GetInt32()).ToArray());
        var result = module.Forward(x, h0 is null ? null : new RecurrentState(h0, c0), lengths);

        c.AssertMatches("output", result.Output, "output");
        c.AssertMatches("h_n", result.State.Hidden, "h_n");
        if (kind == "lstm") c.AssertMatches("c_n", result.State.Cell, "c_n");
        else Assert.That(result.State.Cell, Is.Null);

        var loss = (result.Output * c.Tensor("w_output")).Sum() + (result.State.Hidden * c.Tensor("w_h")).Sum();
        if (kind == "lstm") loss += (result.State.Cell! * c.Tensor("w_c")).Sum();
        loss.Backward();
        c.AssertMatches("grad.input", x.Grad, "grad input");
        if (h0 is not null) c.AssertMatches("grad.h0", h0.Grad, "grad h0");
        if (c0 is not null) c.AssertMatches("grad.c0", c0.Grad, "grad c0");
        foreach (var (pname, tensor) in module.NamedParameters())
            c.AssertMatches("grad.param." + pname, tensor.Grad, "grad " + pname);
    }

    private static void CheckCell(TorchFixture.Case c, string kind, int input, int hidden, bool bias, RnnNonlinearity nonlinearity)
    {
        RNNCellBase cell = kind switch
        {
            "lstm_cell" => new LSTMCell(input, hidden, bias),
            "gru_cell" => new GRUCell(input, hidden, bias),
            _ => new RNNCell(input, hidden, bias, nonlinearity),
        };
        cell.To(DType.Float64);
        Assert.That(cell.StateDict().Keys, Is.EqualTo(c.Parameters), "state-dict names and order");
        cell.LoadStateDict(c.StateDict());

        var x = c.Tensor("input", requiresGrad: true);
        var h0 = c.Tensor("h0", requiresGrad: true);
        var c0 = c.Has("c0") ? c.Tensor("c0", requiresGrad: true) : null;
        var state = new RecurrentState(h0, c0);
        for (int step = 0; step < 2; step++) state = cell.Forward(x, state);

        c.AssertMatches("h_n", state.Hidden, "h");
        var loss = (state.Hidden * c.Tensor("w_h")).Sum();
        if (c0 is not null)
        {
            c.AssertMatches("c_n", state.Cell, "c");
            loss += (state.Cell! * c.Tensor("w_c")).Sum();
        }
        loss.Backward();
        c.AssertMatches("grad.input", x.Grad, "grad input");
        c.AssertMatches("grad.h0", h0.Grad, "grad h0");
        if (c0 is not null) c.AssertMatches("grad.c0", c0.Grad, "grad c0");
        foreach (var (pname, tensor) in cell.NamedParameters())
            c.AssertMatches("grad.param." + pname, tensor.Grad, "grad " + pname);
    }
}
