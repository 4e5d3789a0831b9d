#!/usr/bin/env bash
# sobol.sh: thirst's Sobol indices against SALib's sample + evaluate (numpy) + analyze, on the
# 7-input GPT-3 training scenario, back to back on this machine. Prints a markdown table.
#
#   bash bench/sobol.sh
#
# What it does:
#   1. uses the repository's .venv (SALib 1.6.0, numpy, scipy pinned in tests/requirements.txt;
#      runs scripts/setup.sh first when .venv is missing);
#   2. builds thirst in Release (CPU backend only) from the commit $BENCH_REF (default HEAD) with
#      git archive in a temporary directory, so that uncommitted edits do not leak into the numbers
#      and the developers' build/ is not touched;
#   3. runs, interleaved, $REPEATS rounds of
#        thirst sensitivity $SCENARIO --method sobol --base-draws $BASE --threads 2 (and --threads 1)
#      and, in the first $SALIB_REPEATS rounds, bench/salib_sobol.py --base $BASE (SALib's
#      sample, the numpy model, SALib's analyze with 100 bootstrap resamples for each of the six
#      outputs); before each run it waits (up to $QUIET_TIMEOUT s) for an idle machine;
#   4. prints the table of the median runs (seconds = the compute time each tool reports in its
#      JSON; process seconds, CPU seconds and peak RSS from /usr/bin/time), the ratio SALib /
#      thirst, a sanity line comparing the two tools' S1 and ST, the machine, date and command.
#   5. copies the tools' JSON and the timings of every run to $RESULTS (git ignores bench/results/).
# SALib at N = 2^20 takes about 20 minutes and 8 GB of memory per run on the 2-core machine (its
# bootstrap gathers N x 100 arrays, 0.8 GB each, several times for each input and output), so
# SALIB_REPEATS defaults to 1 and the whole script takes about 21 minutes. thirst takes well under
# a second per run. BASE=65536 gives a quick check (about 30 s in all).
#
# Environment: BASE (1048576 = 2^20), REPEATS (3: thirst runs per configuration), SALIB_REPEATS
# (1), SCENARIO (bench/gpt3-training-7inputs.json), SEED (2023, the scenario's), BENCH_REF (HEAD),
# QUIET_TIMEOUT (120), RESULTS (bench/results/sobol).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BASE="${BASE:-1048576}"
REPEATS="${REPEATS:-3}"
SALIB_REPEATS="${SALIB_REPEATS:-1}"
SCENARIO="${SCENARIO:-bench/gpt3-training-7inputs.json}"
SEED="${SEED:-2023}"
BENCH_REF="${BENCH_REF:-HEAD}"
QUIET_TIMEOUT="${QUIET_TIMEOUT:-120}"
RESULTS="${RESULTS:-$ROOT/bench/results/sobol}"
PY="$ROOT/.venv/bin/python"
COMMAND="BASE=$BASE REPEATS=$REPEATS SALIB_REPEATS=$SALIB_REPEATS BENCH_REF=$BENCH_REF bash bench/sobol.sh"
[ "$SALIB_REPEATS" -le "$REPEATS" ] || SALIB_REPEATS="$REPEATS"

log() { printf '%s\n' "sobol: $*" >&2; }

# 1. the venv with SALib
if [ ! -x "$PY" ]; then
    log ".venv missing: running scripts/setup.sh"
    bash scripts/setup.sh >&2
fi
"$PY" -c "import SALib, numpy, scipy" || { log "SALib, numpy or scipy missing from .venv"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-sobol.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 2. Release build of thirst, CPU backend only, from $BENCH_REF
SRC="$WORK/src"
BUILD="$WORK/build"
mkdir -p "$SRC"
git -C "$ROOT" archive "$BENCH_REF" | tar -x -C "$SRC"
VERSION_NOTE="thirst $(git -C "$ROOT" rev-parse --short "$BENCH_REF") (BENCH_REF=$BENCH_REF)"
log "building thirst (Release, CPU only) from $BENCH_REF in $BUILD"
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF -DBUILD_TESTING=OFF \
    >/dev/null
cmake --build "$BUILD" --target thirst -j"$(nproc)" >/dev/null
THIRST="$BUILD/thirst"

# 3. runs, interleaved
# shellcheck source=bench/timing.sh
source "$ROOT/bench/timing.sh"

for rep in $(seq 1 "$REPEATS"); do
    for threads in 2 1; do
        log "round $rep/$REPEATS: thirst sensitivity --method sobol --threads $threads"
        run_one "thirst-t$threads" "$rep" "$THIRST" sensitivity --backend cpu "$SCENARIO" --method sobol \
            --base-draws "$BASE" --threads "$threads" --seed "$SEED" --quiet \
            --json "$WORK/thirst-t$threads.$rep.json"
    done
    if [ "$rep" -le "$SALIB_REPEATS" ]; then
        log "round $rep/$REPEATS: SALib (bench/salib_sobol.py; about 20 minutes at N = 2^20)"
        run_one salib "$rep" "$PY" bench/salib_sobol.py --scenario "$SCENARIO" --base "$BASE" \
            --seed "$SEED" --json "$WORK/salib.$rep.json"
    fi
done

# 5 (done first, so that the raw files survive a failure in the table): keep the raw results
mkdir -p "$RESULTS"
rm -f "$RESULTS"/*.json "$RESULTS"/*.meta
cp "$WORK"/*.json "$WORK"/*.meta "$RESULTS"/
log "raw results in $RESULTS"

# 4. the table
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
CPU_FAMILY="$(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //')"
CPU_MODEL_NO="$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | sed 's/.*: //')"
GCC="$(cc --version | head -n 1)"
"$PY" - "$WORK" "$REPEATS" "$SALIB_REPEATS" <<'EOF'
import json, math, sys
work, repeats, salib_repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def num(x):
    """3 significant digits, without exponents."""
    return f"{x:,.0f}" if x >= 100 else f"{x:.3g}"

def load(name, n_runs, seconds_of):
    runs = []
    for r in range(1, n_runs + 1):
        with open(f"{work}/{name}.{r}.json") as f:
            j = json.load(f)
        with open(f"{work}/{name}.{r}.meta") as f:
            m = json.load(f)
        runs.append((seconds_of(j), j, m))
    runs.sort(key=lambda x: x[0])
    s, j, m = runs[len(runs) // 2]        # the median run by compute time
    others = [x[2]["other_cpu_seconds"] for x in runs if x[2].get("other_cpu_seconds") is not None]
    return {"s": s, "j": j, "m": m, "n_runs": n_runs,
            "other": f"{max(others):.1f}" if others else "n/a",
            "all": ", ".join(num(x[0]) for x in runs)}

t2 = load("thirst-t2", repeats, lambda j: j["run"]["wall_seconds"])
t1 = load("thirst-t1", repeats, lambda j: j["run"]["wall_seconds"])
sa = load("salib", salib_repeats, lambda j: j["wall_seconds"])
n = sa["j"]["base_draws"]
k = len(sa["j"]["inputs"])
evals = sa["j"]["model_evaluations"]
assert t2["j"]["run"]["model_evaluations"] == evals == n * (k + 2), "different designs"

def fmt(x):
    return "n/a" if x is None else num(x)

def row(name, cores, r, split, evaluations):
    m = r["m"]
    rss = f"{m['max_rss_kib'] / 1024:.0f} MiB" if m.get("max_rss_kib") is not None else "n/a"
    ratio = sa["s"] / r["s"]
    pratio = sa["m"]["process_seconds"] / m["process_seconds"]
    return (f"| {name} | {cores} | 2^{round(math.log2(n))} | {evaluations:,} | {split} "
            f"| **{num(r['s'])}** | {num(m['process_seconds'])} | {fmt(m.get('cpu_seconds'))} "
            f"| {rss} | **{num(ratio)}** | {num(pratio)} | {r['n_runs']}: {r['all']} "
            f"| {r['other']} |")

sec = sa["j"]["seconds"]
v = sa["j"]["versions"]
print("| configuration | cores | N | model evaluations | seconds: sample / evaluate / analyze "
      "| total seconds | process s | CPU s | peak RSS | SALib / this (seconds) "
      "| SALib / this (process) | runs: seconds of each | other CPU s |")
print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|")
print(row("thirst CPU, `--threads 2`", 2, t2, "one streamed pass", evals))
print(row("thirst CPU, `--threads 1`", 1, t1, "one streamed pass", evals))
print(row(f"SALib {v['SALib']} sample + numpy {v['numpy']} model + SALib analyze", 1, sa,
          f"{sec['sample']:.1f} / {sec['evaluate']:.1f} / {sec['analyze']:.1f}", evals))

# Sanity: the same indices from both tools (different designs: thirst's Philox-driven A/B
# matrices against SALib's scrambled Sobol points, so they differ by Monte Carlo error).
worst = {"S1": (0.0, None), "ST": (0.0, None)}
worst_z = (0.0, None)
count = 0
for output, per_input in sa["j"]["outputs"].items():
    ours = t2["j"]["outputs"][output]["inputs"]
    for name, s in per_input.items():
        for key, field in (("S1", "first"), ("ST", "total")):
            d = abs(ours[name][field] - s[key])
            ci = ours[name][field + "_ci"]
            combined = math.hypot(0.5 * (ci[1] - ci[0]), s[key + "_conf"])
            count += 1
            if d > worst[key][0]:
                worst[key] = (d, f"{output}, {name}")
            if combined > 0 and d / combined > worst_z[0]:
                worst_z = (d / combined, f"{key} of {output}, {name}")
print()
verdict = ("agree: every difference within the combined 99.9 % interval" if worst_z[0] <= 3.2905
           else "DISAGREE: a difference beyond the combined 99.9 % interval")
print(f"Sanity, thirst (`--threads 2`) against SALib over {count} indices "
      f"(6 outputs x {k} inputs x S1, ST): {verdict}; largest |S1 difference| {worst['S1'][0]:.4f} "
      f"({worst['S1'][1]}), largest |ST difference| {worst['ST'][0]:.4f} ({worst['ST'][1]}); "
      f"the largest difference in units of the combined 95 % half-width is "
      f"{worst_z[0]:.2f} ({worst_z[1]}).")
t2j = t2["j"]["outputs"]
print()
print(f"- total seconds: the compute time each tool reports (thirst: JSON `run.wall_seconds`, "
      f"from the run plan through the indices and their intervals; SALib: sample + evaluate + "
      f"analyze, time.perf_counter around each, imports and file reading excluded); process s: "
      f"the whole process, start to exit; CPU s: user + system. Median of the runs listed.")
print(f"- SALib / this: SALib's seconds over the row's seconds; DESIGN.md section 7 target: >= 100 "
      f"for thirst's Sobol at N = 2^20 with 7 inputs.")
print(f"- Both compute first-order (Saltelli 2010) and total (Jansen) indices with 95 % intervals "
      f"for all six outputs from N x (k + 2) = {evals:,} model evaluations; SALib's intervals come "
      f"from {sa['j']['num_resamples']} bootstrap resamples (`analyze(problem, Y, "
      f"calc_second_order=False, num_resamples=100, conf_level=0.95)`, single process, its default), "
      f"thirst's from batch means. runs: SALib {salib_repeats}, thirst {repeats} per row, interleaved.")
print(f"- Python {v['python']}, SALib {v['SALib']}, numpy {v['numpy']}, scipy {v['scipy']}.")
EOF
cat <<EOF
- machine: $(nproc) cores, $CPU_MODEL (family $CPU_FAMILY, model $CPU_MODEL_NO), $(uname -sr);
  $GCC; $VERSION_NOTE
- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- command: \`$COMMAND\` (scenario $SCENARIO, seed $SEED; each thirst run:
  \`thirst sensitivity $SCENARIO --method sobol --base-draws $BASE --threads 2 --seed $SEED --json FILE\`;
  each SALib run: \`.venv/bin/python bench/salib_sobol.py --scenario $SCENARIO --base $BASE --seed $SEED\`)
EOF
