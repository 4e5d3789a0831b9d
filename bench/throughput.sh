#!/usr/bin/env bash
# throughput.sh: thirst's CPU backend against the numpy script a user would otherwise write,
# on the GPT-3 training scenario, back to back on this machine. Prints a markdown table.
#
#   bash bench/throughput.sh
#
# What it does:
#   1. makes (or reuses) the venv bench/.venv with numpy pinned to $NUMPY_VERSION;
#   2. builds thirst in Release into $BENCH_BUILD_DIR (default bench/build-release, gitignored
#      by the top-level build-*/ rule), never touching the developers' build/; with BENCH_REF=REF
#      (e.g. HEAD) it builds that commit instead of the working tree, in a temporary directory;
#   3. runs thirst --threads 1 and --threads 2 at $THIRST_DRAWS draws and bench/numpy_gpt3.py
#      at $NUMPY_DRAWS draws, $REPEATS times each, interleaved, and keeps the median;
#   4. prints the table (seconds = the compute time each tool reports in its JSON "run"
#      section; process seconds and peak memory come from /usr/bin/time), the machine, the date
#      and the command.
# About 2-3 minutes on a 2-core machine with the defaults (first run adds pip and the build).
#
# Environment: THIRST_DRAWS (1e8), NUMPY_DRAWS (2e7), REPEATS (3), SCENARIO
# (priors/gpt3-training-us.json), NUMPY_VERSION (2.2.6), BENCH_BUILD_DIR, BENCH_REF, PYTHON (python3),
# QUIET_TIMEOUT (120: seconds each run waits for the machine to be idle before it starts).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
THIRST_DRAWS="${THIRST_DRAWS:-1e8}"
NUMPY_DRAWS="${NUMPY_DRAWS:-2e7}"
REPEATS="${REPEATS:-3}"
SCENARIO="${SCENARIO:-priors/gpt3-training-us.json}"
NUMPY_VERSION="${NUMPY_VERSION:-2.2.6}"
BENCH_BUILD_DIR="${BENCH_BUILD_DIR:-$ROOT/bench/build-release}"
PYTHON="${PYTHON:-python3}"
QUIET_TIMEOUT="${QUIET_TIMEOUT:-120}"
VENV="$ROOT/bench/.venv"
COMMAND="${BENCH_REF:+BENCH_REF=$BENCH_REF }THIRST_DRAWS=$THIRST_DRAWS NUMPY_DRAWS=$NUMPY_DRAWS REPEATS=$REPEATS bash bench/throughput.sh"

log() { printf '%s\n' "throughput: $*" >&2; }

# 1. venv with pinned numpy
if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import numpy, sys; sys.exit(numpy.__version__ != '$NUMPY_VERSION')" \
        2>/dev/null; then
    log "installing numpy==$NUMPY_VERSION"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "numpy==$NUMPY_VERSION"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 2. Release build of thirst, CPU backend only (this benchmark is about the CPU): the working
# tree by default, or the commit BENCH_REF names (exported with git archive, built in $WORK).
if [ -n "${BENCH_REF:-}" ]; then
    SRC="$WORK/src"
    BUILD="$WORK/build"
    mkdir -p "$SRC"
    git -C "$ROOT" archive "$BENCH_REF" | tar -x -C "$SRC"
    VERSION_NOTE="thirst $(git -C "$ROOT" rev-parse --short "$BENCH_REF") (BENCH_REF=$BENCH_REF)"
else
    SRC="$ROOT"
    BUILD="$BENCH_BUILD_DIR"
    VERSION_NOTE="thirst $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    git -C "$ROOT" diff --quiet HEAD -- host kernels CMakeLists.txt 2>/dev/null ||
        VERSION_NOTE="$VERSION_NOTE + uncommitted changes in host/, kernels/ or CMakeLists.txt"
fi
log "building thirst (Release) from $SRC in $BUILD"
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF -DBUILD_TESTING=OFF \
    >/dev/null
cmake --build "$BUILD" --target thirst -j"$(nproc)" >/dev/null
THIRST="$BUILD/thirst"

# 3. runs, interleaved so that drift in the machine's speed hits every configuration alike
# shellcheck source=bench/timing.sh
source "$ROOT/bench/timing.sh"

for rep in $(seq 1 "$REPEATS"); do
    log "round $rep/$REPEATS: thirst --threads 1"
    run_one thirst-t1 "$rep" "$THIRST" run --backend cpu "$SCENARIO" --draws "$THIRST_DRAWS" --threads 1 \
        --quiet --json "$WORK/thirst-t1.$rep.json"
    log "round $rep/$REPEATS: thirst --threads 2"
    run_one thirst-t2 "$rep" "$THIRST" run --backend cpu "$SCENARIO" --draws "$THIRST_DRAWS" --threads 2 \
        --quiet --json "$WORK/thirst-t2.$rep.json"
    log "round $rep/$REPEATS: numpy"
    run_one numpy "$rep" "$VENV/bin/python" bench/numpy_gpt3.py "$SCENARIO" \
        --draws "$NUMPY_DRAWS" --json "$WORK/numpy.$rep.json"
done

# 4. the table
CPU_MODEL="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
CPU_FAMILY="$(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //')"
CPU_MODEL_NO="$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | sed 's/.*: //')"
GCC="$(cc --version | head -n 1)"
"$VENV/bin/python" - "$WORK" "$REPEATS" "$NUMPY_VERSION" <<EOF
import json, statistics, sys
work, repeats, numpy_version = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def load(name):
    runs = []
    for r in range(1, repeats + 1):
        with open(f"{work}/{name}.{r}.json") as f:
            j = json.load(f)
        with open(f"{work}/{name}.{r}.meta") as f:
            m = json.load(f)
        runs.append((j["run"]["wall_seconds"], j["outputs"]["water_total_l"]["n"],
                     m["process_seconds"], m["max_rss_kib"], m.get("other_cpu_seconds")))
    runs.sort()
    s, n, p, rss, _ = runs[len(runs) // 2]       # the median run by compute time
    others = [x[4] for x in runs if x[4] is not None]
    return {"s": s, "n": n, "rate": n / s, "p": p, "rss": rss,
            "other": f"{max(others):.1f}" if others else "n/a",
            "all": ", ".join(f"{n / x[0]:.3g}" for x in sorted(runs, key=lambda x: -x[0]))}

rows = [("thirst CPU, --threads 1", 1, load("thirst-t1")),
        ("thirst CPU, --threads 2", 2, load("thirst-t2")),
        (f"numpy {numpy_version} (bench/numpy_gpt3.py), 1 thread", 1, load("numpy"))]
base = rows[2][2]["rate"]
print("| configuration | cores | draws | seconds | draws/s | x numpy | x numpy per core "
      "| process s | peak RSS | draws/s of each run | other CPU s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
for name, cores, r in rows:
    rss = f"{r['rss'] / 1024:.0f} MiB" if r["rss"] is not None else "n/a"
    print(f"| {name} | {cores} | {r['n']:.0e} | {r['s']:.2f} | {r['rate']:.3g} "
          f"| {r['rate'] / base:.2f} | {r['rate'] / base / cores:.2f} | {r['p']:.2f} | {rss} "
          f"| {r['all']} | {r['other']} |".replace("e+0", "e"))
EOF
cat <<EOF

- seconds: the compute time the tool reports in its JSON \`run.wall_seconds\` (median of $REPEATS
  interleaved runs); draws/s = draws / seconds; process s: the whole process, start to exit.
- other CPU s: the most CPU time that other processes used during any one run of the row
  (machine busy time less the run's own); near 0 means the run had the cores to itself.
- x numpy per core: draws/s per core used, over numpy's single core (DESIGN.md section 7 target:
  >= 10 on the same cores).
- machine: $(nproc) cores, $CPU_MODEL (family $CPU_FAMILY, model $CPU_MODEL_NO), $(uname -sr);
  $GCC; $VERSION_NOTE
- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- command: \`$COMMAND\` (scenario $SCENARIO)
EOF
