#!/usr/bin/env python3
"""numpy_sobol.py: the Sobol estimator a capable numpy user writes, without SALib and without a bootstrap.

The baseline of bench/numpy_sobol.sh (issue 17): first-order and total Sobol indices of the six
training outputs (DESIGN.md section 3) of a training scenario (default
bench/gpt3-training-7inputs.json), by the same design and estimators as
`thirst sensitivity --method sobol`:
  - A and B: N independent draws of every uncertain input each, from numpy's Generator
    (the samplers of bench/numpy_gpt3.py: uniform, triangular, lognormal, truncated normal by
    rejection, ...); A_B^k is A with input k's column from B; k + 2 model evaluations per base draw;
  - first order (Saltelli et al. 2010, Table 2 (b)): S1_k = mean(f(B) (f(A_B^k) - f(A))) / V;
  - total (Jansen 1999; Saltelli et al. 2010, Table 2 (f)): ST_k = mean((f(A) - f(A_B^k))^2) / 2 / V;
  - V: the variance of f(A) and f(B) together.
The base draws go in chunks (--chunk, default all of them); each chunk's sums are added in
float64, around a shift (the first chunk's mean of f(A)) that keeps V's sum of squares accurate.
--float32 evaluates the model in float32 (the inputs drawn in float64 and converted). No
intervals: a bootstrap is what makes SALib's analyze slow (bench/sobol.sh); thirst reports 95 %
intervals from batch means at no extra model evaluations.

Prints one human line and writes a JSON summary (--json FILE, else stdout): wall_seconds
(time.perf_counter around sampling, evaluation and the estimators; imports and reading the file
outside), N, model evaluations, numpy's version, and each output's S1 and ST per input.

    python bench/numpy_sobol.py bench/gpt3-training-7inputs.json --base 1048576 --chunk 65536
"""
import os

# A user's numpy runs these operations single-threaded anyway; make sure no BLAS pool joins in.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from numpy_gpt3 import OUTPUTS, ScenarioError, load, training_model  # noqa: E402

DEFAULT_SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "gpt3-training-7inputs.json")


def draw(samplers, names, rng, n, dtype):
    """n draws of every input: a dict of arrays (uncertain inputs, in names' order) and floats."""
    x = {}
    for name, f in samplers.items():
        v = f(rng, n)
        x[name] = v.astype(dtype, copy=False) if name in names else v
    return x


def sobol(samplers, names, base, seed, chunk, dtype):
    """S1 and ST of every output per input (dicts of lists, names' order)."""
    rng = np.random.default_rng(seed)
    k = len(names)
    outputs = [name for name, _ in OUTPUTS]
    # Per output: sums of a, b, a^2, b^2 (a = f(A) - shift, b = f(B) - shift), and per input
    # the sums of b (f(A_B^k) - f(A)) and (f(A) - f(A_B^k))^2.
    sums = {o: np.zeros(4 + 2 * k) for o in outputs}
    shift = None
    for start in range(0, base, chunk):
        n = min(chunk, base - start)
        xa = draw(samplers, names, rng, n, dtype)
        xb = draw(samplers, names, rng, n, dtype)
        ya, yb = training_model(xa), training_model(xb)
        if shift is None:
            shift = {o: float(np.mean(ya[o], dtype=np.float64)) for o in outputs}
        for o in outputs:
            a = ya[o].astype(np.float64) - shift[o]
            b = yb[o].astype(np.float64) - shift[o]
            s = sums[o]
            s[0] += a.sum()
            s[1] += b.sum()
            s[2] += a @ a
            s[3] += b @ b
        for j, name in enumerate(names):
            xab = dict(xa)
            xab[name] = xb[name]
            yab = training_model(xab)
            for o in outputs:
                d = (yab[o] - ya[o]).astype(np.float64)
                sums[o][4 + j] += (yb[o].astype(np.float64) - shift[o]) @ d
                sums[o][4 + k + j] += d @ d
    result = {}
    for o in outputs:
        s = sums[o]
        mean = (s[0] + s[1]) / (2 * base)
        variance = (s[2] + s[3]) / (2 * base) - mean * mean
        result[o] = {"S1": [float(s[4 + j] / base / variance) for j in range(k)],
                     "ST": [float(s[4 + k + j] / base / 2 / variance) for j in range(k)]}
    return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO)
    ap.add_argument("--base", default="1048576", help="N, base draws (default 2^20)")
    ap.add_argument("--seed", type=int, default=None, help="seed (default: the file's seed)")
    ap.add_argument("--chunk", default=None, help="base draws per chunk (default: all)")
    ap.add_argument("--float32", action="store_true", help="evaluate the model in float32")
    ap.add_argument("--json", metavar="FILE", help="write the JSON summary here, not to stdout")
    args = ap.parse_args(argv)
    try:
        base = int(float(args.base))
        chunk = int(float(args.chunk)) if args.chunk is not None else base
        if base < 2 or chunk < 1:
            raise ValueError
    except ValueError:
        ap.error("--base takes a whole number of at least 2 and --chunk a positive one, e.g. 65536")
    try:
        scenario, samplers, _ = load(args.scenario)
    except (ScenarioError, KeyError, OSError, json.JSONDecodeError) as e:
        print(f"numpy_sobol: {args.scenario}: {e}", file=sys.stderr)
        return 2
    names = [name for name in samplers if scenario["params"][name]["dist"] != "fixed"]
    seed = args.seed if args.seed is not None else int(scenario.get("seed", 0))
    dtype = np.float32 if args.float32 else np.float64

    t0 = time.perf_counter()
    indices = sobol(samplers, names, base, seed, chunk, dtype)
    wall = time.perf_counter() - t0
    evaluations = base * (len(names) + 2)
    summary = {
        "tool": "numpy",
        "scenario": scenario.get("scenario"),
        "inputs": names,
        "base_draws": base,
        "model_evaluations": evaluations,
        "settings": {"seed": seed, "chunk": chunk, "dtype": np.dtype(dtype).name,
                     "numpy": np.__version__},
        "wall_seconds": wall,
        "outputs": {o: {name: {"S1": v["S1"][j], "ST": v["ST"][j]} for j, name in enumerate(names)}
                    for o, v in indices.items()},
    }
    print(f"numpy {np.__version__}: Sobol S1 and ST of {len(indices)} outputs x {len(names)} "
          f"inputs, N = {base} ({evaluations} model evaluations) in {wall:.2f} s",
          flush=True, file=sys.stderr if not args.json else sys.stdout)
    text = json.dumps(summary, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
