"""salib_sobol.py: the Sobol analysis a user would otherwise write with SALib, timed step by step.

The baseline of bench/sobol.sh. For a training scenario (default bench/gpt3-training-7inputs.json):
  1. sample: SALib.sample.sobol.sample over the unit hypercube of the uncertain inputs, N base
     points, first and total order only (calc_second_order=False): N x (k + 2) points;
  2. evaluate: each column through its prior's inverse CDF, then the training model, both from
     tests/footprint_numpy.py (numpy, vectorised over all points at once); fixed parameters
     enter at their value;
  3. analyze: SALib.analyze.sobol.analyze for every one of the six outputs (S1 and ST with 95 %
     bootstrap intervals, num_resamples=100), which is what `thirst sensitivity --method sobol`
     computes too.
Prints one JSON object: the times of the three steps (seconds, time.perf_counter), their sum
("wall_seconds", the compute time; imports and file reading are outside it), N, the number of
model evaluations, the versions, and each output's S1, S1_conf, ST, ST_conf per input.

    .venv/bin/python bench/salib_sobol.py --scenario bench/gpt3-training-7inputs.json --base 1048576

Cost at N = 2^20 on the 2-core machine: about 20 minutes and 8 GB peak, nearly all of it in
SALib's analyze, whose bootstrap builds N x num_resamples index and value arrays (0.8 GB each) for
every input of every output; the design and the model outputs take about 1 GB.
"""
import argparse
import json
import os
import platform
import sys
import time
from importlib import metadata

import numpy as np
import scipy
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from footprint_numpy import prior_ppf, training_outputs  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default=os.path.join(ROOT, "bench", "gpt3-training-7inputs.json"))
    parser.add_argument("--base", type=lambda s: int(float(s)), default=2 ** 20,
                        help="N, base points (a power of 2; default 2^20)")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the scrambled Sobol design and of the bootstrap "
                             "(default: the scenario's seed)")
    parser.add_argument("--resamples", type=int, default=100, help="bootstrap resamples (100)")
    parser.add_argument("--json", metavar="FILE", help="also write the summary to FILE")
    args = parser.parse_args()

    with open(args.scenario) as f:
        scenario = json.load(f)
    if scenario.get("workload", "training") != "training":
        sys.exit(f"salib_sobol.py: only training scenarios (workload {scenario['workload']!r})")
    seed = args.seed if args.seed is not None else int(scenario.get("seed", 1))
    if seed == 0:
        sys.exit("salib_sobol.py: seed 0 would make SALib's analyze use numpy's global generator")
    params = scenario["params"]
    names = [name for name, spec in params.items() if spec["dist"] != "fixed"]
    k = len(names)
    problem = {"num_vars": k, "names": names, "bounds": [[0.0, 1.0]] * k}

    t0 = time.perf_counter()
    points = sobol_sample.sample(problem, args.base, calc_second_order=False, seed=seed)
    t1 = time.perf_counter()
    values = {}
    for name, spec in params.items():
        if name in names:
            values[name] = prior_ppf(spec, points[:, names.index(name)])
        else:
            values[name] = np.full(len(points), float(spec["value"]))
    outputs = training_outputs(values)
    t2 = time.perf_counter()
    indices = {}
    for output, y in outputs.items():
        s = sobol_analyze.analyze(problem, y, calc_second_order=False,
                                  num_resamples=args.resamples, conf_level=0.95, seed=seed)
        indices[output] = {name: {key: float(s[key][j]) for key in ("S1", "S1_conf", "ST", "ST_conf")}
                           for j, name in enumerate(names)}
    t3 = time.perf_counter()

    summary = {
        "tool": "SALib",
        "scenario": scenario.get("scenario"),
        "inputs": names,
        "base_draws": args.base,
        "model_evaluations": int(len(points)),
        "seed": seed,
        "num_resamples": args.resamples,
        "seconds": {"sample": t1 - t0, "evaluate": t2 - t1, "analyze": t3 - t2},
        "wall_seconds": t3 - t0,
        "versions": {"SALib": metadata.version("SALib"), "numpy": np.__version__,
                     "scipy": scipy.__version__, "python": platform.python_version()},
        "outputs": indices,
    }
    text = json.dumps(summary, indent=1)
    if args.json:
        with open(args.json, "w") as f:
            f.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
