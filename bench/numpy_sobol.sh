#!/usr/bin/env bash
# numpy_sobol.sh: thirst's Sobol indices against the vectorised numpy estimator a capable user
# writes (issue 17): bench/numpy_sobol.py (the same A/B/A_B^k design, Saltelli 2010 first order
# and Jansen total, no bootstrap, no intervals) with the current numpy at its fastest chunk
# size and dtype (the best of chunks 2^14, 2^16, 2^18, 2^20 in float64 and float32, one run
# each, then that setting's median of REPEATS), against `thirst sensitivity --method sobol
# --threads 1` (first and total indices with 95 % intervals from batch means), one core each,
# N = 2^20 base draws of the 7-input GPT-3 scenario, the CPU batch loops' AVX-512 clone and
# AVX2 clone measured separately (as in bench/numpy_best.sh; on an AVX-512 CPU numpy's best
# setting also runs with its AVX-512 code paths off, as on an AVX2-only CPU, for the AVX2
# clone's ratio). With SALIB=1 also SALib's sample + numpy model + analyze with its
# bootstrap (bench/salib_sobol.py, in the repository's .venv; about 20 minutes and 8 GB at
# N = 2^20). Prints a markdown table and a line comparing the indices with numpy's.
#
#   bash bench/numpy_sobol.sh               (REPEATS=3; about 2 minutes)
#   SALIB=1 bash bench/numpy_sobol.sh       (with the SALib row)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPEATS="${REPEATS:-3}"
BASE="$(python3 -c "import sys; print(int(float(sys.argv[1])))" "${BASE:-1048576}")"
SALIB="${SALIB:-0}"
SCENARIO=bench/gpt3-training-7inputs.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-numpy-sobol.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"


numpy_sweep numpy_sobol "$(printf '%s\n' 16384 65536 262144 1048576 "$BASE" | sort -gu |
                           awk -v base="$BASE" '$1 <= base')" \
    "$VENV/bin/python" bench/numpy_sobol.py "$SCENARIO" --base "$BASE"
best=$NUMPY_SECONDS setting=$NUMPY_SETTING
float32=""
[ "${setting#*, }" = float32 ] && float32="--float32"
numpy_avx2_only "$VENV/bin/python" bench/numpy_sobol.py "$SCENARIO" --base "$BASE" \
    --chunk "${setting%%,*}" $float32
declare -A thirst_s=()
for isa in avx512 avx2; do
    if [ "$isa" = avx512 ] && [ "$has_avx512" = 0 ]; then thirst_s[$isa]=""; continue; fi
    times=""
    for round in $(seq "$REPEATS"); do
        "${BUILD[$isa]}/thirst" sensitivity "$SCENARIO" --backend cpu --method sobol \
            --base-draws "$BASE" --threads 1 --quiet --json "$WORK/thirst-$isa.json" >/dev/null
        times+="$(wall_seconds "$WORK/thirst-$isa.json") "
    done
    thirst_s[$isa]=$(median "$times")
    echo "numpy_sobol: thirst $isa: $times" >&2
done
salib_s=""
if [ "$SALIB" = 1 ]; then
    [ -x "$ROOT/.venv/bin/python" ] || bash scripts/setup.sh >&2
    echo "numpy_sobol: SALib (about 20 minutes at N = 2^20)" >&2
    "$ROOT/.venv/bin/python" bench/salib_sobol.py --scenario "$SCENARIO" --base "$BASE" \
        --json "$WORK/salib.json" >/dev/null
    salib_s=$(wall_seconds "$WORK/salib.json")
fi

python3 - "$WORK" "$BASE" "$best" "$setting" "${thirst_s[avx512]}" "${thirst_s[avx2]}" \
    "$salib_s" "$NUMPY_VERSION" "$NUMPY_AVX2_SECONDS" <<'PY'
import json, math, os, sys
work, base, best, setting, a512, a2, salib, numpy_version, numpy_avx2 = sys.argv[1:10]
best = float(best)
print("| tool, one core | N | model evaluations | intervals | seconds | numpy estimator / tool |"
      + (" numpy estimator with AVX-512 off / tool |" if numpy_avx2 else "")
      + (" SALib / tool |" if salib else ""))
print("|---|---:|---:|---|---:|---:|" + ("---:|" if numpy_avx2 else "")
      + ("---:|" if salib else ""))
evaluations = json.load(open(f"{work}/numpy.json"))["model_evaluations"]
n = f"2^{round(math.log2(int(base)))}"
rows = [(f"numpy {numpy_version} estimator ({setting})", "none", best)]
if numpy_avx2:
    rows.append((f"numpy {numpy_version} estimator ({setting}), AVX-512 off", "none",
                 float(numpy_avx2)))
rows += [(name, "95 %, batch means", float(s))
         for name, s in (("thirst, AVX-512 clone", a512), ("thirst, AVX2 clone", a2)) if s]
if salib:
    rows.append(("SALib sample + numpy model + analyze", "95 %, bootstrap (100)", float(salib)))
for name, intervals, s in rows:
    ratio = f"**{best / s:.2f}x**" if name.startswith("thirst") else f"{best / s:.3g}x"
    cells = f"| {name} | {n} | {evaluations:,} | {intervals} | {s:.3g} | {ratio} |"
    if numpy_avx2:
        avx2_clone = name == "thirst, AVX2 clone"
        cells += f" **{float(numpy_avx2) / s:.2f}x** |" if avx2_clone else " |"
    if salib:
        cells += f" {float(salib) / s:,.0f}x |"
    print(cells)
# The indices: thirst's against numpy's, in units of thirst's standard errors (independent
# designs: both are estimates of the same indices).
numpy_out = json.load(open(f"{work}/numpy.json"))["outputs"]
isa = "avx512" if a512 else "avx2"
thirst = json.load(open(f"{work}/thirst-{isa}.json"))["outputs"]
worst = (0.0, "")
for output, inputs in numpy_out.items():
    for name, v in inputs.items():
        t = thirst[output]["inputs"][name]
        for kind, key in (("S1", "first"), ("ST", "total")):
            se = math.hypot(t[f"{key}_se"], 1e-12)
            z = abs(t[key] - v[kind]) / se
            if z > worst[0]:
                worst = (z, f"{output} {name} {kind}: thirst {t[key]:.4f}, numpy {v[kind]:.4f}")
print()
print(f"Largest difference of the indices, in thirst's standard errors: {worst[0]:.1f} ({worst[1]})")
PY
echo
echo "$(machine_line); REPEATS=$REPEATS SALIB=$SALIB bash bench/numpy_sobol.sh"\
     "(numpy: the best of its chunk sizes and dtypes, one run each, then that setting's median of $REPEATS; thirst: median of $REPEATS)"
