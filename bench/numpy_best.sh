#!/usr/bin/env bash
# numpy_best.sh: thirst against the best a capable numpy user writes for the same work (issue
# 17): bench/numpy_gpt3.py (the GPT-3 training scenario, every draw kept, exact quantiles with
# numpy.quantile) with the current numpy, at the same draw counts as thirst (1e6, 1e7, 1e8), at
# its fastest chunk size and dtype (the best of chunks 1e5, 1e6, 1e7 and float64, float32; 1e8:
# chunks 1e6, 1e7), against `thirst run --threads 1` (exact quantiles too), per core, with the
# CPU batch loops' AVX-512 clone (the default build on an AVX-512 CPU) and AVX2 clone
# (-DTHIRST_CPU_CLONES=avx2) measured separately. numpy's best setting is then run again: each
# side's time is the median of REPEATS runs. On an AVX-512 CPU numpy's best setting also runs
# with its AVX-512 code paths off, as numpy runs on an AVX2-only CPU: the last column sets the
# AVX2 clone against that, both sides on AVX2 (an AVX2-only machine, emulated on this one).
# Prints a markdown table.
#
#   bash bench/numpy_best.sh      (REPEATS=3; about 15 minutes on 2 cores)
#   DRAWS=1e6 REPEATS=1 bash bench/numpy_best.sh      (a quick check of the harness)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPEATS="${REPEATS:-3}"
DRAWS="${DRAWS:-1e6 1e7 1e8}"   # draw counts, from 1e6, 1e7 and 1e8
SCENARIO=priors/gpt3-training-us.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-numpy-best.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"

echo "| draws | numpy $NUMPY_VERSION best, s (chunk, dtype) | first touch of arrays as large, s (an estimate, apart) | thirst AVX-512, s | ratio | thirst AVX2, s | ratio | numpy, AVX-512 off, s | AVX2 clone / numpy AVX-512 off |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for draws in $DRAWS; do
    chunks=""
    for chunk in 1e5 1e6 1e7; do
        if [ "$draws" = 1e8 ] && [ "$chunk" = 1e5 ]; then continue; fi   # saves time at 1e8
        if [ "$(python3 -c "print(float('$chunk') <= float('$draws'))")" = True ]; then
            chunks+="$chunk "
        fi
    done
    # One run of a 1e8 numpy varied by up to 30 % on this machine: the fresh runs' median.
    numpy_sweep numpy_best "$chunks" "$VENV/bin/python" bench/numpy_gpt3.py --draws "$draws"
    best=$NUMPY_SECONDS setting=$NUMPY_SETTING
    float32=""
    [ "${setting#*, }" = float32 ] && float32="--float32"
    numpy_avx2_only "$VENV/bin/python" bench/numpy_gpt3.py --draws "$draws" \
        --chunk "${setting%%,*}" $float32
    # What first touching as much memory as numpy's kept draws (6 x draws floats of the best
    # dtype) costs on this machine now, in a separate process: an estimate of the page faults in
    # numpy's time, which thirst (constant memory) does not pay and which differ from machine to
    # machine (2-10 us per 4 KiB page here).
    dtype="float64"
    [ "${setting#*, }" = float32 ] && dtype="float32"
    touch_s=$("$VENV/bin/python" -c "import numpy as np, time; t = time.perf_counter(); np.ones(6 * int(float('$draws')), dtype=np.$dtype); print(time.perf_counter() - t)")
    declare -A thirst_s=()
    for isa in avx512 avx2; do
        if [ "$isa" = avx512 ] && [ "$has_avx512" = 0 ]; then thirst_s[$isa]=""; continue; fi
        times=""
        for round in $(seq "$REPEATS"); do
            "${BUILD[$isa]}/thirst" run "$SCENARIO" --backend cpu --threads 1 --draws "$draws" \
                --quiet --json "$WORK/thirst.json" >/dev/null
            times+="$(wall_seconds "$WORK/thirst.json") "
        done
        thirst_s[$isa]=$(median "$times")
        echo "numpy_best: thirst $isa $draws: $times" >&2
    done
    python3 - "$draws" "$best" "$setting" "${thirst_s[avx512]}" "${thirst_s[avx2]}" "$touch_s" \
        "$NUMPY_AVX2_SECONDS" <<'PY'
import sys
draws, best, setting, a512, a2, touch, numpy_avx2 = sys.argv[1:8]
best = float(best)
cell = lambda s: (f"{float(s):.3g} | {best / float(s):.1f}x" if s else "- | -")
avx2_only = (f"{float(numpy_avx2):.3g} | {float(numpy_avx2) / float(a2):.1f}x" if numpy_avx2
             else "- | -")
print(f"| {draws} | {best:.3g} ({setting}) | {float(touch):.2g} | {cell(a512)} | {cell(a2)} | "
      f"{avx2_only} |")
PY
done
echo
echo "$(machine_line); bash bench/numpy_best.sh"\
     "(numpy: the best of its chunk sizes and dtypes, one run each, then that setting's median of $REPEATS; thirst: median of $REPEATS;"\
     "both one core, exact quantiles)"
