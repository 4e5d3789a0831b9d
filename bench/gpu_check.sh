#!/usr/bin/env bash
# gpu_check.sh: every check that needs a GPU, in one command, for a machine with an NVIDIA GPU
# (e.g. the device tool: bash bench/fetch_deps.sh here first, then run this there with .deps
# carried). Configures and builds (cJSON from .deps/cjson when the system has none), runs the
# gpu-labelled tests first (bit-identical draws, every kernel against the CPU, launch-shape
# independence), compares `thirst draws` on both backends byte for byte, runs the GPT-3 training
# scenario on the GPU, and times it at 1e8, 1e9 and 1e10 draws against the CPU backend of the
# same machine (bench_gpu: CUDA events, warm-up, median of 5). Results also go to $OUT if set.
set -uo pipefail   # not -e: a failing test must not stop the timings that follow
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
if ! cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release "${cjson_flag[@]}" >"$out/build.log" 2>&1 ||
   ! cmake --build build-gpu -j "$(nproc)" >>"$out/build.log" 2>&1; then
  echo "gpu_check: the build failed; see $out/build.log" >&2
  tail -30 "$out/build.log" >&2
  exit 1
fi
build-gpu/thirst devices | tee -a "$out/gpu.txt"
ctest --test-dir build-gpu -L gpu --output-on-failure -V >"$out/gpu_tests.log" 2>&1
tests_status=$?
grep -E "test_gpu:|refinement|FAIL|tests passed|tests failed" "$out/gpu_tests.log"
# End to end: `thirst draws` prints the same bytes on both backends for every scenario.
for scenario in priors/*.json priors/benchmarks/*.json; do
  name=$(basename "$scenario" .json)
  build-gpu/thirst draws "$scenario" --count 100000 --backend cpu --quiet >"$out/draws_cpu.csv"
  build-gpu/thirst draws "$scenario" --count 100000 --backend cuda --quiet >"$out/draws_cuda.csv"
  if cmp -s "$out/draws_cpu.csv" "$out/draws_cuda.csv"; then
    echo "draws $name: CPU and CUDA identical (100,000 draws)"
  else
    echo "draws $name: CPU and CUDA DIFFER" >&2
    tests_status=1
  fi
done
rm -f "$out/draws_cpu.csv" "$out/draws_cuda.csv"
[ "$tests_status" -eq 0 ] || echo "gpu_check: gpu tests FAILED (exit $tests_status); timings follow" >&2
build-gpu/thirst run priors/gpt3-training-us.json --backend cuda --draws 1e9 --quiet \
  --json "$out/gpt3_cuda_1e9.json" | tee "$out/gpt3_cuda_1e9.txt"
build-gpu/bench_gpu priors/gpt3-training-us.json 5 | tee "$out/bench_gpu.md"
exit "$tests_status"
