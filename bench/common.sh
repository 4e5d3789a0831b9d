# common.sh: what bench/numpy_best.sh and bench/numpy_sobol.sh share (sourced, not run): the
# venv with the current numpy, the two Release builds of thirst (CPU only) whose batch loops are
# the AVX-512 clone (with the AVX2 one and the baseline) and the AVX2 clone alone, and helpers.
# Expects ROOT (the repository), WORK (a scratch folder) and REPEATS; sets NUMPY_VERSION, VENV,
# BUILD, has_avx512, numpy_sweep's NUMPY_SETTING and NUMPY_SECONDS, and numpy_avx2_only's
# NUMPY_AVX2_SECONDS.

NUMPY_VERSION="${NUMPY_VERSION:-2.4.6}"   # the current numpy on PyPI on 2026-12-01
[ "${REPEATS:-3}" -ge 1 ] 2>/dev/null || { echo "bench: REPEATS must be a whole number >= 1" >&2; exit 2; }
VENV="$ROOT/bench/.venv-numpy-$NUMPY_VERSION"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "numpy==$NUMPY_VERSION"
fi

# The commit measured: the working tree at the start (the builds below), "+uncommitted" when it
# differs from HEAD.
THIRST_MEASURED="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- . ':!*.md' || echo '+uncommitted')"
declare -A BUILD=([avx512]="$ROOT/bench/build-release" [avx2]="$ROOT/bench/build-avx2")
declare -A CLONES=([avx512]="x86-64-v4;avx2" [avx2]="avx2")
for isa in avx512 avx2; do
    echo "bench: building thirst ($isa clone and the baseline) in ${BUILD[$isa]}" >&2
    cmake -S "$ROOT" -B "${BUILD[$isa]}" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF \
        -DBUILD_TESTING=OFF "-DTHIRST_CPU_CLONES=${CLONES[$isa]}" >/dev/null
    cmake --build "${BUILD[$isa]}" --target thirst -j"$(nproc)" >/dev/null
done
# The CPU gets the x86-64-v4 clone when it has all of AVX-512 F, BW, CD, DQ and VL.
has_avx512=1
for flag in avx512f avx512bw avx512cd avx512dq avx512vl; do
    grep -qw "$flag" /proc/cpuinfo || has_avx512=0
done

# median "1.0 2.0 3.0": the middle value (the mean of the two middle ones for an even count).
median() {
    tr ' ' '\n' <<<"$1" | { grep . || true; } | sort -g |
        awk '{a[NR] = $1} END {if (NR == 0) exit 1; print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

# machine_line: date, commit, CPU model, cores and whether the CPU has AVX-512.
machine_line() {
    echo "$(date -u +%Y-%m-%d), thirst $THIRST_MEASURED,"\
         "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, AVX-512: $([ "$has_avx512" = 1 ] && echo yes || echo no)"
}

# wall_seconds FILE: the compute time a result reports (thirst's and numpy_gpt3.py's
# run.wall_seconds, numpy_sobol.py's and salib_sobol.py's wall_seconds).
wall_seconds() {
    python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print(d['run']['wall_seconds'] if 'run' in d else d['wall_seconds'])" "$1"
}

# numpy_sweep LABEL "CHUNKS" COMMAND...: numpy at its best setting. Runs COMMAND --chunk C
# [--float32] --json FILE once for each chunk in CHUNKS in float64 and float32, then the fastest
# setting REPEATS times afresh (not biased by the sweep's pick of the fastest run). Sets
# NUMPY_SETTING ("chunk, dtype") and NUMPY_SECONDS (the median of the fresh runs), and leaves the
# fastest sweep run's result in $WORK/numpy.json.
numpy_sweep() {
    local label="$1" chunks="$2" best="" chunk dtype flag s times="" round
    shift 2
    NUMPY_SETTING=""
    for chunk in $chunks; do
        for dtype in float64 float32; do
            flag=""
            [ "$dtype" = float32 ] && flag="--float32"
            "$@" --chunk "$chunk" $flag --json "$WORK/numpy-sweep.json" >/dev/null
            s=$(wall_seconds "$WORK/numpy-sweep.json")
            echo "$label: numpy chunk $chunk $dtype: $s s" >&2
            if [ -z "$best" ] || python3 -c "import sys; sys.exit(not $s < $best)"; then
                best=$s NUMPY_SETTING="$chunk, $dtype"
                cp "$WORK/numpy-sweep.json" "$WORK/numpy.json"
            fi
        done
    done
    flag=""
    [ "${NUMPY_SETTING#*, }" = float32 ] && flag="--float32"
    for round in $(seq "$REPEATS"); do
        "$@" --chunk "${NUMPY_SETTING%%,*}" $flag --json "$WORK/numpy-again.json" >/dev/null
        times+="$(wall_seconds "$WORK/numpy-again.json") "
    done
    echo "$label: numpy best setting ($NUMPY_SETTING): $times" >&2
    NUMPY_SECONDS=$(median "$times")
}

# numpy_avx2_only COMMAND...: numpy as it runs on an AVX2-only CPU (such as AMD Zen 3), on this
# one: REPEATS runs of COMMAND --json FILE with numpy's AVX-512 code paths turned off
# (NPY_DISABLE_CPU_FEATURES naming every dispatch target past X86_V3, checked to be off). Sets
# NUMPY_AVX2_SECONDS to their median, or to "" where the CPU has no AVX-512 (numpy's own runs
# are then AVX2 already).
numpy_avx2_only() {
    local times="" round off
    NUMPY_AVX2_SECONDS=""
    [ "$has_avx512" = 1 ] || return 0
    # numpy 2 keeps its dispatch tables in numpy._core, numpy 1 in numpy.core.
    off="$("$VENV/bin/python" -c "
try:
    from numpy._core._multiarray_umath import __cpu_dispatch__ as d
except ImportError:
    from numpy.core._multiarray_umath import __cpu_dispatch__ as d
print(' '.join(f for f in d if 'AVX512' in f or f == 'X86_V4'))")"
    if [ -z "$off" ]; then
        echo "bench: numpy $NUMPY_VERSION lists no AVX-512 dispatch target to turn off" >&2
        exit 1
    fi
    NPY_DISABLE_CPU_FEATURES="$off" "$VENV/bin/python" -c "
import sys
try:
    from numpy._core._multiarray_umath import __cpu_features__ as f
except ImportError:
    from numpy.core._multiarray_umath import __cpu_features__ as f
on = [name for name in sys.argv[1].split() if f.get(name)]
sys.exit(f'bench: numpy kept {on} on under NPY_DISABLE_CPU_FEATURES' if on else 0)" "$off"
    for round in $(seq "$REPEATS"); do
        NPY_DISABLE_CPU_FEATURES="$off" "$@" --json "$WORK/numpy-avx2.json" >/dev/null
        times+="$(wall_seconds "$WORK/numpy-avx2.json") "
    done
    echo "numpy with $off off: $times" >&2
    NUMPY_AVX2_SECONDS=$(median "$times")
}
