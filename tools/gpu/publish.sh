#!/usr/bin/env bash
# Publishes the scratch CLI self-contained, as one compressed file, into .device/scratch (git-ignored), for a GPU
# machine that has no .NET (../shared/GPU.md). Not trimmed: ILGPU compiles kernels from IL by reflection. Then runs
# the published binary here on ILGPU's CPU accelerator, to check that single-file publishing did not break the GPU
# backend (a library that looks for its own files on disk would fail here, not there).
# Usage: tools/gpu/publish.sh [OUTDIR]   (default .device/scratch)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/.device/scratch}
rm -rf "$out"
dotnet publish "$root/Cli" -c Release -r linux-x64 --self-contained -p:PublishSingleFile=true \
  -p:EnableCompressionInSingleFile=true -p:InvariantGlobalization=true -p:DebugType=none -o "$out" -nologo -v quiet
ls -l "$out/scratch"
du -sh "$out"
echo "== smoke test of the published binary: kernels on ILGPU's CPU accelerator (gpu-sim)"
cd /tmp  # away from the repository, as it will run there
"$out/scratch" info
"$out/scratch" gpu-selftest --device gpu-sim --filter Concat
"$out/scratch" check --device gpu-sim --filter Concat
