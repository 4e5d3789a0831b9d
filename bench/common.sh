# common.sh: what bench/numpy_best.sh and bench/numpy_sobol.sh share (sourced, not run): the
# venv with the current numpy, the two Release builds of thirst (CPU only) whose batch loops are
# the AVX-512 clone (with the AVX2 one and the baseline) and the AVX2 clone alone, and helpers.
# Expects ROOT (the repository) and sets NUMPY_VERSION, VENV, BUILD, has_avx512.

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
