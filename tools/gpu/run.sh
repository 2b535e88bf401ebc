#!/usr/bin/env bash
# tools/gpu/run.sh OUTDIR — issue 11's GPU bring-up in one go, on the GPU machine (no .NET, no network; the
# self-contained CLI from tools/gpu/publish.sh in .device/scratch, Benchmarks/reference/*.py beside it).
#
# Every step runs under its own `timeout` and writes its log to OUTDIR as it runs (a hang in one step leaves
# the logs of the earlier ones); OUTDIR/summary.txt gets one line per step (exit code, seconds). A step that
# fails does not stop the others. The run stops starting steps when BUDGET seconds (default 540: one command
# of the device tool may last 600 s) are nearly spent, and says which were skipped.
#
# Variables:
#   DEVICE   cuda (default, the GPU machine), or gpu-sim / cpu for a dry run here
#   SCALE    full (default) or small (dry runs: small sizes, a filtered check, few steps)
#   STEPS    the steps to run, by name (default: all, in order); e.g. STEPS="gemm cnn memory" for a rerun
#   SCRATCH  the scratch binary (default .device/scratch/scratch)
#   PYTHON   python with PyTorch (default python3)
#   SANITIZER  compute-sanitizer (default: on PATH or /usr/local/cuda/bin); "none" runs those steps without it
#   BUDGET   seconds for the whole run (default 540)
#   PTXAS    ptxas for the self-test's register table (default: on PATH or /usr/local/cuda/bin)
set -uo pipefail
out=${1:?usage: tools/gpu/run.sh OUTDIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
DEVICE=${DEVICE:-cuda}
SCALE=${SCALE:-full}
SCRATCH=${SCRATCH:-$root/.device/scratch/scratch}
PYTHON=${PYTHON:-python3}
BUDGET=${BUDGET:-540}
REF=$root/Benchmarks/reference
STEPS=${STEPS:-"env info selftest check memcheck-check memcheck-train gemm cnn memory"}
find_tool() { command -v "$1" 2>/dev/null || { [ -x "/usr/local/cuda/bin/$1" ] && echo "/usr/local/cuda/bin/$1"; } || true; }
SANITIZER=${SANITIZER:-$(find_tool compute-sanitizer)}
PTXAS=${PTXAS:-$(find_tool ptxas)}
torch_device=cuda; [ "$DEVICE" = cuda ] || [[ "$DEVICE" == cuda:* ]] || torch_device=cpu

if [ "$SCALE" = small ]; then
  gemm_sizes="64 128"; cnn_batch=16; soak_steps=60; soak_every=20; train_steps=3; check_filter=(--filter Concat)
  memcheck_filter=Concat
else
  gemm_sizes="1024 4096 8192"; cnn_batch=256; soak_steps=10000; soak_every=500; train_steps=20; check_filter=()
  memcheck_filter=Conv2d
fi

mkdir -p "$out"
summary=$out/summary.txt
started=$(date +%s)
echo "run.sh $(date -u +%Y-%m-%dT%H:%M:%SZ) DEVICE=$DEVICE SCALE=$SCALE SCRATCH=$SCRATCH host=$(hostname)" | tee "$summary"

# step NAME LIMIT COMMAND...: runs COMMAND under timeout (shortened to what is left of BUDGET), log in OUTDIR/NAME.log.
step() {
  local name=$1 limit=$2; shift 2
  local left=$(( BUDGET - ($(date +%s) - started) - 5 ))
  if [ "$left" -lt 15 ]; then echo "SKIPPED $name: the budget of ${BUDGET}s is spent" | tee -a "$summary"; return; fi
  [ "$limit" -gt "$left" ] && limit=$left
  local log=$out/$name.log begin rc
  echo "== $name (timeout ${limit}s): $*" | tee -a "$summary"
  begin=$(date +%s%N)
  { echo "\$ $*"; echo; } > "$log"
  timeout --kill-after=10 "$limit" "$@" >> "$log" 2>&1
  rc=$?
  local tenths=$(( ($(date +%s%N) - begin) / 100000000 ))
  { [ "$rc" = 124 ] || [ "$rc" = 137 ]; } && echo "TIMEOUT after ${limit}s" >> "$log"
  printf '%-18s rc=%-3s %5d.%d s\n' "$name" "$rc" $((tenths / 10)) $((tenths % 10)) | tee -a "$summary"
  tail -n 4 "$log" | sed 's/^/    /'
}

sanitized() { # sanitized NAME LIMIT COMMAND...: under compute-sanitizer memcheck (errors make it exit 9)
  local name=$1 limit=$2; shift 2
  if [ "$SANITIZER" = none ] || [ -z "$SANITIZER" ]; then
    echo "note: no compute-sanitizer (SANITIZER=${SANITIZER:-unset}); $name runs without it" | tee -a "$summary"
    step "$name" "$limit" "$@"
  else
    step "$name" "$limit" "$SANITIZER" --tool memcheck --leak-check no --error-exitcode 9 "$@"
  fi
}

for s in $STEPS; do
  case $s in
    env)
      step env 30 bash -c 'nvidia-smi; echo; nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,compute_cap --format=csv;
        echo; echo "libcuda:"; ldconfig -p | grep -E "libcuda\.so" ; ls -l /usr/lib/x86_64-linux-gnu/libcuda.so* /usr/lib64/libcuda.so* 2>/dev/null;
        echo; echo "tools:"; for t in ptxas compute-sanitizer nvcc ncu; do printf "%s: %s\n" $t "$(command -v $t || ls /usr/local/cuda/bin/$t 2>/dev/null)"; done;
        echo; '"$PYTHON"' -c "import torch; print(\"torch\", torch.__version__, \"cuda\", torch.version.cuda, \"available\", torch.cuda.is_available())"; uname -a' ;;
    info)
      step info 60 "$SCRATCH" info ;;
    selftest)
      # Loads every kernel the registry reaches and runs each sample once (sync after every launch), then writes
      # the sm_90 PTX of every instantiation and assembles it with this machine's ptxas: registers, spills, smem.
      args=(gpu-selftest --device "$DEVICE" --ptx "$out/ptx")
      [ -n "$PTXAS" ] && args+=(--ptxas "$PTXAS")
      [ "$SCALE" = small ] && args+=(--filter Concat)
      step selftest 150 env SCRATCH_GPU_SYNC=1 "$SCRATCH" "${args[@]}" ;;
    check)
      step check 240 env SCRATCH_GPU_SYNC=1 "$SCRATCH" check --device "$DEVICE" "${check_filter[@]}" ;;
    memcheck-check)
      sanitized memcheck-check 150 "$SCRATCH" check --device "$DEVICE" --filter "$memcheck_filter" --no-gradcheck ;;
    memcheck-train)
      sanitized memcheck-train 150 "$SCRATCH" bench --device "$DEVICE" --soak "$train_steps" --sample-every 1 --model cnn --batch-size 32 ;;
    gemm)
      # Side by side: Scratch then torch.mm, float32 with TF32 off, then both with TF32 on.
      # shellcheck disable=SC2086
      step gemm-scratch-fp32 90 "$SCRATCH" bench --device "$DEVICE" --gemm $gemm_sizes --no-cnn --json
      # shellcheck disable=SC2086
      step gemm-torch-fp32 90 "$PYTHON" "$REF/torch_gpu_gemm.py" --device "$torch_device" --sizes $gemm_sizes
      if [ "$DEVICE" != cpu ]; then
        # shellcheck disable=SC2086
        step gemm-scratch-tf32 90 "$SCRATCH" bench --device "$DEVICE" --gemm $gemm_sizes --no-cnn --json --tf32
      fi
      # shellcheck disable=SC2086
      step gemm-torch-tf32 90 "$PYTHON" "$REF/torch_gpu_gemm.py" --device "$torch_device" --sizes $gemm_sizes --tf32 ;;
    cnn)
      step cnn-scratch 90 "$SCRATCH" bench --device "$DEVICE" --no-gemm --batch-size "$cnn_batch" --json
      step cnn-torch 90 "$PYTHON" "$REF/torch_gpu_cnn_step.py" --device "$torch_device" --batch "$cnn_batch" ;;
    memory)
      # 10,000 steps of the MLP; the CLI prints the allocator's bytes every 500 steps, nvidia-smi samples the
      # device's used memory every second beside it.
      sampler=""
      if command -v nvidia-smi >/dev/null 2>&1; then
        nvidia-smi --query-gpu=timestamp,memory.used --format=csv -lms 1000 > "$out/memory-nvidia-smi.csv" 2>&1 &
        sampler=$!
      fi
      step memory 200 "$SCRATCH" bench --device "$DEVICE" --soak "$soak_steps" --sample-every "$soak_every" --model mlp --batch-size 64
      [ -n "$sampler" ] && kill "$sampler" 2>/dev/null ;;
    *) echo "unknown step $s" | tee -a "$summary" ;;
  esac
done
echo "done in $(( $(date +%s) - started )) s; logs in $out" | tee -a "$summary"
