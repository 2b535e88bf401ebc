#!/usr/bin/env python3
"""PyTorch eager beside `scratch bench --device cuda --no-gemm --batch-size 256 --json` (tools/gpu/run.sh).

One training step of the default CNN (the model of torch_fashion.py: Conv(1->32,3,p1)-ReLU-MaxPool2-
Conv(32->64,3,p1)-ReLU-MaxPool2-Flatten-Linear(3136->128)-ReLU-Linear(128->10)), cross-entropy, Adam lr 1e-3, on a
fixed random batch, measured as Scratch measures it: the wall time of forward + backward + step + reading the loss
(which waits for the device), best of up to 50 steps in 3 s after 3 warm-up steps. --tf32 sets
torch.backends.cuda.matmul.allow_tf32 and torch.backends.cudnn.allow_tf32 (both off otherwise); cudnn.benchmark
stays at its default (off), as eager code has it. Prints one JSON line with the fields of Scratch's.

Usage: python3 torch_gpu_cnn_step.py [--batch 256] [--tf32] [--device cuda|cpu]
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--tf32", action="store_true")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = p.parse_args()
    device = torch.device(a.device)
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Flatten(), nn.Linear(3136, 128), nn.ReLU(), nn.Linear(128, 10)).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(a.batch, 1, 28, 28, device=device)
    y = (torch.arange(a.batch, device=device) % 10)

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(3):
        step()
    best, total = float("inf"), time.perf_counter()
    for i in range(50):
        if i >= 5 and time.perf_counter() - total >= 3:
            break
        start = time.perf_counter()
        step()
        best = min(best, time.perf_counter() - start)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    print(json.dumps({"bench": "cnn_step", "framework": f"torch {torch.__version__}", "batch": a.batch, "tf32": a.tf32,
                      "ms": round(best * 1e3, 3), "images_per_second": round(a.batch / best, 1),
                      "device": str(device), "device_name": name}), flush=True)


if __name__ == "__main__":
    main()
