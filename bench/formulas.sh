#!/usr/bin/env bash
# formulas.sh: the GPT-3 training scenario with the model written as formulas
# (tests/formulas/gpt3-training-us-formulas.json: the same priors, draws and statistics bit for
# bit, tests/test_formula_reference.py) against the built-in model (priors/gpt3-training-us.json),
# on the CPU backend at 1 and 2 threads, back to back on this machine. Prints a markdown table:
# draws/s of each (median of REPEATS interleaved runs, from the JSON's run.wall_seconds: planning,
# sampling, exact quantiles, statistics) and their ratio. Issue 14's target: at least 0.8.
#
#   bash bench/formulas.sh            (DRAWS=1e8 REPEATS=3; about 2 minutes on 2 cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DRAWS="${DRAWS:-1e8}"
REPEATS="${REPEATS:-3}"
BUILD="${BENCH_BUILD_DIR:-$ROOT/bench/build-release}"
BUILTIN=priors/gpt3-training-us.json
FORMULAS=tests/formulas/gpt3-training-us-formulas.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-formulas.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "formulas: building thirst (Release, CPU backend) in $BUILD" >&2
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF -DBUILD_TESTING=OFF \
    >/dev/null
cmake --build "$BUILD" --target thirst -j"$(nproc)" >/dev/null

# seconds THREADS SCENARIO: one run's wall seconds from its JSON.
seconds() {
    "$BUILD/thirst" run "$2" --backend cpu --draws "$DRAWS" --threads "$1" --quiet \
        --json "$WORK/out.json" >/dev/null
    python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['run']['wall_seconds'])" \
        "$WORK/out.json"
}

declare -A times
for round in $(seq "$REPEATS"); do
    for threads in 1 2; do
        for kind in builtin formulas; do
            file=$BUILTIN
            [ "$kind" = formulas ] && file=$FORMULAS
            times[$kind$threads]+="$(seconds "$threads" "$file") "
            echo "formulas: round $round, $threads thread(s), $kind done" >&2
        done
    done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo "| threads | built-in model, draws/s | model as formulas, draws/s | formulas / built-in |"
echo "|---:|---:|---:|---:|"
for threads in 1 2; do
    b=$(median "${times[builtin$threads]}")
    f=$(median "${times[formulas$threads]}")
    awk -v t="$threads" -v b="$b" -v f="$f" -v n="$DRAWS" \
        'BEGIN { printf "| %d | %.3g | %.3g | %.2f |\n", t, n / b, n / f, b / f }'
done
echo
echo "$(date -u +%Y-%m-%d), thirst $(git rev-parse --short HEAD), $(lscpu | sed -n 's/^Model name: *//p'),"\
     "$(nproc) cores; DRAWS=$DRAWS REPEATS=$REPEATS bash bench/formulas.sh (median of $REPEATS)"
