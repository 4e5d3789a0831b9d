#!/usr/bin/env python3
"""numpy_rqmc.py: randomized quasi-Monte Carlo of a thirst training scenario written with numpy and
scipy.stats.qmc, as a capable user would: R replicates of 2^m scrambled Sobol' points
(scipy.stats.qmc.Sobol, scramble=True: linear matrix scrambling and a digital shift, scipy's
default; each replicate its own seed), each prior by its inverse CDF (scipy.special.ndtri for the
normal ones), the training model of numpy_gpt3.py, and each output's mean over each replicate.
The interval of a mean is Student t with R - 1 degrees of freedom over the replicates' means, as
thirst's --sampler rqmc computes it.

Two modes:
  --mode search: for m = --m-min, --m-min + 1, ... the smallest m whose 95 % half-width of every
      output's mean is at most --target times the mean; prints a JSON with m, the draws R 2^m,
      the worst relative half-width and the seconds of that last size alone (points, transforms,
      model and means; the smaller sizes tried before are not counted, as thirst's run of that
      size is timed alone).
  --mode scrambling: the question of DESIGN.md section 11 whether linear matrix scrambling pays
      over thirst's digital shift alone: at each m of --m-list, the spread over R replicates of
      each replicate's mean and of its 5 %, 50 % and 95 % quantiles, with scipy's scrambling
      (scramble=True) and with a random 32-bit digital shift of the unscrambled points
      (scramble=False, thirst's randomisation, uniforms from the top 23 bits as thirst's
      philox_uniform); prints the variance ratios shift / scrambled (above 1: scrambling helps).
Flags: --scenario FILE (default priors/gpt3-training-us.json), --replicates R (32), --target
(1e-4), --m-min (10), --m-max (24), --m-list (10,14), --seed S, --json FILE.
"""
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy import special, stats  # noqa: E402
from scipy.stats import qmc  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy_gpt3  # noqa: E402

QUANTILES = (0.05, 0.5, 0.95)


def make_quantile(name, spec):
    """Return (F^-1 as a function of a uniform array, or None for a fixed prior, the fixed value)
    for the priors numpy_gpt3.py supports, in the same parameterisations."""
    dist = spec.get("dist")
    if dist == "fixed":
        return None, float(spec["value"])
    if dist == "uniform":
        lo, hi = float(spec["low"]), float(spec["high"])
        return (lambda u: lo + u * (hi - lo)), None
    if dist == "loguniform":
        lo, hi = math.log(float(spec["low"])), math.log(float(spec["high"]))
        return (lambda u: np.exp(lo + u * (hi - lo))), None
    if dist == "triangular":
        lo, mode, hi = float(spec["low"]), float(spec["mode"]), float(spec["high"])
        c = (mode - lo) / (hi - lo)
        return (lambda u: np.where(u < c, lo + np.sqrt(u * (hi - lo) * (mode - lo)),
                                   hi - np.sqrt((1 - u) * (hi - lo) * (hi - mode)))), None
    if dist == "lognormal":
        pct = numpy_gpt3.percentiles_of(spec, name)
        if "median" in spec:
            mu, sigma = math.log(float(spec["median"])), math.log(float(spec["gsd"]))
        elif "mean" in spec:
            m, s = float(spec["mean"]), float(spec["sd"])
            sigma = math.sqrt(math.log1p((s / m) ** 2))
            mu = math.log(m) - 0.5 * sigma * sigma
        else:
            (p1, x1), (p2, x2) = pct
            z1, z2 = special.ndtri(p1), special.ndtri(p2)
            sigma = (math.log(x2) - math.log(x1)) / (z2 - z1)
            mu = math.log(x1) - z1 * sigma
        return (lambda u: np.exp(mu + sigma * special.ndtri(u))), None
    if dist == "normal":
        pct = numpy_gpt3.percentiles_of(spec, name)
        if "mean" in spec:
            mean, sd = float(spec["mean"]), float(spec["sd"])
        else:
            (p1, x1), (p2, x2) = pct
            z1, z2 = special.ndtri(p1), special.ndtri(p2)
            sd = (x2 - x1) / (z2 - z1)
            mean = x1 - z1 * sd
        a = special.ndtr((float(spec.get("low", -math.inf)) - mean) / sd)
        b = special.ndtr((float(spec.get("high", math.inf)) - mean) / sd)
        return (lambda u: mean + sd * special.ndtri(a + u * (b - a))), None
    raise numpy_gpt3.ScenarioError(f"{name}: dist '{dist}' is not supported here")


def load(path):
    """The scenario's uncertain inputs (name, F^-1) and fixed inputs {name: value}."""
    with open(path) as f:
        params = json.load(f)["params"]
    uncertain, fixed = [], {}
    for name in numpy_gpt3.CANONICAL_UNITS:
        quantile, value = make_quantile(name, params[name])
        if quantile is None:
            fixed[name] = value
        else:
            uncertain.append((name, quantile))
    return uncertain, fixed


def outputs_of(uniforms, uncertain, fixed):
    """The model's outputs (a dict of arrays) at points (n x d uniforms)."""
    x = dict(fixed)
    for k, (name, quantile) in enumerate(uncertain):
        x[name] = quantile(uniforms[:, k])
    return numpy_gpt3.training_model(x)


def scrambled_points(d, m, seed):
    """2^m points of scipy's scrambled Sobol' sequence (its default scrambling) in d dimensions."""
    return qmc.Sobol(d, scramble=True, seed=seed).random_base2(m)


def shifted_points(d, m, rng):
    """2^m unscrambled Sobol' points XOR a random 32-bit digital shift per dimension, as
    uniforms from the top 23 bits centred in their cell (thirst's philox_uniform)."""
    words = (qmc.Sobol(d, scramble=False, bits=32).random_base2(m) * 2.0**32).astype(np.uint64)
    words ^= rng.integers(0, 2**32, size=d, dtype=np.uint64)
    return ((words >> 9).astype(np.float64) + 0.5) * 2.0**-23


def search(args, uncertain, fixed):
    """The smallest m meeting the target, with the time of that size alone."""
    t = stats.t.ppf(0.975, args.replicates - 1)
    for m in range(args.m_min, args.m_max + 1):
        start = time.perf_counter()
        means = {name: np.empty(args.replicates) for name, _ in numpy_gpt3.OUTPUTS}
        for r in range(args.replicates):
            y = outputs_of(scrambled_points(len(uncertain), m, args.seed + r), uncertain, fixed)
            for name, _ in numpy_gpt3.OUTPUTS:
                means[name][r] = np.mean(y[name])
        seconds = time.perf_counter() - start
        worst = max(t * v.std(ddof=1) / math.sqrt(args.replicates) / abs(v.mean())
                    for v in means.values())
        if worst <= args.target:
            return {"m": m, "draws": args.replicates * 2**m, "worst_relative_half_width": worst,
                    "wall_seconds": seconds}
    return {"m": None, "draws": None, "worst_relative_half_width": worst, "wall_seconds": seconds}


def scrambling(args, uncertain, fixed):
    """Variance ratios (shift / scrambled) of each replicate's mean and quantiles."""
    rng = np.random.default_rng(args.seed)
    rows = []
    for m in args.m_list:
        spread = {}
        for kind in ("scrambled", "shift"):
            estimates = {}
            for r in range(args.replicates):
                points = (scrambled_points(len(uncertain), m, args.seed + r) if kind == "scrambled"
                          else shifted_points(len(uncertain), m, rng))
                y = outputs_of(points, uncertain, fixed)
                for name, _ in numpy_gpt3.OUTPUTS:
                    values = [np.mean(y[name])] + list(np.quantile(y[name], QUANTILES))
                    for label, value in zip(["mean"] + [f"q{q}" for q in QUANTILES], values):
                        estimates.setdefault((name, label), []).append(value)
            spread[kind] = {key: np.var(v, ddof=1) for key, v in estimates.items()}
        for key in spread["shift"]:
            rows.append({"m": m, "output": key[0], "estimate": key[1],
                         "variance_ratio": spread["shift"][key] / spread["scrambled"][key]})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default=numpy_gpt3.DEFAULT_SCENARIO)
    parser.add_argument("--mode", choices=("search", "scrambling"), default="search")
    parser.add_argument("--replicates", type=int, default=32)
    parser.add_argument("--target", type=float, default=1e-4)
    parser.add_argument("--m-min", type=int, default=10)
    parser.add_argument("--m-max", type=int, default=24)
    parser.add_argument("--m-list", default="10,14")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    args.m_list = [int(m) for m in args.m_list.split(",")]
    if args.replicates < 2 or not (0 < args.target < 1) or args.m_min > args.m_max:
        parser.error("--replicates >= 2, --target in (0, 1), --m-min <= --m-max")
    uncertain, fixed = load(args.scenario)
    result = {"numpy": np.__version__, "scipy": __import__("scipy").__version__,
              "replicates": args.replicates, "dimensions": len(uncertain)}
    if args.mode == "search":
        result.update(search(args, uncertain, fixed))
    else:
        result["ratios"] = scrambling(args, uncertain, fixed)
    text = json.dumps(result, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
