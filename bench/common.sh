# common.sh: what bench/numpy_best.sh and bench/numpy_sobol.sh share (sourced, not run): the
# venv with the current numpy, the two Release builds of thirst (CPU only) whose batch loops are
# the AVX-512 clone (with the AVX2 one and the baseline) and the AVX2 clone alone, and helpers.
# Expects ROOT (the repository) and sets NUMPY_VERSION, VENV, BUILD, has_avx512.

NUMPY_VERSION="${NUMPY_VERSION:-2.4.6}"   # the current numpy on PyPI on 2026-12-01
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
has_avx512=$(grep -qw avx512f /proc/cpuinfo && echo 1 || echo 0)

# median "1.0 2.0 3.0": the middle value.
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# machine_line: date, commit, CPU model, cores and whether the CPU has AVX-512.
machine_line() {
    echo "$(date -u +%Y-%m-%d), thirst $THIRST_MEASURED,"\
         "$(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, AVX-512: $([ "$has_avx512" = 1 ] && echo yes || echo no)"
}
