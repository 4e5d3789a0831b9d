#!/usr/bin/env bash
# numpy_best.sh: thirst against the best a capable numpy user writes for the same work (issue
# 17): bench/numpy_gpt3.py (the GPT-3 training scenario, every draw kept, exact quantiles with
# numpy.quantile) with the current numpy, at the same draw counts as thirst (1e6, 1e7, 1e8), at
# its fastest chunk size and dtype (the best of chunks 1e5, 1e6, 1e7 and float64, float32; 1e8:
# chunks 1e6, 1e7), against `thirst run --threads 1` (exact quantiles too), per core, with the
# CPU batch loops' AVX-512 clone (the default build on an AVX-512 CPU) and AVX2 clone
# (-DTHIRST_CPU_CLONES=avx2) measured separately. Prints a markdown table.
#
#   bash bench/numpy_best.sh      (REPEATS=3 for thirst; about 10 minutes on 2 cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPEATS="${REPEATS:-3}"
NUMPY_VERSION="${NUMPY_VERSION:-2.4.6}"   # the current numpy on PyPI on 2026-12-01
VENV="$ROOT/bench/.venv-numpy-$NUMPY_VERSION"
SCENARIO=priors/gpt3-training-us.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-numpy-best.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "numpy==$NUMPY_VERSION"
fi
declare -A BUILD=([avx512]="$ROOT/bench/build-release" [avx2]="$ROOT/bench/build-avx2")
declare -A CLONES=([avx512]="x86-64-v4;avx2" [avx2]="avx2")
for isa in avx512 avx2; do
    echo "numpy_best: building thirst ($isa clone and the baseline) in ${BUILD[$isa]}" >&2
    cmake -S "$ROOT" -B "${BUILD[$isa]}" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF \
        -DBUILD_TESTING=OFF "-DTHIRST_CPU_CLONES=${CLONES[$isa]}" >/dev/null
    cmake --build "${BUILD[$isa]}" --target thirst -j"$(nproc)" >/dev/null
done
has_avx512=$(grep -qw avx512f /proc/cpuinfo && echo 1 || echo 0)

# json_seconds FILE: run.wall_seconds of a result.
json_seconds() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['run']['wall_seconds'])" "$1"; }
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

echo "| draws | numpy $NUMPY_VERSION best, s (chunk, dtype) | thirst AVX-512, s | ratio | thirst AVX2, s | ratio |"
echo "|---:|---:|---:|---:|---:|---:|"
for draws in 1e6 1e7 1e8; do
    best="" setting=""
    chunks="1e5 1e6 1e7"
    [ "$draws" = 1e8 ] && chunks="1e6 1e7"
    for chunk in $chunks; do
        [ "$(python3 -c "print(float('$chunk') <= float('$draws'))")" = True ] || continue
        for dtype in float64 float32; do
            flag=""
            [ "$dtype" = float32 ] && flag="--float32"
            "$VENV/bin/python" bench/numpy_gpt3.py --draws "$draws" --chunk "$chunk" $flag \
                --json "$WORK/numpy.json" >/dev/null
            s=$(json_seconds "$WORK/numpy.json")
            echo "numpy_best: numpy $draws chunk $chunk $dtype: $s s" >&2
            if [ -z "$best" ] || python3 -c "import sys; sys.exit(not $s < $best)"; then
                best=$s setting="$chunk, $dtype"
            fi
        done
    done
    declare -A thirst_s=()
    for isa in avx512 avx2; do
        if [ "$isa" = avx512 ] && [ "$has_avx512" = 0 ]; then thirst_s[$isa]=""; continue; fi
        times=""
        for round in $(seq "$REPEATS"); do
            "${BUILD[$isa]}/thirst" run "$SCENARIO" --backend cpu --threads 1 --draws "$draws" \
                --quiet --json "$WORK/thirst.json" >/dev/null
            times+="$(json_seconds "$WORK/thirst.json") "
        done
        thirst_s[$isa]=$(median "$times")
        echo "numpy_best: thirst $isa $draws: $times" >&2
    done
    python3 - "$draws" "$best" "$setting" "${thirst_s[avx512]}" "${thirst_s[avx2]}" <<'PY'
import sys
draws, best, setting, a512, a2 = sys.argv[1:6]
best = float(best)
cell = lambda s: (f"{float(s):.3g} | {best / float(s):.1f}x" if s else "- | -")
print(f"| {draws} | {best:.3g} ({setting}) | {cell(a512)} | {cell(a2)} |")
PY
done
echo
echo "$(date -u +%Y-%m-%d), thirst $(git rev-parse --short HEAD), $(lscpu | sed -n 's/^Model name: *//p'),"\
     "$(nproc) cores, AVX-512: $([ "$has_avx512" = 1 ] && echo yes || echo no); bash bench/numpy_best.sh"\
     "(numpy: the best of its chunk sizes and dtypes, one run each; thirst: median of $REPEATS;"\
     "both one core, exact quantiles)"
