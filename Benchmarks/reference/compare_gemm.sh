#!/usr/bin/env bash
# Interleaved GEMM comparison for docs/benchmarks.md: Scratch's GemmBenchmark (BenchmarkDotNet,
# in-process, 3 warm-up + 15 measured iterations) and torch.mm on 1 thread and on 2 threads with OMP_WAIT_POLICY=PASSIVE,
# alternating for ROUNDS rounds so that all three see the same machine load. Take the best of
# each column over the rounds. Usage: Benchmarks/reference/compare_gemm.sh [ROUNDS] [BLAS_DIR]
#   BLAS_DIR: a folder with a libblas.so.3 for torch to load instead of the system one, e.g.
#   /usr/lib/x86_64-linux-gnu/openblas-openmp (Debian's libopenblas0-openmp).
set -euo pipefail
rounds=${1:-3}
blas=${2:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT_DIR:-$root/BenchmarkDotNet.Artifacts/compare}
mkdir -p "$out"
dotnet build "$root/Benchmarks" -c Release -v quiet -nologo > /dev/null
torch_env=()
[[ -n "$blas" ]] && torch_env=(LD_LIBRARY_PATH="$blas")
for round in $(seq 1 "$rounds"); do
    echo "== round $round  $(date -u +%H:%M:%S)  load $(cut -d' ' -f1-3 /proc/loadavg)"
    dotnet "$root/Benchmarks/bin/Release/net10.0/Scratch.Benchmarks.dll" --filter '*GemmBenchmark*' --inProcess --warmupCount 3 --iterationCount 15 \
        > "$out/scratch-$round.log" 2>&1
    grep -E '^\| *MatMul' "$out/scratch-$round.log" || tail -5 "$out/scratch-$round.log"
    env "${torch_env[@]}" OMP_NUM_THREADS=1 /usr/bin/python3 "$root/Benchmarks/reference/torch_gemm.py" --threads 1
    env "${torch_env[@]}" OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$root/Benchmarks/reference/torch_gemm.py" --threads 2
done
