#!/usr/bin/env bash
# setup.sh [run|test]: install what building thirst needs on a fresh Debian machine, then
# configure and build (CMake preset "default" -> build/). Installs only what is missing.
#   run:  the compilers, CMake and cJSON; builds the thirst binary alone (scripts/run.sh).
#   test (default): also clang and its libFuzzer runtime and the tests' Python venv (.venv,
#         tests/requirements.txt); builds everything (scripts/test.sh).
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}
case "$mode" in
  run | test) ;;
  *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac

# apt-get install, as root or through sudo.
install_packages() {
  local sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing $*" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@" >/dev/null
}

# g++: nvcc's host compiler; python3 and clang: the tests (clang: their fuzzing session).
packages=(cmake make gcc g++ pkg-config libcjson-dev)
# Open MPI: the tests build and run an MPI variant (tests/test_mpi.sh); thirst itself needs it
# only when built with -DTHIRST_MPI=ON.
[ "$mode" = test ] && packages+=(python3 clang libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# python3 may come from outside Debian's packages (pyenv); then it only has to be on PATH.
if command -v python3 >/dev/null 2>&1; then
  missing=("${missing[@]/python3}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
if [ "${#missing[@]}" -gt 0 ]; then
  install_packages "${missing[@]}"
fi

if [ "$mode" = run ]; then
  cmake --preset default >/dev/null
  cmake --build --preset default -j "$(nproc)" --target thirst >/dev/null
  exit 0
fi

# libFuzzer's runtime comes with the compiler-rt package of clang's major version.
clang_major=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
if [ -n "$clang_major" ] && ! dpkg -s "libclang-rt-$clang_major-dev" >/dev/null 2>&1; then
  install_packages "libclang-rt-$clang_major-dev" ||
    echo "setup: no libclang-rt-$clang_major-dev; the tests will not fuzz" >&2
fi

# Headless Chromium for the HTML reports' browser test (tests/test_html_browser.py, skipped
# without it).
if ! command -v chromium >/dev/null 2>&1 && ! dpkg -s chromium >/dev/null 2>&1; then
  install_packages chromium || echo "setup: no chromium; the browser test will be skipped" >&2
fi

# The tests' Python packages (tests/requirements.txt, pinned) in .venv; venv needs Debian's
# python3-venv when python3 is Debian's own.
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
  install_packages python3-venv
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/requirements.txt; then
  echo "setup: pip could not install tests/requirements.txt" >&2
  exit 1
fi

cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
