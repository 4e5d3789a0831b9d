"""test_sampling_cli.py: beta and PERT sampling seen from outside, through the CLI's dumps and
scipy.stats' exact distributions (the audit of 0.1 found its 4,097-point table biased: Beta(50,
200) sd +4.3 % with a minimum of probability 3e-104, Beta(1e3, 1e3) sd +18 %, Beta(2, 5) 281
draws beyond its 1 - 1e-5 quantile where 20 were expected; huge shapes accepted and wrong).

For each shape, 2e6 draws dumped with --dump:
  - sd within 3 standard errors of the analytic sd (SE from the beta's kurtosis);
  - the draws beyond the exact 1e-5 and 1 - 1e-5 quantiles within 4 binomial sd of 20 each;
  - Kolmogorov-Smirnov distance below its 0.1 % critical value 1.9495 / sqrt(n);
  - the smallest and largest draws are plausible: the exact probability that the minimum of n
    draws is at most the observed one (and the same for the maximum) is at least 1e-6.
Shapes above 1e6 (Beta(1e9, 1e9), Beta(1e200, 1e200), PERT lambda 1e300) exit with 2.
Usage: test_sampling_cli.py THIRST_BINARY REPO_ROOT
"""
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
checks = Checks()
check = checks.check
DRAWS = 2000000


def scenario(prior):
    """A training scenario whose IT energy is the prior (kWh), PUE 1."""
    return {"scenario": "sampling", "workload": "training", "seed": 3,
            "params": {"energy": dict(prior, basis="it"), "pue": {"dist": "fixed", "value": 1}}}


CASES = [  # (label, prior, alpha, beta, low, high)
    ("beta(50, 200)", {"dist": "beta", "alpha": 50, "beta": 200}, 50, 200, 0, 1),
    ("beta(1e3, 1e3)", {"dist": "beta", "alpha": 1000, "beta": 1000}, 1000, 1000, 0, 1),
    ("beta(2, 5)", {"dist": "beta", "alpha": 2, "beta": 5}, 2, 5, 0, 1),
    # Near a bound other than 0 float spacing limits what any sampler can show (values within
    # 5e-7 of 10 are 10.0f), so the skewed shape sits on [0, 10].
    ("beta(0.3, 3) on [0, 10]", {"dist": "beta", "alpha": 0.3, "beta": 3, "low": 0, "high": 10},
     0.3, 3, 0, 10),
    ("pert(100, 150, 400)", {"dist": "pert", "low": 100, "mode": 150, "high": 400},
     1 + 4 * 50 / 300, 1 + 4 * 250 / 300, 100, 400),
    ("pert(100, 150, 400, lambda 100)",
     {"dist": "pert", "low": 100, "mode": 150, "high": 400, "lambda": 100},
     1 + 100 * 50 / 300, 1 + 100 * 250 / 300, 100, 400),
]

with tempfile.TemporaryDirectory() as work:
    for label, prior, a, b, low, high in CASES:
        path, dump = os.path.join(work, "s.json"), os.path.join(work, "d.npy")
        json.dump(scenario(prior), open(path, "w"))
        run = subprocess.run([thirst, "run", "--backend", "cpu", path, "--draws", str(DRAWS), "--dump", dump,
                              "--quiet"], capture_output=True, text=True)
        if not check(run.returncode == 0, f"{label}: run failed: {run.stderr}"):
            continue
        x = np.load(dump)["energy"].astype(np.float64)
        exact = stats.beta(a, b, loc=low, scale=high - low)
        n = len(x)
        sd, sd_exact = x.std(ddof=1), exact.std()
        excess = 6 * ((a - b) ** 2 * (a + b + 1) - a * b * (a + b + 2)) / (
            a * b * (a + b + 2) * (a + b + 3))
        se = sd_exact * math.sqrt((excess + 2) / (4 * n))
        check(abs(sd - sd_exact) <= 3 * se,
              f"{label}: sd {sd:.8g}, analytic {sd_exact:.8g} (3 SE = {3 * se:.3g})")
        expected = n * 1e-5
        limit = 4 * math.sqrt(expected)
        below, above = np.sum(x < exact.ppf(1e-5)), np.sum(x > exact.isf(1e-5))
        check(abs(below - expected) <= limit and abs(above - expected) <= limit,
              f"{label}: {below} and {above} draws beyond the exact 1e-5 quantiles, "
              f"expected {expected:.0f} +- {limit:.0f}")
        ks = stats.kstest(x, exact.cdf).statistic
        check(ks < 1.9495 / math.sqrt(n), f"{label}: KS distance {ks:.5f}")
        p_min = -math.expm1(n * math.log1p(-exact.cdf(x.min())))
        p_max = -math.expm1(n * math.log1p(-exact.sf(x.max())))
        check(p_min >= 1e-6 and p_max >= 1e-6,
              f"{label}: min {x.min():.9g} (P = {p_min:.3g}), max {x.max():.9g} (P = {p_max:.3g})")
    huge = [("beta(1e9, 1e9)", {"dist": "beta", "alpha": 1e9, "beta": 1e9}),
            ("beta(1e200, 1e200)", {"dist": "beta", "alpha": 1e200, "beta": 1e200}),
            ("pert lambda 1e300",
             {"dist": "pert", "low": 0, "mode": 0.5, "high": 1, "lambda": 1e300})]
    for label, prior in huge:
        path = os.path.join(work, "huge.json")
        json.dump(scenario(prior), open(path, "w"))
        run = subprocess.run([thirst, "run", "--backend", "cpu", path, "--draws", "1000", "--quiet"],
                             capture_output=True, text=True)
        check(run.returncode == 2 and "params.energy" in run.stderr,
              f"{label}: exit {run.returncode}, {run.stderr.strip()}")

checks.finish()
