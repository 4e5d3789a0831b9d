#!/usr/bin/env bash
# gpu_check.sh: every check that needs a GPU, in one command, for a machine with an NVIDIA GPU
# (e.g. the device tool: bash bench/fetch_deps.sh here first, then run this there with .deps
# carried). Configures and builds (cJSON from .deps/cjson when the system has none), runs the
# gpu-labelled tests (CPU-vs-GPU agreement, launch-shape independence), runs the GPT-3 training
# scenario on the GPU, and times it at 1e8, 1e9 and 1e10 draws against the CPU backend of the
# same machine (bench_gpu: CUDA events, warm-up, median of 5). Results also go to $OUT if set.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-build-gpu/results}
mkdir -p "$out"
cjson_flag=()
if [ ! -f /usr/include/cjson/cJSON.h ]; then
  if [ ! -d .deps/cjson ]; then
    echo "gpu_check: no cJSON on this machine and no .deps/cjson: run bench/fetch_deps.sh on a" \
         "machine with Debian's packages and carry .deps" >&2
    exit 2
  fi
  cjson_flag=(-DTHIRST_CJSON_ROOT="$PWD/.deps/cjson")
fi
nvidia-smi -L | tee "$out/gpu.txt"
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release "${cjson_flag[@]}" >"$out/configure.log"
cmake --build build-gpu -j "$(nproc)" 2>&1 | tee "$out/build.log" | grep -E "error|warning" || true
grep -A2 "cuda_run_kernel" "$out/build.log" | grep -E "registers|stack|spill" | sort -u \
  | tee "$out/ptxas.txt" || true
ctest --test-dir build-gpu -L gpu --output-on-failure -V 2>&1 | tee "$out/gpu_tests.log" \
  | grep -E "test_gpu:|largest|SKIPPED|FAIL|tests passed|Passed|Failed"
build-gpu/thirst devices | tee "$out/devices.txt"
build-gpu/thirst run priors/gpt3-training-us.json --backend cuda --draws 1e9 --quiet \
  --json "$out/gpt3_cuda_1e9.json" | tee "$out/gpt3_cuda_1e9.txt"
build-gpu/bench_gpu priors/gpt3-training-us.json 5 | tee "$out/bench_gpu.md"
