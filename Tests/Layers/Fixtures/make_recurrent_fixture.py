#!/usr/bin/python3
"""Writes recurrent.json: inputs, weights, outputs and gradients of PyTorch's recurrent layers and cells.

Run with Debian's python3-torch (torch 1.13):  /usr/bin/python3 Tests/Layers/Fixtures/make_recurrent_fixture.py
The tests (RecurrentPyTorchTests) read the JSON; they do not need torch. Every case runs in float64 and takes
the gradient of  L = sum(output * w_output) + sum(h_n * w_h) [+ sum(c_n * w_c)]  with fixed random weights w.
"""
import json
import os

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(14)
torch.set_default_dtype(torch.float64)


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def layer_case(name, kind, input_size, hidden, layers=1, bidirectional=False, batch_first=False, bias=True,
               nonlinearity="tanh", steps=5, batch=3, lengths=None, initial=False):
    cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind]
    extra = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    module = cls(input_size, hidden, num_layers=layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional, **extra)
    dirs = 2 if bidirectional else 1
    shape = (batch, steps, input_size) if batch_first else (steps, batch, input_size)
    x = torch.randn(*shape, requires_grad=True)
    state = None
    h0 = c0 = None
    if initial:
        h0 = (0.5 * torch.randn(layers * dirs, batch, hidden)).requires_grad_()
        if kind == "lstm":
            c0 = (0.5 * torch.randn(layers * dirs, batch, hidden)).requires_grad_()
            state = (h0, c0)
        else:
            state = h0
    if lengths is None:
        out, final = module(x, state)
    else:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=False)
        packed_out, final = module(packed, state)
        out, _ = pad_packed_sequence(packed_out, batch_first=batch_first, total_length=steps)
    hn, cn = final if kind == "lstm" else (final, None)
    w_out = torch.randn(out.shape)
    w_h = torch.randn(hn.shape)
    loss = (out * w_out).sum() + (hn * w_h).sum()
    w_c = None
    if cn is not None:
        w_c = torch.randn(cn.shape)
        loss = loss + (cn * w_c).sum()
    loss.backward()

    tensors = {"input": flat(x), "output": flat(out), "h_n": flat(hn), "w_output": flat(w_out), "w_h": flat(w_h),
               "grad.input": flat(x.grad)}
    if cn is not None:
        tensors["c_n"] = flat(cn)
        tensors["w_c"] = flat(w_c)
    if h0 is not None:
        tensors["h0"] = flat(h0)
        tensors["grad.h0"] = flat(h0.grad)
    if c0 is not None:
        tensors["c0"] = flat(c0)
        tensors["grad.c0"] = flat(c0.grad)
    names = []
    for pname, p in module.named_parameters():
        names.append(pname)
        tensors["param." + pname] = flat(p)
        tensors["grad.param." + pname] = flat(p.grad)
    return {"name": name, "kind": kind, "input_size": input_size, "hidden_size": hidden, "num_layers": layers,
            "bidirectional": bidirectional, "batch_first": batch_first, "bias": bias, "nonlinearity": nonlinearity,
            "lengths": lengths, "parameters": names, "tensors": tensors}


def cell_case(name, kind, input_size, hidden, batch=3, bias=True, nonlinearity="tanh"):
    cls = {"rnn": nn.RNNCell, "lstm": nn.LSTMCell, "gru": nn.GRUCell}[kind]
    extra = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
    module = cls(input_size, hidden, bias=bias, **extra)
    x = torch.randn(batch, input_size, requires_grad=True)
    h0 = (0.5 * torch.randn(batch, hidden)).requires_grad_()
    c0 = (0.5 * torch.randn(batch, hidden)).requires_grad_() if kind == "lstm" else None
    # Two steps, so the state's gradient passes through the recurrence.
    state = (h0, c0) if kind == "lstm" else h0
    for _ in range(2):
        state = module(x, state)
    hn, cn = state if kind == "lstm" else (state, None)
    w_h = torch.randn(hn.shape)
    loss = (hn * w_h).sum()
    tensors = {"input": flat(x), "h0": flat(h0), "h_n": flat(hn), "w_h": flat(w_h)}
    if cn is not None:
        w_c = torch.randn(cn.shape)
        loss = loss + (cn * w_c).sum()
        tensors["c0"] = flat(c0)
        tensors["c_n"] = flat(cn)
        tensors["w_c"] = flat(w_c)
    loss.backward()
    tensors["grad.input"] = flat(x.grad)
    tensors["grad.h0"] = flat(h0.grad)
    if c0 is not None:
        tensors["grad.c0"] = flat(c0.grad)
    names = []
    for pname, p in module.named_parameters():
        names.append(pname)
        tensors["param." + pname] = flat(p)
        tensors["grad.param." + pname] = flat(p.grad)
    return {"name": name, "kind": kind + "_cell", "input_size": input_size, "hidden_size": hidden, "num_layers": 1,
            "bidirectional": False, "batch_first": False, "bias": bias, "nonlinearity": nonlinearity,
            "lengths": None, "parameters": names, "tensors": tensors}


cases = [
    layer_case("lstm.2layer.bidirectional.initial", "lstm", 3, 4, layers=2, bidirectional=True, initial=True),
    layer_case("lstm.lengths.bidirectional.batch_first.initial", "lstm", 3, 4, bidirectional=True, batch_first=True, lengths=[5, 2, 4], initial=True),
    layer_case("lstm.2layer.lengths.no_bias", "lstm", 2, 3, layers=2, bias=False, lengths=[3, 5, 1]),
    layer_case("gru.2layer.bidirectional.batch_first", "gru", 3, 4, layers=2, bidirectional=True, batch_first=True),
    layer_case("gru.lengths.bidirectional.initial", "gru", 3, 4, bidirectional=True, lengths=[4, 5, 2], initial=True),
    layer_case("rnn.tanh.lengths.initial", "rnn", 3, 4, lengths=[2, 5, 3], initial=True),
    layer_case("rnn.relu.2layer.bidirectional", "rnn", 3, 4, layers=2, bidirectional=True, nonlinearity="relu"),
    cell_case("lstm_cell", "lstm", 3, 4),
    cell_case("gru_cell", "gru", 3, 4),
    cell_case("rnn_cell.tanh", "rnn", 3, 4),
    cell_case("rnn_cell.relu.no_bias", "rnn", 3, 4, bias=False, nonlinearity="relu"),
]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "recurrent.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path}: {len(cases)} cases")
