#!/usr/bin/env python3
"""numpy_gpt3.py: the baseline a user would otherwise write for a thirst training scenario.

A plain, single-threaded, vectorised numpy Monte Carlo of the training footprint model
(DESIGN.md section 3), reading the priors from a scenario file (default: priors/gpt3-training-us.json):

    it_energy     = accelerators * hours * accelerator_kw          (kWh)
    facility      = it_energy * pue                                (kWh)
    water_onsite  = it_energy * wue_onsite                         (L)
    water_offsite = facility * ewif                                (L)
    water_total   = water_onsite + water_offsite                   (L)
    carbon        = facility * carbon_intensity                    (kg CO2e)

Draws are generated and pushed through the model in chunks (default 1e6) into preallocated
arrays holding every draw, then each output is reduced to mean, sd and exact quantiles with
numpy.quantile (the order statistics of the whole sample, as a user would compute them).
Memory: 6 outputs x N x 8 bytes (float64; 2e7 draws = 0.96 GB) or x 4 bytes with --float32.

Priors supported (the ones the bundled training scenarios use, and their published
parameterisations from DESIGN.md section 2):
    fixed(value); uniform(low, high); loguniform(low, high); triangular(low, mode, high);
    normal(mean + sd, or two percentiles pX/pY) with optional low/high truncation (rejection);
    lognormal(median + gsd, mean + sd in real space, or two percentiles pX/pY).
Anything else (pert, beta, choice, non-canonical units) is refused with a message.

Prints one human line with draws/s and the time split, then a JSON summary on stdout
(or writes the JSON to --json FILE). Flags: --draws N, --seed S, --chunk C, --float32.
"""
import os

# A user's numpy runs these operations single-threaded anyway; make sure no BLAS pool joins in.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCENARIO = os.path.join(HERE, "..", "priors", "gpt3-training-us.json")
DEFAULT_QUANTILES = [0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975]
STD_NORMAL = statistics.NormalDist()

# Canonical units of the training model's inputs (no conversions in this baseline).
CANONICAL_UNITS = {
    "accelerators": {"count", ""},
    "hours": {"h"},
    "accelerator_kw": {"kW"},
    "pue": {"", "1"},
    "wue_onsite": {"L/kWh"},
    "ewif": {"L/kWh"},
    "carbon_intensity": {"kg/kWh"},
}
OUTPUTS = [
    ("it_energy_kwh", "kWh"),
    ("facility_energy_kwh", "kWh"),
    ("water_onsite_l", "L"),
    ("water_offsite_l", "L"),
    ("water_total_l", "L"),
    ("carbon_kg", "kg"),
]
PERCENTILE_KEY = re.compile(r"^p(\d+(?:\.\d+)?)$")


class ScenarioError(Exception):
    pass


def percentiles_of(spec, name):
    """The (probability, value) pairs given as pX keys, sorted; exactly two or none."""
    pairs = []
    for key, value in spec.items():
        m = PERCENTILE_KEY.match(key)
        if m:
            level = float(m.group(1))
            if not 0 < level < 100:
                raise ScenarioError(f"{name}: percentile {key} outside (0, 100)")
            pairs.append((level / 100.0, float(value)))
    if pairs and len(pairs) != 2:
        raise ScenarioError(f"{name}: give exactly two percentiles (e.g. p5 and p95)")
    pairs.sort()
    if pairs and pairs[0][0] == pairs[1][0]:
        raise ScenarioError(f"{name}: two percentiles at the same level")
    return pairs


def make_sampler(name, spec):
    """Return f(rng, n) -> float64 array of n draws (or a float for fixed priors)."""
    dist = spec.get("dist")
    unit = spec.get("unit", "")
    if name in CANONICAL_UNITS and unit not in CANONICAL_UNITS[name]:
        raise ScenarioError(f"{name}: unit '{unit}' is not canonical for this baseline "
                            f"(expected {sorted(CANONICAL_UNITS[name])})")
    if dist == "fixed":
        value = float(spec["value"])
        return lambda rng, n: value
    if dist == "uniform":
        lo, hi = float(spec["low"]), float(spec["high"])
        return lambda rng, n: rng.uniform(lo, hi, n)
    if dist == "loguniform":
        lo, hi = math.log(float(spec["low"])), math.log(float(spec["high"]))
        return lambda rng, n: np.exp(rng.uniform(lo, hi, n))
    if dist == "triangular":
        lo, mode, hi = float(spec["low"]), float(spec["mode"]), float(spec["high"])
        return lambda rng, n: rng.triangular(lo, mode, hi, n)
    if dist == "lognormal":
        pct = percentiles_of(spec, name)
        if "median" in spec:
            mu, sigma = math.log(float(spec["median"])), math.log(float(spec["gsd"]))
        elif "mean" in spec:
            m, s = float(spec["mean"]), float(spec["sd"])
            sigma = math.sqrt(math.log1p((s / m) ** 2))
            mu = math.log(m) - 0.5 * sigma * sigma
        elif pct:
            (p1, x1), (p2, x2) = pct
            z1, z2 = STD_NORMAL.inv_cdf(p1), STD_NORMAL.inv_cdf(p2)
            sigma = (math.log(x2) - math.log(x1)) / (z2 - z1)
            mu = math.log(x1) - z1 * sigma
        else:
            raise ScenarioError(f"{name}: lognormal needs median+gsd, mean+sd or two percentiles")
        return lambda rng, n: rng.lognormal(mu, sigma, n)
    if dist == "normal":
        pct = percentiles_of(spec, name)
        if "mean" in spec:
            mean, sd = float(spec["mean"]), float(spec["sd"])
        elif pct:
            (p1, x1), (p2, x2) = pct
            z1, z2 = STD_NORMAL.inv_cdf(p1), STD_NORMAL.inv_cdf(p2)
            sd = (x2 - x1) / (z2 - z1)
            mean = x1 - z1 * sd
        else:
            raise ScenarioError(f"{name}: normal needs mean+sd or two percentiles")
        lo = float(spec.get("low", -math.inf))
        hi = float(spec.get("high", math.inf))
        if lo == -math.inf and hi == math.inf:
            return lambda rng, n: rng.normal(mean, sd, n)
        # Truncation by rejection: the acceptance probability from NormalDist's CDF sets the
        # oversampling, so one or two rounds fill the chunk.
        nd = statistics.NormalDist(mean, sd)
        accept = nd.cdf(hi) - nd.cdf(lo)
        if accept < 1e-3:
            raise ScenarioError(f"{name}: truncation keeps only {accept:.2g} of the normal")

        def truncated(rng, n):
            out = np.empty(n)
            filled = 0
            while filled < n:
                need = n - filled
                x = rng.normal(mean, sd, int(need / accept * 1.01) + 16)
                x = x[(x >= lo) & (x <= hi)][:need]
                out[filled:filled + x.size] = x
                filled += x.size
            return out
        return truncated
    raise ScenarioError(f"{name}: dist '{dist}' is not supported by this numpy baseline")


def load(path):
    with open(path) as f:
        scenario = json.load(f)
    if scenario.get("workload", "training") != "training":
        raise ScenarioError("only training scenarios are supported")
    params = scenario["params"]
    missing = [k for k in CANONICAL_UNITS if k not in params]
    if missing:
        raise ScenarioError(f"missing params {missing} (this baseline runs the "
                            "accelerators x hours x accelerator_kw training chain)")
    samplers = {k: make_sampler(k, params[k]) for k in CANONICAL_UNITS}
    quantiles = scenario.get("report", {}).get("quantiles", DEFAULT_QUANTILES)
    return scenario, samplers, quantiles


def training_model(x):
    """The six outputs (OUTPUTS order, a dict) of the inputs x (a dict of arrays or floats)."""
    it = x["accelerators"] * x["hours"] * x["accelerator_kw"]
    fac = it * x["pue"]
    onsite = it * x["wue_onsite"]
    offsite = fac * x["ewif"]
    return {"it_energy_kwh": it, "facility_energy_kwh": fac, "water_onsite_l": onsite,
            "water_offsite_l": offsite, "water_total_l": onsite + offsite,
            "carbon_kg": fac * x["carbon_intensity"]}


def run(samplers, draws, seed, chunk, dtype):
    rng = np.random.default_rng(seed)
    out = {name: np.empty(draws, dtype=dtype) for name, _ in OUTPUTS}
    for start in range(0, draws, chunk):
        n = min(chunk, draws - start)
        s = slice(start, start + n)
        y = training_model({k: f(rng, n) for k, f in samplers.items()})
        for name, _ in OUTPUTS:
            out[name][s] = y[name]
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO)
    ap.add_argument("--draws", default="1e7", help="number of draws, e.g. 2e7 (default 1e7)")
    ap.add_argument("--seed", type=int, default=None, help="seed (default: the file's seed)")
    ap.add_argument("--chunk", default="1e6", help="draws per chunk (default 1e6)")
    ap.add_argument("--float32", action="store_true", help="store draws as float32 (half memory)")
    ap.add_argument("--json", metavar="FILE", help="write the JSON summary here, not to stdout")
    args = ap.parse_args(argv)

    try:
        draws, chunk = int(float(args.draws)), int(float(args.chunk))
        if draws < 1 or chunk < 1:
            raise ValueError
    except ValueError:
        ap.error("--draws and --chunk take a positive whole number, e.g. 2e7")
    try:
        scenario, samplers, quantiles = load(args.scenario)
    except (ScenarioError, KeyError, OSError, json.JSONDecodeError) as e:
        print(f"numpy_gpt3: {args.scenario}: {e}", file=sys.stderr)
        return 2
    seed = args.seed if args.seed is not None else int(scenario.get("seed", 0))
    dtype = np.float32 if args.float32 else np.float64

    t0 = time.perf_counter()
    out = run(samplers, draws, seed, chunk, dtype)
    t1 = time.perf_counter()
    summary = {}
    for name, unit in OUTPUTS:
        a = out[name]
        mean = float(a.mean(dtype=np.float64))
        sd = float(a.std(dtype=np.float64, ddof=1)) if draws > 1 else 0.0
        summary[name] = {"unit": unit, "n": draws, "mean": mean, "sd": sd}
    t2 = time.perf_counter()
    for name, _ in OUTPUTS:
        q = np.quantile(out[name], quantiles)
        summary[name]["quantiles"] = [{"p": p, "value": float(v)} for p, v in zip(quantiles, q)]
    t3 = time.perf_counter()

    wall = t3 - t0
    result = {
        "scenario": scenario.get("scenario"),
        "settings": {"draws": draws, "seed": seed, "chunk": chunk,
                     "dtype": np.dtype(dtype).name, "numpy": np.__version__},
        "outputs": summary,
        "run": {"backend": "numpy", "threads": 1, "wall_seconds": wall,
                "sample_model_seconds": t1 - t0, "moments_seconds": t2 - t1,
                "quantile_seconds": t3 - t2, "draws_per_second": draws / wall},
    }
    print(f"numpy {np.__version__}: {draws} draws in {wall:.2f} s = {draws / wall:.3e} draws/s "
          f"(sample+model {t1 - t0:.2f} s, moments {t2 - t1:.2f} s, quantiles {t3 - t2:.2f} s)",
          flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    else:
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
