#!/usr/bin/env bash
# Training speed of `scratch train` beside PyTorch's for the same models and settings (see
# torch_fashion.py), interleaved round by round so both see the same machine load.
# Usage: Benchmarks/reference/compare_training.sh MODEL EPOCHS ROUNDS [OPENBLAS_DIR]
set -euo pipefail
model=${1:-cnn}; epochs=${2:-1}; rounds=${3:-2}
blas=${4:-/usr/lib/x86_64-linux-gnu/openblas-openmp}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
dotnet build "$root/Cli" -c Release -v q >/dev/null
scratch="$root/Cli/bin/Release/net10.0/scratch.dll"
out=$(mktemp -d)
for r in $(seq "$rounds"); do
  echo "{\"round\": $r, \"scratch\": $(dotnet "$scratch" train --model "$model" --epochs "$epochs" --device cpu --out "$out" --json | tail -n 1)}"
  for t in 1 2; do
    echo "{\"round\": $r, \"torch\": $(LD_LIBRARY_PATH="$blas" OMP_NUM_THREADS=$t OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$here/torch_fashion.py" --model "$model" --epochs "$epochs" --threads $t)}"
  done
done
rm -rf "$out"
