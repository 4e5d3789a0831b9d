#!/usr/bin/env bash
# rqmc.sh: randomized QMC against plain Monte Carlo (issue 18). For the GPT-3 training scenario
# (priors/gpt3-training-us.json, 6 uncertain inputs, 6 outputs), the draws and seconds to reach a
# TARGET (default 1e-4) relative 95 % half-width on the mean of every output:
#   - thirst --sampler rqmc: 32 replicates x 2^m draws, m = 10, 11, ...;
#   - thirst --sampler mc: 2^k draws, k = 18, 19, ... (the same power-of-two grid);
#   - bench/numpy_rqmc.py: scipy.stats.qmc's scrambled Sobol' (linear matrix scrambling and a
#     digital shift, 32 replicates) in numpy, m = 10, 11, ...;
# each the smallest size on its grid that meets the target, then that size alone run REPEATS
# times (median seconds), one core (--threads 1), thirst's AVX-512 clone where the CPU has it
# (else AVX2), numpy and scipy current (bench/common.sh's venv). Then, at thirst rqmc's size,
# every quantile's 95 % half-width under mc and under rqmc (the same draws), and the scrambling
# question: the variance of each replicate's mean and quantiles with scipy's scrambling against
# a digital shift alone (numpy_rqmc.py --mode scrambling). Prints markdown.
#   bash bench/rqmc.sh            (about 3 minutes)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
REPEATS="${REPEATS:-3}"
TARGET="${TARGET:-1e-4}"
SCENARIO=priors/gpt3-training-us.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-rqmc.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# shellcheck source=bench/common.sh
source "$ROOT/bench/common.sh"
"$VENV/bin/python" -c "import scipy" 2>/dev/null ||
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "scipy==${SCIPY_VERSION:-1.17.1}"
isa=avx512
[ "$has_avx512" = 1 ] || isa=avx2
THIRST="${BUILD[$isa]}/thirst"

# worst FILE: the largest relative half-width of a mean in a thirst result.
worst() {
    python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print(max((o['mean_ci'][1] - o['mean_ci'][0]) / 2 / abs(o['mean']) for o in d['outputs'].values()))" "$1"
}
meets() { python3 -c "import sys; sys.exit(not float(sys.argv[1]) <= float(sys.argv[2]))" "$1" "$TARGET"; }

# thirst_search SAMPLER FIRST_DRAWS: doubles the draws from FIRST_DRAWS until the target holds;
# sets FOUND_DRAWS, FOUND_WORST and FOUND_SECONDS (the median of REPEATS fresh runs of that size).
thirst_search() {
    local sampler=$1 draws=$2 w times="" round
    for _ in $(seq 16); do
        "$THIRST" run "$SCENARIO" --backend cpu --sampler "$sampler" --draws "$draws" --threads 1 \
            --quiet --json "$WORK/$sampler.json" >/dev/null
        w=$(worst "$WORK/$sampler.json")
        echo "rqmc.sh: thirst $sampler $draws draws: worst mean half-width $w" >&2
        if meets "$w"; then break; fi
        draws=$((2 * draws))
    done
    for round in $(seq "$REPEATS"); do
        "$THIRST" run "$SCENARIO" --backend cpu --sampler "$sampler" --draws "$draws" --threads 1 \
            --quiet --json "$WORK/$sampler-again.json" >/dev/null
        times+="$(wall_seconds "$WORK/$sampler-again.json") "
    done
    FOUND_DRAWS=$draws FOUND_WORST=$w FOUND_SECONDS=$(median "$times")
}

thirst_search rqmc $((32 * 1024))
rqmc_draws=$FOUND_DRAWS rqmc_worst=$FOUND_WORST rqmc_s=$FOUND_SECONDS
cp "$WORK/rqmc.json" "$WORK/rqmc-found.json"
thirst_search mc 262144
mc_draws=$FOUND_DRAWS mc_worst=$FOUND_WORST mc_s=$FOUND_SECONDS
"$VENV/bin/python" bench/numpy_rqmc.py --scenario "$SCENARIO" --target "$TARGET" \
    --json "$WORK/scipy.json" >/dev/null
scipy_m=$(python3 -c "import json; print(json.load(open('$WORK/scipy.json'))['m'])")
times=""
for round in $(seq "$REPEATS"); do
    "$VENV/bin/python" bench/numpy_rqmc.py --scenario "$SCENARIO" --target "$TARGET" \
        --m-min "$scipy_m" --m-max "$scipy_m" --json "$WORK/scipy-again.json" >/dev/null
    times+="$(wall_seconds "$WORK/scipy-again.json") "
done
scipy_s=$(median "$times")
read -r scipy_draws scipy_worst numpy_v scipy_v < <(python3 -c "import json; d = json.load(open('$WORK/scipy.json')); print(d['draws'], d['worst_relative_half_width'], d['numpy'], d['scipy'])")
# mc at rqmc's size, for the quantiles
"$THIRST" run "$SCENARIO" --backend cpu --sampler mc --draws "$rqmc_draws" --threads 1 --quiet \
    --json "$WORK/mc-same.json" >/dev/null

echo "Machine: $(machine_line); thirst's $isa clone, one core; numpy $numpy_v, scipy $scipy_v."
echo "Command: \`bash bench/rqmc.sh\` (TARGET=$TARGET, REPEATS=$REPEATS)."
echo
echo "Draws and seconds until every output's mean of $SCENARIO has a 95 % half-width at most"
echo "$TARGET of itself (the smallest size on each power-of-two grid; seconds: median of $REPEATS):"
echo
echo "| method | draws | worst mean half-width | seconds | draws against thirst mc |"
echo "|---|---:|---:|---:|---:|"
python3 - "$mc_draws" "$mc_worst" "$mc_s" "$rqmc_draws" "$rqmc_worst" "$rqmc_s" \
    "$scipy_draws" "$scipy_worst" "$scipy_s" <<'PY'
import sys
v = sys.argv[1:]
rows = [("thirst --sampler mc", v[0:3]), ("thirst --sampler rqmc (linear scramble and digital shift, 32 replicates)", v[3:6]),
        ("numpy + scipy.stats.qmc scrambled Sobol' (32 replicates)", v[6:9])]
mc = int(v[0])
for name, (draws, worst, seconds) in rows:
    print(f"| {name} | {int(draws):,} | {float(worst):.3g} | {float(seconds):.3f} | "
          f"{mc / int(draws):.0f}x fewer |" if name != rows[0][0] else
          f"| {name} | {int(draws):,} | {float(worst):.3g} | {float(seconds):.3f} | 1 |")
PY
echo
echo "Quantiles at the same $rqmc_draws draws: 95 % half-width relative to the estimate, mc / rqmc"
echo "(above 1: rqmc narrower):"
echo
python3 - "$WORK/mc-same.json" "$WORK/rqmc-found.json" <<'PY'
import json, sys
mc, rq = (json.load(open(p)) for p in sys.argv[1:3])
ps = [q["p"] for q in next(iter(mc["outputs"].values()))["quantiles"]]
print("| output | " + " | ".join(f"{100 * p:g} %" for p in ps) + " | mean |")
print("|---|" + "---:|" * (len(ps) + 1))
for name, a in mc["outputs"].items():
    b = rq["outputs"][name]
    cells = [(qa["ci"][1] - qa["ci"][0]) / (qb["ci"][1] - qb["ci"][0])
             for qa, qb in zip(a["quantiles"], b["quantiles"])]
    mean = (a["mean_ci"][1] - a["mean_ci"][0]) / (b["mean_ci"][1] - b["mean_ci"][0])
    print(f"| {name} | " + " | ".join(f"{c:.1f}" for c in cells) + f" | {mean:.0f} |")
PY
echo
echo "Does linear matrix scrambling pay over a digital shift alone? Variance over 256 replicates of"
echo "each replicate's estimate, shift / scrambled (above 1: scrambling helps; with 256 replicates a"
echo "ratio within [0.78, 1.28] is what equal variances give, F(255, 255) at 95 %):"
echo
"$VENV/bin/python" bench/numpy_rqmc.py --scenario "$SCENARIO" --mode scrambling --m-list 10,13 \
    --replicates 256 --json "$WORK/scrambling.json" >/dev/null
python3 - "$WORK/scrambling.json" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))["ratios"]
estimates = ["mean", "q0.05", "q0.5", "q0.95"]
for m in sorted({r["m"] for r in rows}):
    print(f"| 2^{m} points | " + " | ".join(estimates) + " |")
    print("|---|" + "---:|" * len(estimates))
    for output in dict.fromkeys(r["output"] for r in rows):
        cells = {r["estimate"]: r["variance_ratio"] for r in rows if r["m"] == m and r["output"] == output}
        print(f"| {output} | " + " | ".join(f"{cells[e]:.2f}" for e in estimates) + " |")
    print()
PY
