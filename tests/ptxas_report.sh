#!/usr/bin/env bash
# ptxas_report.sh: ptxas's resource report (registers, stack frame, spills per kernel) of every
# kernels/*.cu, compiled for sm_90 (H100/H200) with the flags of the build, into one file that
# tests/test_ptxas.py checks against stated budgets. Run by the build (CMake custom command).
# usage: ptxas_report.sh NVCC OUTPUT "FLAGS" SOURCE...
set -euo pipefail
nvcc=$1 output=$2 flags=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "# flags: $flags"
  for source in "$@"; do
    echo "# source: $source"
    # shellcheck disable=SC2086  # flags is a list of words
    "$nvcc" $flags -arch=sm_90 -cubin -Xptxas -v -o "$tmp/kernel.cubin" "$source" 2>&1
  done
} >"$tmp/report.txt"
mv "$tmp/report.txt" "$output"
