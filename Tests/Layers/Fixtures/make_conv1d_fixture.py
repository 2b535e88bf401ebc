#!/usr/bin/python3
"""Writes conv1d.json: inputs, weights, outputs and gradients of PyTorch's Conv1d and 1-D pooling layers.

Run with Debian's python3-torch (torch 1.13):  /usr/bin/python3 Tests/Layers/Fixtures/make_conv1d_fixture.py
The tests (Conv1dPyTorchTests) read the JSON; they do not need torch. Every case runs in float64 and takes
the gradient of  L = sum(output * w_output)  with fixed random weights w_output.
"""
import json
import os

import torch
from torch import nn

torch.manual_seed(141)
torch.set_default_dtype(torch.float64)


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def run(name, module, shape, args):
    x = torch.randn(*shape, requires_grad=True)
    y = module(x)
    w = torch.randn(y.shape)
    (y * w).sum().backward()
    tensors = {"input": flat(x), "output": flat(y), "w_output": flat(w), "grad.input": flat(x.grad)}
    names = []
    for pname, p in module.named_parameters():
        names.append(pname)
        tensors["param." + pname] = flat(p)
        tensors["grad.param." + pname] = flat(p.grad)
    return {"name": name, "args": args, "parameters": names, "tensors": tensors}


def conv(name, cin, cout, k, length, stride=1, padding=0, dilation=1, groups=1, bias=True, batch=2):
    m = nn.Conv1d(cin, cout, k, stride=stride, padding=padding, dilation=dilation, groups=groups, bias=bias)
    args = {"layer": "conv1d", "in": cin, "out": cout, "kernel": k, "stride": stride, "padding": padding,
            "dilation": dilation, "groups": groups, "bias": bias}
    return run(name, m, (batch, cin, length), args)


cases = [
    conv("conv1d.basic", 3, 4, 3, 9),
    conv("conv1d.stride2.pad2.dilation2", 2, 3, 3, 11, stride=2, padding=2, dilation=2),
    conv("conv1d.groups2.no_bias", 4, 6, 2, 7, groups=2, bias=False),
    conv("conv1d.depthwise.stride3.pad1", 3, 3, 4, 10, stride=3, padding=1, groups=3),
    run("max_pool1d.k3.s2.pad1", nn.MaxPool1d(3, 2, 1), (2, 3, 9), {"layer": "max_pool1d", "kernel": 3, "stride": 2, "padding": 1}),
    run("avg_pool1d.k2", nn.AvgPool1d(2), (2, 3, 9), {"layer": "avg_pool1d", "kernel": 2, "stride": 2, "padding": 0, "count_include_pad": True}),
    run("avg_pool1d.k3.s2.pad1.exclude", nn.AvgPool1d(3, 2, 1, count_include_pad=False), (2, 3, 8),
        {"layer": "avg_pool1d", "kernel": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
    run("adaptive_avg_pool1d.uneven", nn.AdaptiveAvgPool1d(4), (2, 3, 10), {"layer": "adaptive_avg_pool1d", "output": 4}),
    run("adaptive_avg_pool1d.even", nn.AdaptiveAvgPool1d(3), (2, 3, 9), {"layer": "adaptive_avg_pool1d", "output": 3}),
    run("adaptive_avg_pool1d.global", nn.AdaptiveAvgPool1d(1), (2, 3, 7), {"layer": "adaptive_avg_pool1d", "output": 1}),
]

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conv1d.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path}: {len(cases)} cases")
