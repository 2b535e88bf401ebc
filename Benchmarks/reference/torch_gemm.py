#!/usr/bin/python3
"""Reference timings of torch.mm (float32, square) for docs/benchmarks.md.

Run with Debian's python and PyTorch CPU, once per thread setting, e.g.
    OMP_NUM_THREADS=1 /usr/bin/python3 Benchmarks/reference/torch_gemm.py --threads 1
    OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 Benchmarks/reference/torch_gemm.py --threads 2
Prints the best-of GFLOP/s for each size (2*n^3 flops per product).

Debian's python3-torch does its float32 mm through whatever libblas.so.3 the alternatives system
selects: the netlib reference BLAS unless an optimised one is installed. To time it on OpenBLAS
without changing the system default, install libopenblas0-openmp and prefix the commands with
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp
compare_gemm.sh beside this file runs these interleaved with Scratch's GemmBenchmark.
"""
import argparse
import time

import torch


def best_seconds(a, b, out, min_time, repeats):
    """Best mean time of one product over `repeats` rounds of at least `min_time` seconds each."""
    for _ in range(3):
        torch.mm(a, b, out=out)
    calls = 1
    while True:  # calibrate calls per round
        start = time.perf_counter()
        for _ in range(calls):
            torch.mm(a, b, out=out)
        elapsed = time.perf_counter() - start
        if elapsed >= min_time:
            break
        calls *= 2
    best = elapsed / calls
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(calls):
            torch.mm(a, b, out=out)
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads value")
    parser.add_argument("--sizes", type=int, nargs="+", default=[256, 512, 1024])
    parser.add_argument("--repeats", type=int, default=7, help="timed rounds per size; the best is reported")
    parser.add_argument("--min-time", type=float, default=0.2, help="seconds per timed round")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
    for n in args.sizes:
        a = torch.rand(n, n, dtype=torch.float32)
        b = torch.rand(n, n, dtype=torch.float32)
        out = torch.empty(n, n, dtype=torch.float32)
        seconds = best_seconds(a, b, out, args.min_time, args.repeats)
        print(f"torch.mm {n}x{n}x{n}: {2 * n ** 3 / seconds / 1e9:7.1f} GFLOP/s ({seconds * 1e3:.3f} ms)")


if __name__ == "__main__":
    main()
