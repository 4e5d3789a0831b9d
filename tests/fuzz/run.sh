#!/usr/bin/env bash
# run.sh: a libFuzzer session on the scenario loader.
#   bash tests/fuzz/run.sh SECONDS [FUZZ_BINARY]
# FUZZ_BINARY defaults to build/tests/fuzz_scenario (built with the default preset when clang
# is installed). The committed corpus (tests/fuzz/corpus) seeds the session and is not changed:
# new inputs go to a scratch folder (removed at the end; set THIRST_FUZZ_KEEP=FOLDER to keep
# them there for a merge). A crash, sanitizer report, leak or an input slower than 10 s fails
# the session; its reproducer is written to build/fuzz-findings/ (replay it with
# build/tests/fuzz_replay FILE, or FUZZ_BINARY FILE). tests/fuzz/README.md says more.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:?usage: run.sh SECONDS [FUZZ_BINARY]}
binary=${2:-$root/build/tests/fuzz_scenario}
[ -x "$binary" ] || { echo "run.sh: no fuzz binary at $binary (is clang installed?)" >&2; exit 2; }
if [ -n "${THIRST_FUZZ_KEEP:-}" ]; then
  scratch=$THIRST_FUZZ_KEEP
  mkdir -p "$scratch"
else
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/thirst-fuzz.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
fi
findings="$root/build/fuzz-findings"
mkdir -p "$findings"
export ASAN_OPTIONS=detect_leaks=1
"$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$scratch" "$root/tests/fuzz/corpus"
status=$?
[ "$status" -eq 0 ] || echo "run.sh: finding(s) in $findings" >&2
exit "$status"
