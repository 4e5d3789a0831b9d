"""golden.py: the outputs that the golden files hold, computed by a thirst binary (shared by
make.py, which writes them, and tests/test_golden.py, which compares)."""
import glob
import json
import os
import subprocess
import tempfile


def without_run(text):
    """The JSON text without its "run" section (time, version, threads) and its "provenance"
    (the scenario's text, the commit: tests/test_cli.sh checks it and --replay), re-serialised
    so that every number keeps its exact value (Python's repr of a float round-trips)."""
    data = json.loads(text)
    data.pop("run", None)
    data.pop("provenance", None)
    return json.dumps(data, indent=1) + "\n"


def outputs(thirst, threads):
    """(scenario name, kind, text) for every scenario of priors/ and priors/benchmarks/."""
    scenarios = sorted(glob.glob("priors/*.json") + glob.glob("priors/benchmarks/*.json"))
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "out.json")
        for scenario in scenarios:
            name = os.path.splitext(os.path.basename(scenario))[0]
            commands = {
                "run.json": ["run", "--backend", "cpu", scenario, "--draws", "1e6", "--threads", str(threads),
                             "--quiet", "--json", out],
                "point.json": ["point", scenario, "--json", out],
                "sensitivity.json": ["sensitivity", "--backend", "cpu", scenario, "--base-draws", "65536",
                                     "--threads", str(threads), "--quiet", "--json", out],
                "draws.csv": ["draws", scenario, "--count", "1000", "--backend", "cpu"],
            }
            for kind, arguments in commands.items():
                if kind != "draws.csv" and os.path.exists(out):
                    os.remove(out)
                done = subprocess.run([thirst] + arguments, capture_output=True, text=True)
                if done.returncode != 0:
                    yield name, kind, f"exit {done.returncode}: {done.stderr}"
                    continue
                if kind == "draws.csv":
                    yield name, kind, done.stdout
                else:
                    yield name, kind, without_run(open(out).read())
