#!/usr/bin/env bash
# test_build_cpu_only.sh: the build a machine without nvcc gets (THIRST_CUDA=OFF: the CUDA
# backend's stub, host/backend_cuda_none.c) configures, compiles and links thirst and the GPU
# tests; the GPU tests report SKIPPED (exit 77); `--backend cuda` fails with exit 1 and the
# reason; `--backend auto` runs on the CPU, and its JSON statistics equal the CUDA build's CPU
# run byte for byte.
#
# usage: bash tests/test_build_cpu_only.sh CMAKE REPO_ROOT THIRST
# Each case prints "ok NAME" or "FAIL NAME: why"; the last line is "N passed, M failed".
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 CMAKE REPO_ROOT THIRST" >&2
    exit 2
fi
cmake=$1 root=$2 built=$3
cd "$root" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/thirst-cpu-only.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

if ! "$cmake" -S "$root" -B "$work/build" -DTHIRST_CUDA=OFF >"$work/configure.log" 2>&1; then
    bad configure "$(tail -n 5 "$work/configure.log")"
elif ! "$cmake" --build "$work/build" -j 2 --target thirst test_gpu test_gpu_rqmc \
        >"$work/build.log" 2>&1; then
    bad build "$(grep -m 3 -E 'error|undefined' "$work/build.log")"
else
    ok "configure and build without CUDA"
    thirst="$work/build/thirst"
    for test in test_gpu test_gpu_rqmc; do
        "$work/build/tests/$test" >"$work/out" 2>&1
        status=$?
        if [ "$status" -eq 77 ] && grep -q SKIPPED "$work/out"; then
            ok "$test skipped"
        else
            bad "$test" "exit status $status (expected 77, SKIPPED): $(head -c 200 "$work/out")"
        fi
    done
    scenario=priors/gpt3-training-us.json
    "$thirst" run "$scenario" --backend cuda --draws 1000 --quiet >/dev/null 2>"$work/err"
    status=$?
    if [ "$status" -eq 1 ] && grep -q "built without the CUDA backend" "$work/err"; then
        ok "--backend cuda refused"
    else
        bad "--backend cuda" "exit status $status: $(head -c 200 "$work/err")"
    fi
    if "$thirst" run "$scenario" --backend auto --draws 1e6 --threads 2 --quiet \
            --json "$work/auto.json" >/dev/null 2>&1 &&
       "$built" run "$scenario" --backend cpu --draws 1e6 --threads 2 --quiet \
            --json "$work/cpu.json" >/dev/null 2>&1 &&
       python3 - "$work/auto.json" "$work/cpu.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run", None)
    d.get("provenance", {}).pop("commit", None)   # each build records its configure time's
sys.exit(a != b)
PY
    then
        ok "--backend auto: the CPU result of the CUDA build"
    else
        bad "--backend auto" "failed, or its JSON differs from the CUDA build's CPU run"
    fi
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
