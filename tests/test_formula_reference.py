"""test_formula_reference.py: the built-in models written as formulas (DESIGN.md section 9's
reference). Each scenario of tests/formulas/ is a scenario of priors/ with "model": "formula":
the same priors, the built-in model's outputs written as formulas in its order of operations.
`thirst draws --count 100000` must print the same columns and values (the words, the inputs, the
outputs) for both, and `thirst run --draws 1e6 --json` the same statistics ("settings",
"precision", "outputs": every number compared exactly), on the CPU backend (tests/test_gpu.c
holds the GPU's formula kernels to the same). Usage: test_formula_reference.py THIRST_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

thirst, root = os.path.abspath(sys.argv[1]), sys.argv[2]
os.chdir(root)
checks = Checks()
PAIRS = {
    "gpt3-training-us-formulas": "priors/gpt3-training-us.json",
    "gpt3-training-li2023-formulas": "priors/gpt3-training-li2023.json",
    "gpt3-request-us-formulas": "priors/gpt3-request-us.json",
    "ishigami-formulas": "priors/benchmarks/ishigami.json",
    "gfunction-formulas": "priors/benchmarks/gfunction.json",
}


def run(*args):
    result = subprocess.run([thirst, *args, "--backend", "cpu"], capture_output=True, text=True)
    checks.check(result.returncode == 0, f"thirst {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


with tempfile.TemporaryDirectory() as work:
    for name, builtin in PAIRS.items():
        formulas = os.path.join("tests", "formulas", name + ".json")
        draws = [run("draws", path, "--count", "100000") for path in (formulas, builtin)]
        checks.check(draws[0] == draws[1] and draws[0].count("\n") == 100001,
                     f"{name}: thirst draws differs from {builtin} "
                     f"(first lines {draws[0][:120]!r} / {draws[1][:120]!r})")
        results = []
        for path, tag in ((formulas, "f"), (builtin, "b")):
            out = os.path.join(work, f"{name}.{tag}.json")
            run("run", path, "--draws", "1e6", "--threads", "2", "--quiet", "--json", out)
            results.append(json.load(open(out)) if os.path.exists(out) else {})
        for section in ("settings", "precision", "outputs"):
            checks.check(section in results[0] and results[0].get(section) == results[1].get(section),
                         f"{name}: the JSON {section} differs from {builtin}'s")
checks.finish()
