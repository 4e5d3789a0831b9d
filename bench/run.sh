#!/usr/bin/env bash
# run.sh: the whole benchmark suite in one command, as ratios measured in one session on this
# machine: the CPU backend at 1 and 2 threads against a vectorised numpy script of the same
# scenario (throughput.sh), one core against numpy at its best setting for each batch-loop clone
# (numpy_best.sh), Sobol against a numpy estimator (numpy_sobol.sh), randomized QMC against Monte
# Carlo and scipy.stats.qmc (rqmc.sh), Sobol against SALib's sample
# + evaluate + analyze (sobol.sh), the peak memory of a 1e9-draw run (/usr/bin/time -v), and, where an NVIDIA GPU
# answers nvidia-smi, bench/gpu_check.sh's table. Writes everything to bench/results/ (git
# ignores it) and prints one markdown report; bench/README.md quotes the latest.
#   bash bench/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
stamp() { date -u '+%Y-%m-%d %H:%M UTC'; }

[ -x .venv/bin/python ] || bash scripts/setup.sh >&2
# The time command: Debian's package "time" (procps-like tools are not enough for peak RSS).
if [ ! -x /usr/bin/time ]; then
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq time >/dev/null
fi

echo "# thirst benchmarks, $(stamp)"
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -r)"
echo "thirst: $(git rev-parse --short HEAD); command: \`bash bench/run.sh\`"
echo

echo "## CPU backend against numpy (bench/throughput.sh)"
echo
BENCH_REF=HEAD bash bench/throughput.sh 2>"$OUT/throughput.log" | tee "$OUT/throughput.md"
echo

echo "## CPU backend against numpy at its best, per clone (bench/numpy_best.sh)"
echo
# numpy_best.sh and numpy_sobol.sh build the working tree (bench/build-release, build-avx2):
# run the suite from a clean checkout of the commit it reports.
bash bench/numpy_best.sh 2>"$OUT/numpy_best.log" | tee "$OUT/numpy_best.md"
echo

echo "## Sobol indices against a vectorised numpy estimator (bench/numpy_sobol.sh)"
echo
bash bench/numpy_sobol.sh 2>"$OUT/numpy_sobol.log" | tee "$OUT/numpy_sobol.md"
echo

echo "## Randomized QMC against Monte Carlo and scipy.stats.qmc (bench/rqmc.sh)"
echo
bash bench/rqmc.sh 2>"$OUT/rqmc.log" | tee "$OUT/rqmc.md"
echo

echo "## Sobol indices against SALib (bench/sobol.sh)"
echo
bash bench/sobol.sh 2>"$OUT/sobol.log" | tee "$OUT/sobol.md"
echo

echo "## Peak memory, 1e9 draws"
echo
# Built from the same commit as the other steps (git archive HEAD), not the working tree.
MEMORY_WORK="$(mktemp -d)"
trap 'rm -rf "$MEMORY_WORK"' EXIT
git archive HEAD | tar -x -C "$MEMORY_WORK"
cmake -S "$MEMORY_WORK" -B "$MEMORY_WORK/build" -DCMAKE_BUILD_TYPE=Release -DTHIRST_CUDA=OFF \
  -DBUILD_TESTING=OFF >/dev/null
cmake --build "$MEMORY_WORK/build" -j "$(nproc)" --target thirst >/dev/null
/usr/bin/time -v "$MEMORY_WORK/build/thirst" run --backend cpu "$MEMORY_WORK/priors/gpt3-training-us.json" --draws 1e9 \
  --quiet --threads "$(nproc)" >"$OUT/memory.txt" 2>"$OUT/memory.time"
rss=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$OUT/memory.time")
wall=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$OUT/memory.time")
echo "| run | peak RSS | wall |"
echo "|---|---:|---:|"
echo "| \`thirst run priors/gpt3-training-us.json --draws 1e9\` ($(nproc) threads, exact quantiles, $(git rev-parse --short HEAD)) | $((rss / 1024)) MiB | $wall |"
echo

echo "## GPU"
echo
if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
  bash bench/gpu_check.sh | tee "$OUT/gpu.md"
else
  echo "no NVIDIA GPU answered nvidia-smi on this machine: bench/gpu_check.sh not run"
fi
