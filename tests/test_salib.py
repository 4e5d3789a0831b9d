"""test_salib.py: thirst's Sobol indices against SALib's on the GPT-3 training scenario.

SALib (pinned in tests/requirements.txt) samples the unit hypercube with its scrambled Sobol
design (N = 2^14 base points, first and total order), tests/footprint_numpy.py maps the points
through the priors' inverse CDFs and the model, and SALib.analyze.sobol gives S1, ST and their
95 % bootstrap intervals. thirst computes the same indices from 2^16 base draws with its 95 %
batch-means intervals. There are 72 comparisons (6 outputs x 6 inputs x 2 indices), so each
must agree within the combined 99.9 % interval, sqrt(h_thirst^2 + h_salib^2) x 3.29 / 1.96,
and at least 90 % of them within the combined 95 % interval.
Usage: test_salib.py THIRST_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

thirst, root = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(root, "tests"))
from footprint_numpy import prior_ppf, training_outputs  # noqa: E402

os.chdir(root)
scenario_path = "priors/gpt3-training-us.json"
scenario = json.load(open(scenario_path))
names = [name for name, spec in scenario["params"].items() if spec["dist"] != "fixed"]
problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
points = sobol_sample.sample(problem, 2 ** 14, calc_second_order=False, seed=7)
values = {name: prior_ppf(spec, points[:, names.index(name)]) if name in names
          else prior_ppf(spec, np.full(len(points), 0.5))
          for name, spec in scenario["params"].items()}
outputs = training_outputs(values)

with tempfile.TemporaryDirectory() as work:
    result = os.path.join(work, "sensitivity.json")
    run = subprocess.run([thirst, "sensitivity", "--backend", "cpu", scenario_path, "--method", "sobol",
                          "--base-draws", str(2 ** 16), "--seed", "3", "--json", result],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print("FAIL thirst sensitivity:", run.stderr)
        print("0 passed, 1 failed")
        sys.exit(1)
    ours = json.load(open(result))

passed = failed = within95 = 0
for output, y in outputs.items():
    salib = sobol_analyze.analyze(problem, y, calc_second_order=False, num_resamples=100,
                                  conf_level=0.95, seed=7)
    for k, name in enumerate(names):
        entry = ours["outputs"][output]["inputs"][name]
        for index, conf in (("first", "S1"), ("total", "ST")):
            ci = entry[index + "_ci"]
            half = 0.5 * (ci[1] - ci[0])
            combined = float(np.hypot(half, salib[conf + "_conf"][k]))
            difference = abs(entry[index] - salib[conf][k])
            within95 += difference <= combined
            if difference <= combined * 3.2905 / 1.96:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {output} {name} {conf}: thirst {entry[index]:.4f} +- {half:.4f}, "
                      f"SALib {salib[conf][k]:.4f} +- {salib[conf + '_conf'][k]:.4f}")
comparisons = passed + failed
print(f"{within95} of {comparisons} comparisons within the combined 95 % interval")
if within95 < 0.9 * comparisons:
    failed += 1
    print("FAIL fewer than 90 % within the combined 95 % interval")
else:
    passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
