"""test_rqmc_agreement.py: --sampler rqmc and plain Monte Carlo estimate the same thing. For every
scenario of priors/ and priors/benchmarks/, `thirst run --draws 1048576` with --sampler mc and
with --sampler rqmc (32 replicates x 2^15 points): every output's mean, and every quantile and
interval end, agree within 4 combined standard errors, each error the interval's half-width over
its 95 % factor (1.96 for mc's large-n intervals, Student t with 31 degrees of freedom, 2.04, for
rqmc's). 4 standard errors: a family-wise 0.94 over the ~1,000 comparisons (Bonferroni), so a
failure points at a bias, not at chance. An estimate whose two intervals both have zero width
(an atom of a choice) must be equal. Also: each rqmc interval is narrower than mc's for the mean
of every output of the smooth scenarios (the reason to use rqmc), and the JSON names the sampler.
Usage: test_rqmc_agreement.py THIRST_BINARY REPO_ROOT
"""
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

T_MC, T_RQMC = 1.959964, 2.039513   # 97.5 % points: normal; Student t, 31 degrees of freedom
SMOOTH = ("gpt3-training-us", "gpt3-training-li2023", "ishigami", "gfunction")

thirst, root = os.path.abspath(sys.argv[1]), sys.argv[2]
os.chdir(root)
checks = Checks()


def run(path, sampler, folder):
    """The JSON of one run of path with sampler."""
    out = os.path.join(folder, f"{sampler}.json")
    subprocess.run([thirst, "run", path, "--backend", "cpu", "--draws", "1048576", "--sampler",
                    sampler, "--threads", "2", "--quiet", "--json", out],
                   check=True, stdout=subprocess.DEVNULL)
    with open(out) as f:
        return json.load(f)


def estimates(output):
    """(name, value, low, high) of the mean, each quantile and the interval's ends."""
    yield ("mean", output["mean"], *output["mean_ci"])
    for q in output["quantiles"]:
        yield (f"q{q['p']}", q["value"], *q["ci"])
    interval = output["interval"]
    yield ("interval low", interval["low"], *interval["low_ci"])
    yield ("interval high", interval["high"], *interval["high_ci"])


compared = 0
for path in sorted(glob.glob("priors/*.json") + glob.glob("priors/benchmarks/*.json")):
    name = os.path.basename(path)[:-5]
    with tempfile.TemporaryDirectory() as folder:
        mc, rqmc = run(path, "mc", folder), run(path, "rqmc", folder)
    checks.check(rqmc["settings"]["sampler"]["kind"] == "rqmc" and
                 rqmc["settings"]["sampler"]["replicates"] == 32 and
                 mc["settings"]["sampler"]["kind"] == "mc", f"{name}: settings.sampler")
    for output, a in mc["outputs"].items():
        b = rqmc["outputs"][output]
        for (what, x, xl, xh), (_, y, yl, yh) in zip(estimates(a), estimates(b)):
            if None in (xl, xh, yl, yh):
                continue   # an open bound (too few draws beyond it): nothing to compare
            se = ((0.5 * (xh - xl) / T_MC) ** 2 + (0.5 * (yh - yl) / T_RQMC) ** 2) ** 0.5
            compared += 1
            checks.check(abs(x - y) <= 4 * se,
                         f"{name} {output} {what}: mc {x:.9g} [{xl:.9g}, {xh:.9g}], rqmc {y:.9g} "
                         f"[{yl:.9g}, {yh:.9g}]: {abs(x - y) / se if se else float('inf'):.2f} "
                         f"standard errors apart")
        if name in SMOOTH:
            checks.check(b["mean_ci"][1] - b["mean_ci"][0] < a["mean_ci"][1] - a["mean_ci"][0],
                         f"{name} {output}: rqmc's mean interval {b['mean_ci']} is not narrower "
                         f"than mc's {a['mean_ci']}")
print(f"{compared} estimates compared")
checks.finish()
