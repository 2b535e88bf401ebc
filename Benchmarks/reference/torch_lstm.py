#!/usr/bin/env python3
"""PyTorch reference for `scratch bench --lstm`: best time of one forward + backward of nn.LSTM(28, 128,
batch_first=True) over a [128, 28, 28] batch, loss = mean of all outputs (as scratch).

Usage: OMP_WAIT_POLICY=PASSIVE python3 torch_lstm.py --threads 2
"""
import argparse, json, time

import torch
from torch import nn


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = nn.LSTM(28, 128, batch_first=True)
    x = torch.randn(128, 28, 28)

    def run():
        out, _ = model(x)
        loss = out.mean()
        model.zero_grad()
        loss.backward()

    for _ in range(3):
        run()
    best, start, i = float("inf"), time.perf_counter(), 0
    while i < 50 and (i < 5 or time.perf_counter() - start < 3):
        t = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t)
        i += 1
    print(json.dumps({"framework": f"torch {torch.__version__}", "bench": "lstm_fwd_bwd", "threads": a.threads,
                      "ms": round(best * 1e3, 3), "sequences_per_second": round(128 / best, 1)}))


if __name__ == "__main__":
    main()
