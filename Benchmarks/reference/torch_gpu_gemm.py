#!/usr/bin/env python3
"""torch.mm beside `scratch bench --device cuda --gemm ... --json` (tools/gpu/run.sh runs both in one go).

Square float32 products, timed like Scratch's: enough products back to back to last about 50 ms between two
CUDA events (on the CPU, for dry runs, the wall clock), the best of up to 10 such measurements per size, per
product. --tf32 sets torch.backends.cuda.matmul.allow_tf32 and torch.backends.cudnn.allow_tf32 (both off
otherwise), the switch Scratch's --tf32 mirrors. Prints one JSON line per size, with the fields of Scratch's.

Usage: python3 torch_gpu_gemm.py [--sizes 1024 4096 8192] [--tf32] [--device cuda|cpu]
"""
import argparse
import json
import time

import torch


def timed(device, run, count):
    """Milliseconds per call of `count` calls of `run`, from synchronised start to synchronised end."""
    if device.type == "cuda":
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        torch.cuda.synchronize()
        start.record()
        for _ in range(count):
            run()
        end.record()
        end.synchronize()
        return start.elapsed_time(end) / count
    begin = time.perf_counter()
    for _ in range(count):
        run()
    return (time.perf_counter() - begin) * 1e3 / count


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1024, 4096, 8192])
    p.add_argument("--tf32", action="store_true")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    a = p.parse_args()
    device = torch.device(a.device)
    torch.backends.cuda.matmul.allow_tf32 = a.tf32
    torch.backends.cudnn.allow_tf32 = a.tf32
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    for n in a.sizes:
        g = torch.Generator(device=device).manual_seed(1)
        x = torch.randn(n, n, device=device, generator=g)
        w = torch.randn(n, n, device=device, generator=g)
        out = torch.empty(n, n, device=device)
        run = lambda: torch.mm(x, w, out=out)
        timed(device, run, 2)  # warm-up: cuBLAS handle, heuristics
        first = timed(device, run, 1)
        count = max(1, min(1000, int(50 / max(first, 1e-3)) + 1))
        best, clock = float("inf"), time.perf_counter()
        for i in range(10):
            if i >= 3 and time.perf_counter() - clock > 3:
                break
            best = min(best, timed(device, run, count))
        print(json.dumps({"bench": "sgemm", "framework": f"torch {torch.__version__}", "n": n, "tf32": a.tf32,
                          "ms": round(best, 4), "gflops": round(2 * n ** 3 / (best / 1e3) / 1e9, 2),
                          "device": str(device), "device_name": name}), flush=True)


if __name__ == "__main__":
    main()
