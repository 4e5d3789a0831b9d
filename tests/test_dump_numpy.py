"""test_dump_numpy.py: thirst's exact quantiles against numpy on the very same draws.

Runs the GPT-3 training scenario for 100,003 draws with --dump and --json, loads the .npy with
numpy and checks, for every output: every reported quantile and the interval ends equal
numpy.quantile of the dumped column (float32 values taken as float64) to the last bit; min, max
and n agree exactly and the mean to 1e-12; each quantile's confidence bounds are values of the
sample; the same for a formula scenario (priors/reasoning-query-2025.json), whose own output
equals its formula of the dumped values in float32 bit for bit. Also: a choice over sites dumps its option index as int32 with the options' values; a
dump over the 1 GiB limit is refused with exit code 2 and no file.
Usage: test_dump_numpy.py THIRST_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

thirst, root = sys.argv[1], sys.argv[2]
os.chdir(root)
checks = Checks()
check = checks.check


def dump_and_compare(work, scenario, parameters):
    """Run scenario for 100,003 draws with --dump and --json; every output's statistics against
    numpy on the dumped column; parameters are dumped as float32. Returns the draws."""
    dump, result = os.path.join(work, "draws.npy"), os.path.join(work, "result.json")
    run = subprocess.run([thirst, "run", "--backend", "cpu", scenario, "--draws", "100003",
                          "--seed", "5", "--dump", dump, "--json", result, "--quiet"],
                         capture_output=True, text=True)
    check(run.returncode == 0, f"{scenario}: run failed: {run.stderr}")
    draws = np.load(dump)
    report = json.load(open(result))
    check(draws.shape == (100003,), f"dump shape {draws.shape}")
    check(set(report["outputs"]) <= set(draws.dtype.names), f"fields {draws.dtype.names}")
    for name in parameters:
        check(name in draws.dtype.names and draws.dtype[name] == np.float32, f"parameter {name}")
    for name, output in report["outputs"].items():
        column = draws[name].astype(np.float64)
        check(output["n"] == column.size, f"{name}: n")
        check(output["min"] == column.min() and output["max"] == column.max(), f"{name}: min/max")
        check(abs(output["mean"] - column.mean()) <= 1e-12 * abs(column.mean()), f"{name}: mean")
        for q in output["quantiles"]:
            expected = np.quantile(column, q["p"])
            check(q["value"] == expected,
                  f"{name}: quantile {q['p']}: thirst {q['value']!r}, numpy {expected!r}")
            check(all(bound in column for bound in q["ci"]), f"{name}: CI bounds are draws")
            check(q["ci"][0] <= q["value"] <= q["ci"][1], f"{name}: CI brackets the quantile")
        interval = output["interval"]
        check(interval["low"] == np.quantile(column, 0.025) and
              interval["high"] == np.quantile(column, 0.975), f"{name}: 95 % interval")
        histogram = output["histogram"]
        check(sum(histogram["counts"]) == column.size, f"{name}: histogram counts sum to n")
    return draws


with tempfile.TemporaryDirectory() as work:
    dump = os.path.join(work, "draws.npy")
    dump_and_compare(work, "priors/gpt3-training-us.json",
                     ("accelerators", "hours", "accelerator_kw", "pue", "wue_onsite", "ewif",
                      "carbon_intensity"))
    # Formulas: the user's own parameters and outputs are dumped like the model's, and an own
    # output is its formula of the dumped values in float32, bit for bit (numpy's float32 + - * /
    # are IEEE operations, as thirst's are).
    draws = dump_and_compare(work, "priors/reasoning-query-2025.json",
                             ("active_parameters", "output_tokens", "utilisation", "wh_per_query"))
    per_1k = (draws["water_total_ml"] / draws["output_tokens"]) * np.float32(1000)
    check(draws["water_per_1k_tokens_ml"].dtype == np.float32 and
          np.array_equal(per_1k, draws["water_per_1k_tokens_ml"]),
          "water_per_1k_tokens_ml = water_total_ml / output_tokens * 1000 in float32")

    # A choice over sites: its option index is dumped as int32 next to the options' values.
    scenario = os.path.join(work, "sites.json")
    json.dump({"scenario": "sites", "workload": "inference", "params": {
        "wh_per_query": {"dist": "fixed", "value": 4, "basis": "it"},
        "site": {"dist": "choice", "options": [
            {"name": "A", "weight": 1, "values": {"pue": 1.1, "ewif": 2.0}},
            {"name": "B", "weight": 3, "values": {"pue": 1.3, "ewif": 5.0}}]},
        "wue_onsite": {"dist": "uniform", "low": 0.1, "high": 1.0}}}, open(scenario, "w"))
    run = subprocess.run([thirst, "run", "--backend", "cpu", scenario, "--draws", "20000", "--dump", dump, "--quiet"],
                         capture_output=True, text=True)
    check(run.returncode == 0, f"sites run failed: {run.stderr}")
    sites = np.load(dump)
    check(sites.dtype["site"] == np.int32, "site index is int32")
    check(np.all(np.where(sites["site"] == 0, sites["pue"] == np.float32(1.1),
                          sites["pue"] == np.float32(1.3))), "site index matches its PUE")
    share = np.mean(sites["site"] == 1)
    check(abs(share - 0.75) < 5 * np.sqrt(0.75 * 0.25 / 20000), f"site B share {share}")

    # Over the size limit: refused before any work, nothing written.
    big = os.path.join(work, "big.npy")
    run = subprocess.run([thirst, "run", "--backend", "cpu", "priors/gpt3-training-us.json", "--draws", "1e9",
                          "--dump", big, "--quiet"], capture_output=True, text=True)
    check(run.returncode == 2 and "--dump" in run.stderr and not os.path.exists(big),
          f"oversized dump: exit {run.returncode}, {run.stderr!r}")

checks.finish()
