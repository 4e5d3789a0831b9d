"""test_rqmc_cli.py: `thirst run --sampler rqmc` and `thirst draws --sampler rqmc` from the
command line, against numpy on the very same draws and against themselves.
- The replicates' statistics recomputed in numpy from a --dump of 2 work units on 2 threads (draw
  i in replicate i % 32):
  the mean equals the dump's mean to 1e-12; the standard error equals the sd of the 32
  replicate means over sqrt(32) to 1e-9; mean_ci is mean -+ t(31) sem; the sd interval is the
  pooled variance -+ t(31) times the standard error of the replicates' variances, as sds; every
  quantile equals numpy.quantile of the pooled column to the last bit, and its interval ends are
  the pooled order statistics at n (p -+ h), h = t(31) times the standard error of the 32
  replicates' fractions at or below the quantile.
- Every statistic is the same for --threads 1 and 2 (4 work units), and `--replay` of the result
  gives it back.
- Adaptive: `--rel-error 2e-4` under rqmc stops with draws = 32 x 2^m after rounds that double
  them, converged, and reports what a fixed run of that many draws reports.
- `thirst draws --sampler rqmc --replicates 8`: the word columns of each replicate's first 16
  points put exactly one word in each sixteenth of [0, 2^32), in every dimension.
Usage: test_rqmc_cli.py THIRST_BINARY REPO_ROOT
"""
import csv
import io
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

thirst, root = sys.argv[1], sys.argv[2]
os.chdir(root)
checks = Checks()
check = checks.check
SCENARIO = "priors/gpt3-training-us.json"
T31 = stats.t.ppf(0.975, 31)


def run(work, name, *flags):
    """The JSON of `thirst run SCENARIO --sampler rqmc FLAGS`, written to work/name."""
    out = os.path.join(work, name)
    done = subprocess.run([thirst, "run", SCENARIO, "--backend", "cpu", "--sampler", "rqmc",
                           "--quiet", "--json", out, *flags], capture_output=True, text=True)
    check(done.returncode == 0, f"run {flags}: {done.stderr}")
    return json.load(open(out)) if done.returncode == 0 else None


def close(a, b, tolerance):
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def against_numpy(work):
    """The replicates' statistics of a dumped run recomputed in numpy."""
    dump = os.path.join(work, "draws.npy")
    report = run(work, "dumped.json", "--draws", "131072", "--seed", "9", "--threads", "2",
                 "--dump", dump)
    if not report:
        return
    draws = np.load(dump)
    check(report["settings"]["sampler"]["points_per_replicate"] == 4096, "points per replicate")
    for name, output in report["outputs"].items():
        column = draws[name].astype(np.float64)
        replicates = column.reshape(4096, 32)   # row k: point k of replicates 0..31
        means = replicates.mean(axis=0)
        check(close(output["mean"], column.mean(), 1e-12), f"{name}: mean")
        sem = means.std(ddof=1) / math.sqrt(32)
        check(close(output["sem"], sem, 1e-9), f"{name}: sem {output['sem']!r}, numpy {sem!r}")
        check(close(output["mean_ci"][1] - output["mean"], T31 * sem, 1e-9), f"{name}: mean_ci")
        variances = replicates.var(axis=0, ddof=1)
        half = T31 * variances.std(ddof=1) / math.sqrt(32)
        sd = output["sd"]
        expected = [math.sqrt(max(0, sd * sd - half)), math.sqrt(sd * sd + half)]
        check(all(close(a, b, 1e-9) for a, b in zip(output["sd_ci"], expected)),
              f"{name}: sd_ci {output['sd_ci']}, numpy {expected}")
        ordered = np.sort(column)
        n = column.size
        for q in output["quantiles"]:
            value = np.quantile(column, q["p"])
            check(q["value"] == value, f"{name}: quantile {q['p']}: {q['value']!r} vs {value!r}")
            below = np.float32(value)
            if float(below) > value:
                below = np.nextafter(below, np.float32(-np.inf))
            fractions = (replicates <= float(below)).mean(axis=0)
            h = T31 * fractions.std(ddof=1) / math.sqrt(32)
            low, high = math.floor(n * (q["p"] - h)), math.ceil(n * (q["p"] + h)) + 1
            if low >= 1 and high <= n:
                check(q["ci"] == [ordered[low - 1], ordered[high - 1]],
                      f"{name}: quantile {q['p']} interval {q['ci']}, numpy "
                      f"{[ordered[low - 1], ordered[high - 1]]}")


def same_statistics(a, b, what):
    check(a["outputs"] == b["outputs"] and a["settings"] == b["settings"], what)


def threads_and_replay(work):
    one = run(work, "one.json", "--draws", "262144", "--threads", "1")   # 4 work units
    two = run(work, "two.json", "--draws", "262144", "--threads", "2")
    if one and two:
        same_statistics(one, two, "--threads 1 and 2 give the same statistics")
    replayed = os.path.join(work, "replayed.json")
    done = subprocess.run([thirst, "run", "--backend", "cpu", "--replay",
                           os.path.join(work, "two.json"), "--quiet", "--json", replayed],
                          capture_output=True, text=True)
    check(done.returncode == 0, f"replay: {done.stderr}")
    if done.returncode == 0 and two:
        same_statistics(json.load(open(replayed)), two, "--replay gives the same statistics")


def adaptive(work):
    report = run(work, "adaptive.json", "--rel-error", "2e-4")
    if not report:
        return
    draws = report["settings"]["draws"]
    points = draws // 32
    check(draws % 32 == 0 and points & (points - 1) == 0, f"adaptive draws {draws}: 32 x 2^m")
    check(report["precision"]["converged"] and report["precision"]["rounds"] >= 2,
          f"adaptive: converged after {report['precision']['rounds']} rounds")
    fixed = run(work, "fixed.json", "--draws", str(draws))
    if fixed:
        check(report["outputs"] == fixed["outputs"], "adaptive = a fixed run of its length")


def balance():
    done = subprocess.run([thirst, "draws", SCENARIO, "--sampler", "rqmc", "--replicates", "8",
                           "--count", "128"], capture_output=True, text=True)
    check(done.returncode == 0, f"draws: {done.stderr}")
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    words = [name for name in rows[0] if name.startswith("word")]
    check(len(rows) == 128 and words, "128 rows with words")
    for r in range(8):
        for word in words:
            cells = sorted(int(row[word], 16) >> 28 for row in rows[r::8])
            check(cells == list(range(16)), f"replicate {r} {word}: cells {cells}")


with tempfile.TemporaryDirectory() as work:
    against_numpy(work)
    threads_and_replay(work)
    adaptive(work)
balance()
checks.finish()
