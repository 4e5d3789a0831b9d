#!/usr/bin/env bash
# test_mpi.sh: thirst under MPI ranks (issue 19; DESIGN.md section 12).
#
# usage: bash tests/test_mpi.sh MPIRUN THIRST_MPI THIRST REPO_ROOT
#
# - `mpirun -np N thirst_mpi` for N = 1, 2 and 3 (oversubscribed on a 2-core machine) gives the
#   JSON of the one-process thirst byte for byte, apart from its "run" section (time, threads):
#   a fixed run with quantile windows, an adaptive run, a run with a choice over sites, an rqmc
#   run, and `sensitivity` (Sobol, tornado, regression, measured) under mc and rqmc. Rank 0
#   alone writes: one table on stdout, one --json file.
# - A failing rank (its scenario file missing on that rank only; its backend unusable) ends the
#   job on every rank with that rank's message, no hang.
# - A killed rank (SIGKILL during a long run) ends the job with a non-zero status within 60 s.
# - --checkpoint under ranks: SIGTERM to one rank stops all at one segment (checkpoint written by
#   rank 0, no --json, rank 0 says so), and the checkpoint resumes under -np 3, -np 1 and the
#   one-process thirst to the uninterrupted JSON; every rank SIGKILLed, the checkpoint resumes
#   under -np 2; ranks that read different checkpoint files are refused (exit 2); a sensitivity
#   run's Sobol design stopped the same way resumes under -np 3 to the one-process JSON; a --by
#   run's 17 checkpoints written under -np 2 resume under -np 3 without drawing.
# Each case prints "ok NAME" or "FAIL NAME: why"; the last line is "N passed, M failed".
set -u
if [ $# -ne 4 ]; then
    echo "usage: $0 MPIRUN THIRST_MPI THIRST REPO_ROOT" >&2
    exit 2
fi
mpirun=$1 ranked=$2 single=$3 root=$4
cd "$root" || exit 2
# CI runs as root; Open MPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# Open MPI 4 may try other transports and print warnings on a container's network; keep to
# shared memory and loopback.
export OMPI_MCA_btl="self,vader,tcp" OMPI_MCA_btl_tcp_if_include=lo OMPI_MCA_oob_tcp_if_include=lo
work=$(mktemp -d "${TMPDIR:-/tmp}/thirst-mpi.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# same NAME A.json B.json: equal apart from the "run" section
same() {
    python3 - "$2" "$3" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run", None)
sys.exit(0 if a == b else 1)
PY
}

# compare NAME ARGS...: the one-process JSON against -np 1, 2, 3
compare() {
    local name=$1
    shift
    "$single" "$@" --backend cpu --threads 1 --quiet --json "$work/single.json" >/dev/null 2>&1 ||
        { bad "$name" "the one-process run failed"; return; }
    for np in 1 2 3; do
        rm -f "$work/ranked.json"
        if ! timeout 300 "$mpirun" --oversubscribe -np "$np" "$ranked" "$@" --backend cpu \
                --threads 1 --quiet --json "$work/ranked.json" >"$work/stdout" 2>"$work/stderr"; then
            bad "$name -np $np" "exit status $?: $(head -c 300 "$work/stderr")"
        elif ! same "$name" "$work/single.json" "$work/ranked.json"; then
            bad "$name -np $np" "the JSON differs from the one-process run's"
        elif [ "$(grep -c '^thirst ' "$work/stdout")" -ne 1 ]; then
            bad "$name -np $np" "not exactly one table on stdout (rank 0 alone prints)"
        else
            ok "$name -np $np"
        fi
    done
}

good=priors/gpt3-training-us.json
compare run_windows run "$good" --draws 3e6
compare run_adaptive run "$good" --rel-error 2e-3
compare run_sites run priors/gpt3-training-sites.json --draws 2e6
compare run_rqmc run "$good" --sampler rqmc --draws 1048576
compare sensitivity sensitivity "$good" --base-draws 16384
compare sensitivity_rqmc sensitivity "$good" --sampler rqmc --base-draws 16384

# A rank whose scenario file is missing: every rank stops, exit 2, one line naming the rank.
cat >"$work/one_rank_fails.sh" <<EOF
#!/usr/bin/env bash
scenario=$good
[ "\$OMPI_COMM_WORLD_RANK" = 1 ] && scenario=$work/missing.json
exec "$ranked" run "\$scenario" --backend cpu --threads 1 --draws 1e6 --quiet --json "$work/fail.json"
EOF
rm -f "$work/fail.json"
timeout 120 "$mpirun" --oversubscribe -np 2 bash "$work/one_rank_fails.sh" >"$work/stdout" 2>"$work/stderr"
status=$?
if [ "$status" -eq 124 ]; then
    bad failing_rank "the job hung (killed after 120 s)"
elif [ "$status" -ne 2 ]; then
    bad failing_rank "exit status $status, expected 2: $(head -c 300 "$work/stderr")"
elif ! grep -q "rank 1 of 2: .*missing.json" "$work/stderr"; then
    bad failing_rank "no line naming rank 1 and the file: $(head -c 300 "$work/stderr")"
elif [ -e "$work/fail.json" ]; then
    bad failing_rank "an output file was written"
else
    ok failing_rank
fi

# A rank that cannot use its backend (--backend cuda without a GPU on rank 1 only): every rank
# stops with that rank's message, no hang.
cat >"$work/one_rank_no_backend.sh" <<SCRIPT
#!/usr/bin/env bash
backend=cpu
[ "\$OMPI_COMM_WORLD_RANK" = 1 ] && backend=cuda
exec "$ranked" run "$good" --backend "\$backend" --threads 1 --draws 1e6 --quiet
SCRIPT
if "$single" devices >/dev/null 2>&1; then
    ok "backend_rank (skipped: this machine has a CUDA device)"
else
    timeout 120 "$mpirun" --oversubscribe -np 2 bash "$work/one_rank_no_backend.sh" \
        >"$work/stdout" 2>"$work/stderr"
    status=$?
    if [ "$status" -eq 124 ]; then
        bad backend_rank "the job hung (killed after 120 s)"
    elif [ "$status" -eq 0 ] || ! grep -q "rank 1 of 2: --backend cuda" "$work/stderr"; then
        bad backend_rank "exit status $status: $(head -c 300 "$work/stderr")"
    else
        ok backend_rank
    fi
fi

# A rank killed during a long run: the job ends, non-zero, within 60 s.
"$mpirun" --oversubscribe -np 2 "$ranked" run "$good" --backend cpu --threads 1 --draws 1e10 \
    --quiet >/dev/null 2>"$work/stderr" &
job=$!
sleep 2
victim=$(pgrep -P "$job" -f "$(basename "$ranked")" | tail -n 1)
if [ -z "$victim" ]; then
    bad killed_rank "found no rank process of mpirun $job"
    kill "$job" 2>/dev/null
else
    kill -KILL "$victim"
    for _ in $(seq 60); do
        kill -0 "$job" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$job" 2>/dev/null; then
        bad killed_rank "mpirun still runs 60 s after a rank was killed"
        kill -KILL "$job" 2>/dev/null
        pkill -KILL -f "$(basename "$ranked") run $good" 2>/dev/null
    else
        wait "$job"
        status=$?
        if [ "$status" -ne 0 ]; then ok "killed_rank (exit status $status)"; else bad killed_rank "exit status 0"; fi
    fi
fi
wait 2>/dev/null

# Checkpoints under ranks: rank 0 writes the merged state; a signal to one rank stops every rank
# at the same segment (the checkpoint written, no --json file, rank 0 says so); the checkpoint
# resumes under any number of ranks, and in the one-process thirst, to the uninterrupted result.
big=(run "$good" --draws 134217728 --backend cpu --quiet)   # 2,048 work units
"$single" "${big[@]}" --threads 2 --json "$work/big.json" >/dev/null 2>&1 || bad checkpoint_ranks "reference failed"
# next_unit FILE: the next unit a checkpoint's header records (-1: none yet)
next_unit() {
    python3 -c 'import struct, sys
try: d = open(sys.argv[1], "rb").read(84)
except OSError: d = b""
print(struct.unpack("<Q", d[76:84])[0] if len(d) == 84 and d[:8] == b"THIRSTC3" else -1)' "$1"
}
# interrupted SIGNAL WHOM AT: a -np 2 run of "${cmd[@]}" with --checkpoint, SIGNAL sent to WHOM
# (rank1: that rank alone; all: every rank) once the checkpoint's next unit (sensitivity: batch)
# is AT or more; sets $at (its next unit)
interrupted() {
    rm -f "$work/ck" "$work/ck.json"
    timeout 300 "$mpirun" --oversubscribe -np 2 "$ranked" "${cmd[@]}" --threads 1 --checkpoint \
        "$work/ck" --checkpoint-every 0 --json "$work/ck.json" >/dev/null 2>"$work/stderr" &
    local job=$! waited=0
    while [ "$(next_unit "$work/ck")" -lt "$3" ] && [ "$waited" -lt 600 ] && kill -0 "$job" 2>/dev/null; do
        sleep 0.05
        waited=$((waited + 1))
    done
    local ranks   # timeout's child is mpirun, whose children are the ranks
    ranks=$(pgrep -P "$(pgrep -P "$job" | head -n 1)" -f "$(basename "$ranked")")
    if [ "$2" = rank1 ]; then
        kill "-$1" "$(echo "$ranks" | tail -n 1)"
    else
        # shellcheck disable=SC2086  # one pid per word
        kill "-$1" $ranks
    fi
    wait "$job"
    status=$?   # 124: the job hung
    at=$(next_unit "$work/ck")
}
cmd=("${big[@]}")
interrupted TERM rank1 512
if [ "$status" -eq 0 ] || [ "$status" -eq 124 ] || [ -e "$work/ck.json" ]; then
    bad checkpoint_ranks_term "exit status $status (expected non-zero, 124: hung), --json left: $(ls "$work")"
elif [ "$at" -lt 512 ] || [ "$at" -ge 2048 ]; then
    bad checkpoint_ranks_term "the checkpoint holds $at of 2048 units (expected 512 or more, fewer than all)"
elif ! grep -q "thirst: interrupted after .* draws; resume with --resume" "$work/stderr"; then
    bad checkpoint_ranks_term "rank 0 did not say so: $(head -c 300 "$work/stderr")"
else
    ok "checkpoint_ranks_term (rank 1 signalled; checkpoint at unit $at)"
fi
cp "$work/ck" "$work/ck-term"
# taken FILE KEY: run.KEY of a JSON result (the units or batches a resume took from its file)
taken() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["run"][sys.argv[2]])' "$1" "$2"; }
for np in 3 1; do   # -np 3 checkpoints too: ck-full, the whole pass, for the files case below
    rm -f "$work/resumed.json"
    also=()
    [ "$np" = 3 ] && also=(--checkpoint "$work/ck-full")
    if ! timeout 300 "$mpirun" --oversubscribe -np "$np" "$ranked" "${big[@]}" --threads 1 --resume \
            "$work/ck-term" --json "$work/resumed.json" "${also[@]}" >/dev/null 2>"$work/stderr"; then
        bad "checkpoint_ranks_resume -np $np" "exit status $?: $(head -c 300 "$work/stderr")"
    elif ! same resume "$work/big.json" "$work/resumed.json"; then
        bad "checkpoint_ranks_resume -np $np" "the JSON differs from the uninterrupted run's"
    elif [ "$(taken "$work/resumed.json" resumed_units)" != "$at" ]; then
        bad "checkpoint_ranks_resume -np $np" \
            "took $(taken "$work/resumed.json" resumed_units) units from the checkpoint, not $at"
    else
        ok "checkpoint_ranks_resume -np $np"
    fi
done
rm -f "$work/resumed.json"
if "$single" "${big[@]}" --threads 2 --resume "$work/ck-term" --json "$work/resumed.json" >/dev/null 2>&1 &&
        same resume "$work/big.json" "$work/resumed.json"; then
    ok "checkpoint_ranks_resume one process"
else
    bad "checkpoint_ranks_resume one process" "failed or differs from the uninterrupted run"
fi
# every rank killed (SIGKILL): the checkpoint on disk is whole and resumes under -np 2
interrupted KILL all 512
rm -f "$work/resumed.json"
if [ "$at" -lt 512 ] || [ "$at" -ge 2048 ]; then
    bad checkpoint_ranks_kill "the checkpoint holds $at of 2048 units"
elif ! timeout 300 "$mpirun" --oversubscribe -np 2 "$ranked" "${big[@]}" --threads 1 --resume "$work/ck" \
        --json "$work/resumed.json" >/dev/null 2>"$work/stderr" ||
        ! same resume "$work/big.json" "$work/resumed.json"; then
    bad checkpoint_ranks_kill "resumed: failed or differs: $(head -c 300 "$work/stderr")"
else
    ok "checkpoint_ranks_kill (killed at unit $at, resumed under -np 2)"
fi
# ranks that read different checkpoints (node-local copies that differ): refused, exit 2
cat >"$work/two_files.sh" <<SCRIPT
#!/usr/bin/env bash
file=$work/ck-term
[ "\$OMPI_COMM_WORLD_RANK" = 1 ] && file=$work/ck-full
exec "$ranked" ${big[*]} --threads 1 --resume "\$file" --json "$work/two.json"
SCRIPT
timeout 120 "$mpirun" --oversubscribe -np 2 bash "$work/two_files.sh" >/dev/null 2>"$work/stderr"
status=$?
if [ "$status" -ne 2 ] || [ -e "$work/two.json" ] ||
        ! grep -q -- "--resume .*: the ranks read different files" "$work/stderr"; then
    bad checkpoint_ranks_files "exit status $status: $(head -c 300 "$work/stderr")"
else
    ok checkpoint_ranks_files
fi
# sensitivity: the Sobol design's checkpoint, rank 1 signalled, resumed under -np 3
cmd=(sensitivity "$good" --base-draws 33554432 --method sobol --backend cpu --quiet)
"$single" "${cmd[@]}" --threads 2 --json "$work/sens.json" >/dev/null 2>&1
interrupted TERM rank1 16
rm -f "$work/resumed.json"
if [ "$status" -eq 0 ] || [ "$at" -lt 16 ] || [ "$at" -ge 64 ] || [ -e "$work/ck.json" ]; then
    bad checkpoint_ranks_sensitivity "exit status $status, checkpoint at batch $at of 64"
elif ! timeout 300 "$mpirun" --oversubscribe -np 3 "$ranked" "${cmd[@]}" --threads 1 --resume \
        "$work/ck" --json "$work/resumed.json" >/dev/null 2>"$work/stderr" ||
        ! same resume "$work/sens.json" "$work/resumed.json" ||
        [ "$(taken "$work/resumed.json" resumed_batches)" != "$at" ]; then
    bad checkpoint_ranks_sensitivity "resumed: failed, differs or did not take $at batches: $(head -c 300 "$work/stderr")"
else
    ok "checkpoint_ranks_sensitivity (stopped at batch $at, resumed under -np 3)"
fi
# --by under ranks: each option's checkpoint (FILE.k) written by -np 2, all resumed under -np 3
# from their complete checkpoints (nothing drawn), the one-process --by JSON
cmd=(run priors/gpt3-training-sites.json --by site --draws 1e6 --backend cpu --quiet)
"$single" "${cmd[@]}" --threads 2 --json "$work/by.json" >/dev/null 2>&1
rm -f "$work"/by.ck.* "$work/by-resumed.json"
if ! timeout 300 "$mpirun" --oversubscribe -np 2 "$ranked" "${cmd[@]}" --threads 1 \
        --checkpoint "$work/by.ck" >/dev/null 2>"$work/stderr" ||
   ! timeout 300 "$mpirun" --oversubscribe -np 3 "$ranked" "${cmd[@]}" --threads 1 \
        --resume "$work/by.ck" --json "$work/by-resumed.json" >/dev/null 2>>"$work/stderr"; then
    bad checkpoint_ranks_by "failed: $(head -c 300 "$work/stderr")"
elif ! same by "$work/by.json" "$work/by-resumed.json" ||
     [ "$(taken "$work/by-resumed.json" resumed_units)" != "$(python3 -c 'print([16] * 17)')" ]; then
    bad checkpoint_ranks_by "differs from one process, or drew again: $(taken "$work/by-resumed.json" resumed_units)"
else
    ok "checkpoint_ranks_by (17 options checkpointed under -np 2, resumed under -np 3)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
