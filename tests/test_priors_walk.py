"""test_priors_walk.py: every scenario in priors/ (and priors/benchmarks/) validates, runs at
1e7 draws with finite statistics everywhere in its JSON, and its point value (thirst point)
lies inside its 95 % interval for every output.
Usage: test_priors_walk.py THIRST_BINARY REPO_ROOT
"""
import glob
import json
import math
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

thirst, root = sys.argv[1], sys.argv[2]
os.chdir(root)
checks = Checks()
check = checks.check



def finite_everywhere(value):
    """True when every number in a JSON tree is finite (and none is null), but "pareto_k",
    which is null for a flat tail (an output that takes one value at its top)."""
    if isinstance(value, dict):
        return all(finite_everywhere(v) for k, v in value.items() if k != "pareto_k")
    if isinstance(value, list):
        return all(finite_everywhere(v) for v in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is not None


scenarios = sorted(glob.glob("priors/*.json") + glob.glob("priors/benchmarks/*.json"))
check(len(scenarios) >= 8, f"found {len(scenarios)} scenarios")
with tempfile.TemporaryDirectory() as work:
    for scenario in scenarios:
        check(subprocess.run([thirst, "validate", scenario], capture_output=True).returncode == 0,
              f"{scenario}: validate")
        result, point = os.path.join(work, "run.json"), os.path.join(work, "point.json")
        run = subprocess.run([thirst, "run", "--backend", "cpu", scenario, "--draws", "1e7", "--json", result,
                              "--quiet"], capture_output=True, text=True)
        check(run.returncode == 0, f"{scenario}: run: {run.stderr.strip()}")
        run = subprocess.run([thirst, "point", scenario, "--json", point], capture_output=True,
                             text=True)
        check(run.returncode == 0, f"{scenario}: point: {run.stderr.strip()}")
        if checks.failed:
            continue
        report = json.load(open(result))
        check(finite_everywhere(report), f"{scenario}: a non-finite number in the JSON")
        values = json.load(open(point))["outputs"]
        for name, output in report["outputs"].items():
            low, high = output["interval"]["low"], output["interval"]["high"]
            value = values[name]["value"]
            check(low <= value <= high,
                  f"{scenario}: {name} point {value:.6g} outside the 95 % interval [{low:.6g}, {high:.6g}]")

checks.finish()
