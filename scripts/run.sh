#!/usr/bin/env bash
# run.sh: set up what running needs (scripts/setup.sh run: no test venv), build the thirst binary,
# and run one scenario (default: GPT-3 training in Microsoft's US data centres at the file's draw
# count). Extra arguments go to `thirst run`.
#   bash scripts/run.sh                                  # the GPT-3 training scenario
#   bash scripts/run.sh priors/gpt3-training-li2023.json --draws 1e8
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run >&2
scenario=${1:-priors/gpt3-training-us.json}
[ "$#" -gt 0 ] && shift
exec build/thirst run "$scenario" "$@"
