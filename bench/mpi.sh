#!/usr/bin/env bash
# mpi.sh: MPI ranks on this machine (issue 19): the GPT-3 training scenario, fixed runs of DRAWS
# (default 1e8) draws with exact quantiles, `thirst run` as one process on all cores (--threads
# = cores), against `mpirun -np 1` with the same threads and `mpirun -np 2` with half each, and
# the Sobol design (2^20 base draws) the same way; REPEATS (default 3) interleaved rounds,
# medians (ranks unbound, --bind-to none: Open MPI binds each of 2 or fewer ranks to one core,
# which would put a rank's threads on one core). Also the bytes a rank sends per pass (its serialised state, from a 1-rank run's
# state size) for the model in bench/README.md. Needs the tests' thirst_mpi (a build with
# Open MPI installed: scripts/setup.sh). Prints markdown.
#   bash bench/mpi.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DRAWS="${DRAWS:-1e8}"
REPEATS="${REPEATS:-3}"
SCENARIO=priors/gpt3-training-us.json
SINGLE="${SINGLE:-build/thirst}"
RANKED="${RANKED:-build/tests/thirst_mpi}"
[ -x "$SINGLE" ] && [ -x "$RANKED" ] || { echo "mpi.sh: build thirst and thirst_mpi first (scripts/setup.sh)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl="self,vader,tcp" OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo
cores=$(nproc)
half=$((cores / 2 > 0 ? cores / 2 : 1))
WORK="$(mktemp -d "${TMPDIR:-/tmp}/thirst-mpi-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# wall COMMAND...: the seconds of the whole command (process start to exit)
wall() {
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.3f}')"
}
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A times=()
for round in $(seq "$REPEATS"); do
    for what in run sobol; do
        if [ "$what" = run ]; then args=(run "$SCENARIO" --draws "$DRAWS"); else
            args=(sensitivity "$SCENARIO" --method sobol --base-draws 1048576); fi
        times[$what-single]+="$(wall "$SINGLE" "${args[@]}" --backend cpu --threads "$cores" --quiet) "
        times[$what-np1]+="$(wall mpirun --bind-to none -np 1 "$RANKED" "${args[@]}" --backend cpu --threads "$cores" --quiet) "
        times[$what-np2]+="$(wall mpirun --bind-to none --oversubscribe -np 2 "$RANKED" "${args[@]}" --backend cpu --threads "$half" --quiet) "
    done
done
"$SINGLE" run "$SCENARIO" --draws 1e6 --backend cpu --threads 1 --quiet --checkpoint "$WORK/state.ck" >/dev/null
state_bytes=$(stat -c %s "$WORK/state.ck")

echo "Machine: $(date -u +%Y-%m-%d), thirst $(git rev-parse --short HEAD), $(lscpu | sed -n 's/^Model name: *//p'), $cores cores; $(mpirun --version | head -n 1)."
echo "Command: \`bash bench/mpi.sh\` (DRAWS=$DRAWS, REPEATS=$REPEATS); seconds: whole processes, medians."
echo
echo "| job | one process, $cores threads | mpirun -np 1, $cores threads | mpirun -np 2, $half thread(s) each | np 2 / one process |"
echo "|---|---:|---:|---:|---:|"
for what in run sobol; do
    s=$(median "${times[$what-single]}") a=$(median "${times[$what-np1]}") b=$(median "${times[$what-np2]}")
    label=$([ "$what" = run ] && echo "run, $DRAWS draws, exact quantiles" || echo "Sobol design, 2^20 base draws")
    echo "| $label | $s | $a | $b | $(python3 -c "print(f'{$b / $s:.2f}')") |"
done
echo
echo "A rank's serialised state (what it sends to every other rank after each first pass over its"
echo "share): about $state_bytes bytes for this scenario (its checkpoint file: the state and 100 bytes of header)."
