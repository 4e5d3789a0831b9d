#!/usr/bin/env bash
# correlations.sh: the GPT-3 training scenario with a 3-parameter correlated block
# (priors/gpt3-training-us-correlated.json: PUE, on-site WUE and EWIF through the Gaussian copula,
# kernels/copula.h) against the same priors independent (priors/gpt3-training-us.json), on the CPU
# backend at 1 and 2 threads, back to back on this machine. Prints a markdown table: draws/s of
# each for `thirst run` (median of REPEATS interleaved runs, from the JSON's run.wall_seconds:
# planning, sampling, exact quantiles, statistics) and base draws/s of the Sobol design
# (`thirst sensitivity --method sobol`; the block is one factor, so the correlated design has 5
# factors and 7 model evaluations per base draw against 6 and 8), and their ratios.
#
#   bash bench/correlations.sh        (DRAWS=1e8 BASE=4194304 REPEATS=3; about 3 minutes on 2 cores)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DRAWS="${DRAWS:-1e8}"
BASE="${BASE:-4194304}"
REPEATS="${REPEATS:-3}"
BUILD="${BENCH_BUILD_DIR:-$ROOT/bench/build-release}"
INDEPENDENT=priors/gpt3-training-us.json
CORRELATED=priors/gpt3-training-us-correlated.json
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-correlations.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

echo "correlations: building thirst (Release, CPU backend) in $BUILD" >&2
cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF -DBUILD_TESTING=OFF \
    >/dev/null
cmake --build "$BUILD" --target thirst -j"$(nproc)" >/dev/null

# seconds COMMAND THREADS SCENARIO: one run's wall seconds from its JSON.
seconds() {
    if [ "$1" = run ]; then
        "$BUILD/thirst" run "$3" --backend cpu --draws "$DRAWS" --threads "$2" --quiet \
            --json "$WORK/out.json" >/dev/null
    else
        "$BUILD/thirst" sensitivity "$3" --backend cpu --base-draws "$BASE" --method sobol \
            --threads "$2" --quiet --json "$WORK/out.json" >/dev/null
    fi
    python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['run']['wall_seconds'])" \
        "$WORK/out.json"
}

declare -A times
for round in $(seq "$REPEATS"); do
    for command in run sobol; do
        for threads in 1 2; do
            for kind in independent correlated; do
                file=$INDEPENDENT
                [ "$kind" = correlated ] && file=$CORRELATED
                times[$command$kind$threads]+="$(seconds "$command" "$threads" "$file") "
                echo "correlations: round $round, $command, $threads thread(s), $kind done" >&2
            done
        done
    done
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
echo "| command | threads | independent, draws/s | 3-parameter block, draws/s | block / independent |"
echo "|---|---:|---:|---:|---:|"
for command in run sobol; do
    n=$DRAWS
    [ "$command" = sobol ] && n=$BASE
    for threads in 1 2; do
        i=$(median "${times[${command}independent$threads]}")
        c=$(median "${times[${command}correlated$threads]}")
        awk -v cmd="$command" -v t="$threads" -v i="$i" -v c="$c" -v n="$n" \
            'BEGIN { printf "| %s | %d | %.3g | %.3g | %.2f |\n", cmd, t, n / i, n / c, i / c }'
    done
done
echo
echo "$(date -u +%Y-%m-%d), thirst $(git rev-parse --short HEAD), $(lscpu | sed -n 's/^Model name: *//p'),"\
     "$(nproc) cores; DRAWS=$DRAWS BASE=$BASE REPEATS=$REPEATS bash bench/correlations.sh (median of $REPEATS;"\
     "sobol: base draws/s)"
