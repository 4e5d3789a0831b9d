#!/usr/bin/env bash
# gpu_check.sh: the first GPU session's one script (issue 13): every check and timing that needs
# an NVIDIA GPU, ordered so that what matters most comes first, sized for 10 minutes on a
# machine with nvcc, CMake and 16 cores but no cJSON and no package registry. On this machine:
# `bash bench/fetch_deps.sh` (Debian's cJSON into .deps/), then run it there with .deps carried:
#   device run: bash bench/gpu_check.sh   (carry: [".deps"], timeout_s 600)
# Steps (each stamped with the seconds since the start):
#   1. the machine: GPU, driver, nvcc, CMake, CPU model and instruction sets;
#   2. the build for the local GPU only (its compute capability, else CMake's native), and
#      `thirst devices`;
#      the timing variants (FMA contraction, register caps, the Sobol kernel's bound) build in
#      the background meanwhile;
#   3. the gpu-labelled tests (tests/test_gpu.c: bit-identical draws, agreement bounds with the
#      largest CPU-GPU differences in ulps, 1/3/7 launches and shared-vs-global histograms
#      byte for byte, exact quantiles, Sobol; tests/test_gpu_rqmc.c: the same for --sampler
#      rqmc), then `thirst draws` byte for byte on both backends, with and without rqmc;
#      then `--devices all` against one device (with two GPUs or more) and a checkpointed
#      run, rqmc run (2^32 draws) and Sobol design (2^28) stopped by SIGTERM inside the pass
#      and resumed, against the uninterrupted JSON;
#   4. compute-sanitizer memcheck and racecheck on a small run (built-in and formulas: their
#      shared-memory value files, and rqmc) and Sobol design, when present;
#   5. timings of the GPT-3 training scenario's draw pass at 1e8, 1e9 and 1e10 draws against
#      the CPU backend on all cores of the same machine (bench_gpu: CUDA events, warm-up, median),
#      for 256- and 512-thread blocks, the model written as formulas, and each variant; whole `thirst run` (exact quantiles) and
#      `thirst sensitivity` (Sobol) on both backends.
# Everything goes to one log ($OUT/gpu_check.log, else build-gpu/results/); the markdown table
# for bench/README.md is printed at the end and saved as gpu_check.md beside the log. Exit 0 when
# every check passed, 1 when one failed (the timings still run), 2 when it could not build.
set -uo pipefail   # not -e: a failing check must not stop the timings that follow
cd "$(dirname "$0")/.." || exit 2
out=${OUT:-build-gpu/results}
mkdir -p "$out"
log="$out/gpu_check.log"
table="$out/gpu_check.md"
: >"$table"
exec > >(tee "$log") 2>&1
tee_pid=$!
start=$SECONDS
scenario=priors/gpt3-training-us.json
# The local GPU's compute capability (9.0 -> 90), else CMake's "native"; GPU_CHECK_ARCHITECTURES
# overrides it (to try the script on a machine without a GPU).
local_architecture=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null |
                     head -1 | tr -d '. ')
architectures=${GPU_CHECK_ARCHITECTURES:-${local_architecture:-native}}
failures=0
step() { printf '\n== [%4ds] %s\n' "$((SECONDS - start))" "$*"; }
fail() {
  echo "FAILED: $*"
  failures=$((failures + 1))
}

step "1. the machine"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv,noheader ||
  echo "nvidia-smi failed"
nvcc --version | tail -2
cmake --version | head -1
lscpu | grep -E "^Model name|^CPU\(s\)" || true
grep -o -w -E "avx2|avx512f|avx512dq|avx512bw|avx512vl|fma" /proc/cpuinfo | sort -u | tr '\n' ' '
echo
command -v compute-sanitizer || echo "compute-sanitizer: not on the PATH"

step "2. build for the local GPU"
cjson_flag=()
if [ ! -f /usr/include/cjson/cJSON.h ]; then
  if [ ! -d .deps/cjson ]; then
    echo "gpu_check: no cJSON on this machine and no .deps/cjson: run bench/fetch_deps.sh on a" \
         "machine with Debian's packages and carry .deps"
    exit 2
  fi
  cjson_flag=(-DTHIRST_CJSON_ROOT="$PWD/.deps/cjson")
fi
configure() {   # configure DIR [CMAKE FLAGS...]
  local dir=$1
  shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES="$architectures" \
    "${cjson_flag[@]}" "$@"
}
if ! configure build-gpu >"$out/build.txt" 2>&1 ||
   ! cmake --build build-gpu -j "$(nproc)" --target thirst test_gpu test_gpu_rqmc bench_gpu >>"$out/build.txt" 2>&1
then
  tail -40 "$out/build.txt"
  echo "gpu_check: the build failed"
  exit 2
fi
grep -E "CUDA backend|CUDA compiler|architectures" "$out/build.txt" | head -5
rm -f "$out/build.txt"
build-gpu/thirst devices || fail "thirst devices"
# The timing variants, built while the GPU tests run (results are theirs: only speed differs).
variants=("fmad:-DTHIRST_CUDA_FMAD=ON" "regs80:-DTHIRST_RUN_MAX_REGISTERS=80"
          "regs64:-DTHIRST_RUN_MAX_REGISTERS=64" "sobol128:-DTHIRST_SOBOL_MIN_BLOCKS=8")
rm -f build-gpu/variant-failures.txt
set -m   # the builds in a process group of their own, so that a deadline can stop all of them
(
  for variant in "${variants[@]}"; do
    name=${variant%%:*}
    { configure "build-gpu-$name" "${variant#*:}" &&
      nice cmake --build "build-gpu-$name" -j "$(( $(nproc) / 2 ))" --target thirst bench_gpu; } \
      >"build-gpu/variant-$name.txt" 2>&1 || echo "variant $name: build failed" >>build-gpu/variant-failures.txt
  done
) &
variant_builds=$!
set +m

step "3. GPU tests (tests/test_gpu.c), then thirst draws on both backends"
if ctest --test-dir build-gpu -L gpu --timeout 300 --output-on-failure -V \
     >build-gpu/gpu_tests.txt 2>&1; then
  echo "ctest -L gpu: passed"
else
  fail "ctest -L gpu"
fi
grep -E "device 0:|largest|refinement|FAIL|SKIPPED|test_gpu:" build-gpu/gpu_tests.txt
grep -q "SKIPPED" build-gpu/gpu_tests.txt && fail "test_gpu was skipped: it saw no usable GPU"
for file in priors/*.json priors/benchmarks/*.json tests/formulas/*.json; do
  name=$(basename "$file" .json)
  if ! build-gpu/thirst draws "$file" --count 100000 --backend cpu >build-gpu/draws_cpu.csv ||
     ! build-gpu/thirst draws "$file" --count 100000 --backend cuda >build-gpu/draws_cuda.csv; then
    fail "draws $name: a backend failed"
  elif cmp -s build-gpu/draws_cpu.csv build-gpu/draws_cuda.csv; then
    echo "draws $name: CPU and CUDA identical (100,000 draws)"
  else
    fail "draws $name: CPU and CUDA differ"
  fi
done
for file in priors/*.json; do   # randomized QMC (issue 18): the device's own rqmc words
  name=$(basename "$file" .json)
  if build-gpu/thirst draws "$file" --count 100000 --sampler rqmc --backend cpu >build-gpu/draws_cpu.csv &&
     build-gpu/thirst draws "$file" --count 100000 --sampler rqmc --backend cuda >build-gpu/draws_cuda.csv &&
     cmp -s build-gpu/draws_cpu.csv build-gpu/draws_cuda.csv; then
    echo "draws $name --sampler rqmc: CPU and CUDA identical (100,000 draws)"
  else
    fail "draws $name --sampler rqmc: a backend failed or they differ"
  fi
done

step "3b. --devices and checkpoints on the GPU (issue 19)"
# same_json A B: two results equal apart from their "run" sections (time, devices)
same_json() {
  python3 -c 'import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b): d.pop("run", None)
sys.exit(a != b)' "$1" "$2"
}
# next_unit FILE: the next unit (sensitivity: Sobol batch) a checkpoint's header records, or -1
next_unit() {
  local unit
  unit=$(od -An -t u8 -j 76 -N 8 "$1" 2>/dev/null | tr -d ' ')
  echo "${unit:--1}"
}
gpus=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null | wc -l)
# each case: the command, and its units (run: 65,536 draws each) or batches in all; sized so
# that the pass lasts long enough to be stopped inside it (2^32 draws: 0.4 s at 1e10 draws/s,
# 16 segments of 4096 units; the Sobol design at 2^28 base draws: 2.4e9 evaluations)
for case in "run $scenario --draws 4294967296:65536" \
            "run $scenario --draws 4294967296 --sampler rqmc:65536" \
            "sensitivity $scenario --base-draws 268435456 --method sobol:64"; do
  total=${case##*:}
  case=${case%:*}
  # shellcheck disable=SC2086  # the case's words are meant to split
  build-gpu/thirst $case --backend cuda --quiet --json build-gpu/one.json >/dev/null ||
    { fail "cuda: $case"; continue; }
  if [ "$gpus" -ge 2 ]; then
    # shellcheck disable=SC2086
    if build-gpu/thirst $case --backend cuda --devices all --quiet --json build-gpu/all.json \
         >/dev/null && same_json build-gpu/one.json build-gpu/all.json; then
      echo "--devices all ($gpus GPUs): $case: the one-device JSON"
    else
      fail "--devices all: $case: failed or differs from one device"
    fi
  fi
  # a checkpointed run stopped by SIGTERM once its checkpoint holds part of the pass, then
  # resumed: death by SIGTERM (143), no JSON, then the uninterrupted JSON
  rm -f build-gpu/ck build-gpu/ck.json
  # shellcheck disable=SC2086
  build-gpu/thirst $case --backend cuda --quiet --checkpoint build-gpu/ck --checkpoint-every 0 \
    --json build-gpu/ck.json >/dev/null 2>&1 &
  job=$!
  for _ in $(seq 3000); do   # 30 s at most
    [ "$(next_unit build-gpu/ck)" -gt 0 ] && break
    kill -0 "$job" 2>/dev/null || break
    sleep 0.01
  done
  kill -TERM "$job" 2>/dev/null
  wait "$job"
  status=$?
  at=$(next_unit build-gpu/ck)
  # shellcheck disable=SC2086
  if [ "$status" -ne 143 ] || [ -e build-gpu/ck.json ] || [ "$at" -le 0 ] || [ "$at" -ge "$total" ]
  then
    fail "checkpoint: $case: exit status $status (expected 143), checkpoint at $at of $total"
  elif build-gpu/thirst $case --backend cuda --quiet --resume build-gpu/ck --json build-gpu/ck.json \
       >/dev/null && same_json build-gpu/one.json build-gpu/ck.json; then
    echo "checkpoint: $case: stopped at $at of $total and resumed on the GPU, the uninterrupted JSON"
  else
    fail "checkpoint: $case: the resumed run failed or differs"
  fi
done
[ "$gpus" -ge 2 ] || echo "one GPU: --devices is covered by tests/test_devices.c (CPU) only"

step "4. compute-sanitizer"
if command -v compute-sanitizer >/dev/null; then
  for tool in memcheck racecheck; do
    # A partial unit and a partial Sobol chunk: 1e5 draws = 6 units + 1,696; 1,000 base draws.
    formulas=tests/formulas/gpt3-training-us-formulas.json
    for command in "run $scenario --draws 1e5" "sensitivity $scenario --base-draws 1000" \
                   "run $formulas --draws 1e5" "sensitivity $formulas --base-draws 1000" \
                   "run $scenario --draws 131072 --sampler rqmc" \
                   "sensitivity $scenario --base-draws 4096 --sampler rqmc"; do
      # shellcheck disable=SC2086  # command is a list of words
      if timeout -k 5 30 compute-sanitizer --tool "$tool" --error-exitcode 9 \
           build-gpu/thirst $command --backend cuda --quiet >build-gpu/sanitizer.txt 2>&1; then
        echo "$tool, thirst $command: clean ($(grep -c . build-gpu/sanitizer.txt) lines)"
      else
        fail "$tool, thirst $command (exit $?; 124: over 30 s)"
        tail -15 build-gpu/sanitizer.txt
      fi
    done
  done
else
  echo "compute-sanitizer: not present, skipped"
fi

step "5. timings (waiting for the variant builds, until 6 minutes at most)"
while kill -0 "$variant_builds" 2>/dev/null && [ $((SECONDS - start)) -lt 360 ]; do sleep 2; done
if kill -0 "$variant_builds" 2>/dev/null; then
  kill -- -"$variant_builds"
  echo "variant builds stopped at 6 minutes: the variants not built are skipped"
fi
wait "$variant_builds" 2>/dev/null
cat build-gpu/variant-failures.txt 2>/dev/null
bench() {   # bench BUILD_DIR ARGS...: rows into the table, unless past 8 minutes
  local dir=$1
  shift
  [ -x "$dir/bench_gpu" ] || { echo "no $dir/bench_gpu"; return; }
  if [ $((SECONDS - start)) -gt 480 ]; then
    echo "skipped (past 8 minutes): bench_gpu $dir $*"
    return
  fi
  "$dir/bench_gpu" "$scenario" "$@" | tee -a "$table" || fail "bench_gpu $dir $*"
}
bench build-gpu --label "default (-fmad=false)" --header
bench build-gpu --label "default (-fmad=false)" --block 512 --repeats 3 --sizes 1e9,1e10
bench build-gpu-fmad --label "FMA contraction (-fmad=true)" --repeats 3 --sizes 1e9,1e10
bench build-gpu-regs80 --label "run kernel capped at 80 registers" --repeats 3 --sizes 1e9,1e10
bench build-gpu-regs64 --label "run kernel capped at 64 registers" --repeats 3 --sizes 1e9,1e10
bench build-gpu-regs64 --label "run kernel capped at 64 registers" --block 512 --repeats 3 \
  --sizes 1e9,1e10
scenario=tests/formulas/gpt3-training-us-formulas.json   # the same draws, as formulas
bench build-gpu --label "GPT-3 model as formulas (CPU column: formulas on the CPU)" \
  --repeats 3 --sizes 1e9,1e10
scenario=priors/gpt3-training-us.json
timed() {   # timed LABEL COMMAND...: wall seconds of a whole command, a table row
  local label=$1 begin
  shift
  if [ $((SECONDS - start)) -gt 540 ]; then
    echo "skipped (past 9 minutes): $label"
    return
  fi
  begin=$EPOCHREALTIME
  if "$@" >/dev/null; then
    awk -v label="$label" -v begin="$begin" -v end="$EPOCHREALTIME" \
      'BEGIN { printf "| %s | %.2f s |\n", label, end - begin }' | tee -a "$table"
  else
    fail "$label"
  fi
}
printf '\n| whole command (wall clock, this machine) | time |\n|---|---:|\n' | tee -a "$table"
timed "thirst run, 1e9 draws, exact quantiles, CUDA" \
  build-gpu/thirst run "$scenario" --draws 1e9 --backend cuda --quiet
timed "thirst run, 1e9 draws, exact quantiles, CPU $(nproc) threads" \
  build-gpu/thirst run "$scenario" --draws 1e9 --backend cpu --quiet
timed "thirst run, 1e10 draws, exact quantiles, CUDA" \
  build-gpu/thirst run "$scenario" --draws 1e10 --backend cuda --quiet
timed "thirst sensitivity, 2^24 base draws, CUDA (Sobol kernel at 96 registers)" \
  build-gpu/thirst sensitivity "$scenario" --base-draws 16777216 --backend cuda --quiet
if [ -x build-gpu-sobol128/thirst ]; then
  timed "thirst sensitivity, 2^24 base draws, CUDA (Sobol kernel at 128 registers)" \
    build-gpu-sobol128/thirst sensitivity "$scenario" --base-draws 16777216 --backend cuda --quiet
fi
timed "thirst sensitivity, 2^24 base draws, CPU $(nproc) threads" \
  build-gpu/thirst sensitivity "$scenario" --base-draws 16777216 --backend cpu --quiet

step "done: $failures failed checks; the table for bench/README.md"
cat "$table"
exec >&- 2>&-   # let tee write the log's end before the script exits
wait "$tee_pid"
[ "$failures" -eq 0 ] || exit 1
