#!/usr/bin/env bash
# compare.sh: a change to the CPU engine before and after, on this machine, in one session: the
# commit BASE and the working tree, each built in Release (CPU only) into bench/build-compare-*,
# run back to back on the same cases, REPEATS rounds interleaved (the order alternating per
# round, so that drift in the machine's speed hits both alike). For each case it prints the
# median run.wall_seconds of each side, their ratio, each side's peak RSS, and whether every
# statistic of the two JSON results is the same (all but their run and provenance sections).
#
#   bash bench/compare.sh                                  (BASE=HEAD, the default cases)
#   BASE=3e13189 REPEATS=5 THREADS=2 bash bench/compare.sh
#   CASES='--draws 1e7;--rel-error 1e-3' bash bench/compare.sh
#
# Each run waits (up to QUIET_TIMEOUT s) for an idle machine first (bench/timing.sh).
#
# Environment: BASE (HEAD), REPEATS (5), THREADS (1), SCENARIO (priors/gpt3-training-us.json),
# CASES (';'-separated arguments of thirst run, default: 3e6, 1e7 and 1e8 draws and
# --rel-error 1e-3), QUIET_TIMEOUT (120). About 2 minutes with the defaults on 2 cores, plus
# the two builds.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BASE="${BASE:-HEAD}"
REPEATS="${REPEATS:-5}"
THREADS="${THREADS:-1}"
SCENARIO="${SCENARIO:-priors/gpt3-training-us.json}"
CASES="${CASES:---draws 3e6;--draws 1e7;--draws 1e8;--rel-error 1e-3}"
QUIET_TIMEOUT="${QUIET_TIMEOUT:-120}"
[ "$REPEATS" -ge 1 ] 2>/dev/null || { echo "compare: REPEATS must be a whole number >= 1" >&2; exit 2; }
[ "$THREADS" -ge 1 ] 2>/dev/null || { echo "compare: THREADS must be a whole number >= 1" >&2; exit 2; }
BASE_COMMIT="$(git rev-parse --short --verify "$BASE^{commit}" 2>/dev/null)" ||
    { echo "compare: BASE: '$BASE' names no commit" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-compare.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log() { printf '%s\n' "compare: $*" >&2; }
# shellcheck source=bench/timing.sh
source "$ROOT/bench/timing.sh"

# The two builds: BASE exported with git archive, the working tree as it is.
mkdir -p "$WORK/src"
git archive "$BASE" | tar -x -C "$WORK/src"
declare -A SOURCE=([base]="$WORK/src" [tree]="$ROOT")
declare -A BUILD=([base]="$ROOT/bench/build-compare-base" [tree]="$ROOT/bench/build-compare-tree")
for side in base tree; do
    echo "compare: building $side from ${SOURCE[$side]} in ${BUILD[$side]}" >&2
    # BASE's source folder is new each time: its build starts afresh.
    [ "$side" = base ] && rm -rf "${BUILD[$side]}"
    cmake -S "${SOURCE[$side]}" -B "${BUILD[$side]}" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF \
        -DBUILD_TESTING=OFF >/dev/null
    cmake --build "${BUILD[$side]}" --target thirst -j"$(nproc)" >/dev/null
done
TREE_NOTE="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!*.md' || echo '+uncommitted')"

# run_side SIDE CASE ROUND: one run; appends "seconds rss_kib" to $WORK/SIDE.CASE.times.
run_side() {
    local side="$1" case_index="$2" round="$3" json
    json="$WORK/$side.$case_index.$round.json"
    wait_quiet
    # shellcheck disable=SC2086  # the case's arguments are split on purpose
    /usr/bin/time -f '%M' -o "$WORK/rss" "${BUILD[$side]}/thirst" run "$SCENARIO" --backend cpu --threads "$THREADS" ${CASE_ARGS[$case_index]} --quiet --json "$json" >/dev/null
    python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['run']['wall_seconds'], sys.argv[2])" \
        "$json" "$(tail -n 1 "$WORK/rss")" >>"$WORK/$side.$case_index.times"
}

IFS=';' read -r -a CASE_ARGS <<<"$CASES"
for round in $(seq "$REPEATS"); do
    for case_index in "${!CASE_ARGS[@]}"; do
        if [ $((round % 2)) = 1 ]; then order="base tree"; else order="tree base"; fi
        for side in $order; do run_side "$side" "$case_index" "$round"; done
    done
done

echo "| thirst run ${SCENARIO##*/} --threads $THREADS | base $BASE_COMMIT, s | tree $TREE_NOTE, s | tree / base | base peak RSS | tree peak RSS | statistics |"
echo "|---|---:|---:|---:|---:|---:|---|"
for case_index in "${!CASE_ARGS[@]}"; do
    python3 - "$WORK" "$case_index" "$REPEATS" "${CASE_ARGS[$case_index]}" <<'PY'
import json, statistics, sys
work, case, repeats, args = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def side(name):
    rows = [line.split() for line in open(f"{work}/{name}.{case}.times")]
    return statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows) / 1024
def stats(name, r):
    d = json.load(open(f"{work}/{name}.{case}.{r}.json"))
    d.pop("run", None)
    d.pop("provenance", None)
    return d
same = all(stats("base", r) == stats("tree", r) for r in range(1, repeats + 1))
(b, b_rss), (t, t_rss) = side("base"), side("tree")
print(f"| `{args}` | {b:.3g} | {t:.3g} | {t / b:.2f} | {b_rss:.0f} MiB | {t_rss:.0f} MiB | "
      f"{'the same' if same else '**differ**'} |")
PY
done
echo
echo "$(date -u +%Y-%m-%d), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores;"\
     "BASE=$BASE_COMMIT REPEATS=$REPEATS THREADS=$THREADS SCENARIO=$SCENARIO CASES='$CASES' bash bench/compare.sh"\
     "(median of $REPEATS interleaved rounds, run.wall_seconds)"
