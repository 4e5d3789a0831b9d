#!/usr/bin/env bash
# test.sh: set up, build, and run the whole test suite (ctest). GPU tests report SKIPPED
# (exit 77) on machines without a CUDA device. .ci/run calls exactly this script.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
ctest --preset default
