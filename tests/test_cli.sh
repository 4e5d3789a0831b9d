#!/usr/bin/env bash
# test_cli.sh: the thirst command line end to end.
#  - --help and --version; validate accepts every scenario in priors/.
#  - run with --threads 1 and --threads 2: every statistic in the two JSON files is identical
#    (only the "run" metadata section may differ), and n equals --draws given as 3e6.
#  - the table names every output and its interval; CSV has one row per output with the same
#    numbers as the JSON; point --json matches Patterson's 1,287 MWh within 0.5 %.
#  - formulas (validate, --set, the GPU's output limit) and correlated inputs (all-zero
#    correlations byte-identical to none, validate, repair, --set on a correlated parameter).
# Usage: test_cli.sh THIRST_BINARY REPO_ROOT
set -u
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/check.sh"
thirst=$1
root=$2
cd "$root" || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$thirst" --help >"$work/help" 2>&1
check "--help exits 0 and shows usage" grep -q "usage: thirst" "$work/help"
check "--version prints the version" bash -c "'$thirst' --version | grep -Eq '^thirst [0-9]+\.[0-9]+\.[0-9]+$'"
for f in priors/*.json; do
  check "validate $f" "$thirst" validate "$f"
  check "validate $f: no plausibility warning" bash -c "! '$thirst' validate '$f' 2>&1 >/dev/null | grep -q 'typical'"
done
# Plausibility: a median outside the input's typical range is a warning naming a likely unit slip;
# the run goes on.
python3 - "$work/slip.json" <<'PY'
import json, sys
d = json.load(open("priors/gpt3-training-us.json"))
d["params"]["accelerator_kw"] = {"dist": "lognormal", "median": 330, "gsd": 1.1, "unit": "kW"}
d["params"]["carbon_intensity"] = {"dist": "normal", "mean": 429, "sd": 40, "low": 0}
json.dump(d, open(sys.argv[1], "w"))
PY
"$thirst" validate "$work/slip.json" >/dev/null 2>"$work/slip.err"
check "plausibility: validate still exits 0" test $? -eq 0
check "plausibility: accelerator_kw 330 kW, did you mean W" \
  grep -qx "thirst: warning: $work/slip.json: params.accelerator_kw: median 330 kW; typical 0.05-15 kW (did you mean W?)" "$work/slip.err"
check "plausibility: carbon_intensity 429 kg/kWh, did you mean g/kWh" \
  grep -qx "thirst: warning: $work/slip.json: params.carbon_intensity: median 429 kg/kWh; typical 0-1.5 kg/kWh (did you mean g/kWh?)" "$work/slip.err"

scenario=priors/gpt3-training-us.json
"$thirst" run --backend cpu "$scenario" --draws 3e6 --seed 11 --threads 1 --json "$work/t1.json" --csv "$work/t1.csv" --quiet >"$work/t1.txt"
check "run --threads 1 exits 0" test $? -eq 0
"$thirst" run --backend cpu "$scenario" --draws=3000000 --seed=11 --threads=2 --json "$work/t2.json" --quiet >"$work/t2.txt"
check "run --threads 2 exits 0" test $? -eq 0
check "statistics identical for 1 and 2 threads" python3 - "$work/t1.json" "$work/t2.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run")
if a != b:
    for name in a["outputs"]:
        if a["outputs"][name] != b["outputs"][name]:
            print("differs:", name, a["outputs"][name], b["outputs"][name])
    sys.exit(1)
PY
check "n equals --draws 3e6" python3 - "$work/t1.json" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "thirst-result" and d["schema_version"] == 1
assert d["settings"]["draws"] == 3000000 and d["settings"]["seed"] == 11
for name, o in d["outputs"].items():
    assert o["n"] == 3000000, name
    values = [o["mean"], o["sd"], o["sem"], o["min"], o["max"]] + [q["value"] for q in o["quantiles"]]
    assert all(math.isfinite(v) for v in values), name
    qs = [q["value"] for q in o["quantiles"]]
    assert qs == sorted(qs) and o["min"] <= qs[0] and qs[-1] <= o["max"], name
    assert abs(o["sem"] - o["sd"] / math.sqrt(o["n"])) <= 1e-12 * o["sem"], name
PY
check "table lists every output with its interval" python3 - "$work/t1.json" "$work/t1.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); table = open(sys.argv[2]).read()
assert "95% interval" in table
for name in d["outputs"]:
    assert any(line.startswith(name + " ") for line in table.splitlines()), name
PY
check "CSV rows match the JSON" python3 - "$work/t1.json" "$work/t1.csv" <<'PY'
import csv, json, sys
d = json.load(open(sys.argv[1])); rows = list(csv.DictReader(open(sys.argv[2])))
assert [r["output"] for r in rows] == list(d["outputs"])
for r in rows:
    o = d["outputs"][r["output"]]
    assert float(r["mean"]) == o["mean"] and float(r["q50"]) == o["quantiles"][3]["value"]
    assert float(r["interval_low"]) == o["interval"]["low"]
PY
"$thirst" point "$scenario" --json "$work/point.json" >"$work/point.txt"
check "point exits 0" test $? -eq 0
check "point JSON: facility energy within 0.5 % of 1,287 MWh (Patterson et al. 2021)" python3 - "$work/point.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "thirst-point"
assert abs(d["outputs"]["facility_energy_kwh"]["value"] / 1287000 - 1) < 0.005
assert abs(d["outputs"]["carbon_kg"]["value"] / 552100 - 1) < 0.005
PY

# Seeds are read exactly from the file: 2^53 + 1 is not 2^53 (0.1 read it through a double).
for seed in 9007199254740992 9007199254740993; do
  sed "s/\"seed\": [0-9]*/\"seed\": $seed/" "$scenario" >"$work/seed_$seed.json"
  "$thirst" run --backend cpu "$work/seed_$seed.json" --draws 1e5 --quiet --json "$work/seed_$seed.out.json" >/dev/null
done
check "a seed of 2^53 + 1 in the file is used exactly" python3 - "$work" <<'PY'
import json, sys
a = json.load(open(sys.argv[1] + "/seed_9007199254740992.out.json"))
b = json.load(open(sys.argv[1] + "/seed_9007199254740993.out.json"))
assert a["settings"]["seed"] == 9007199254740992 and b["settings"]["seed"] == 9007199254740993
assert a["outputs"]["water_total_l"]["mean"] != b["outputs"]["water_total_l"]["mean"]
PY
# More threads than cores: capped with a notice, same statistics.
"$thirst" run --backend cpu "$scenario" --draws 3e6 --seed 11 --threads 1024 --json "$work/t1024.json" >/dev/null 2>"$work/t1024.err"
check "--threads 1024 is capped to the cores with a notice" grep -q "^thirst: --threads 1024: this machine has [0-9]* cores; using" "$work/t1024.err"
check "--threads 1024 gives the statistics of --threads 1" python3 - "$work/t1.json" "$work/t1024.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert a["outputs"] == b["outputs"]
PY

# The binary needs no CUDA library on the loader path (the runtime is linked statically; only
# the driver is loaded, at run time, when a CUDA backend is used), so --backend cpu runs anywhere.
check "thirst links no CUDA runtime library dynamically" \
  bash -c "! ldd '$thirst' | grep -Eq 'libcudart|libcurand'"
check "--backend cpu runs with an empty loader path" \
  env LD_LIBRARY_PATH= "$thirst" run --backend cpu "$scenario" --draws 1000 --quiet

# Formulas: validate lists them with what each depends on; --set fixes a parameter of the
# user's own (its value as written); point runs the formulas around the model.
formulas=tests/formulas/reasoning-query-example.json
"$thirst" validate "$formulas" >"$work/validate.txt"
check "validate lists the formula that feeds wh_per_query and what it depends on" \
  grep -q "^    feeds the model; depends on: wh_per_1k_tokens, tokens_per_query$" "$work/validate.txt"
check "validate lists the output of the scenario's own with its unit" \
  grep -q "^    reported, unit mL; depends on: water_total_ml, tokens_per_query$" "$work/validate.txt"
"$thirst" point "$formulas" --json "$work/f1.json" >/dev/null
"$thirst" point "$formulas" --set tokens_per_query=1000 --set wh_per_1k_tokens=2 \
  --json "$work/f2.json" >/dev/null
"$thirst" point "$formulas" --set wh_per_query=1 >/dev/null 2>"$work/set_formula.err"
check "--set on a formula's name says it is a formula" \
  grep -q "^thirst: --set wh_per_query=1: 'wh_per_query' is a formula (formulas.wh_per_query), not a parameter" "$work/set_formula.err"
check "point with --set on the user's parameters: wh_per_query = 2 x 1000 / 1000 = 2 Wh" \
  python3 - "$work/f1.json" "$work/f2.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert_ok = (b["inputs"]["wh_per_query"]["value"] == 2.0 and
             b["inputs"]["tokens_per_query"]["value"] == 1000.0 and
             abs(a["inputs"]["tokens_per_query"]["value"] - 2000) < 1e-3 and
             abs(b["outputs"]["water_per_1k_tokens_ml"]["value"] -
                 b["outputs"]["water_total_ml"]["value"]) < 1e-6 * b["outputs"]["water_total_ml"]["value"])
sys.exit(0 if assert_ok else 1)
PY

# More reported outputs than the GPU kernels take (13): --backend cuda is refused before any device
# is looked for, naming the reason; --backend auto runs on the CPU.
python3 - "$formulas" "$work/many.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for k in range(6):
    d["outputs"][f"extra{k}"] = {"formula": f"water_total_ml * {k + 2}", "unit": "mL"}
json.dump(d, open(sys.argv[2], "w"))
PY
"$thirst" run "$work/many.json" --backend cuda --draws 1e4 >/dev/null 2>"$work/many.err"
check "--backend cuda with 14 reported outputs exits 2" test $? -eq 2
check "--backend cuda with 14 reported outputs says why" \
  grep -q "^thirst: --backend cuda: more reported outputs than the GPU kernels take" "$work/many.err"
check "--backend auto with 14 reported outputs runs (on the CPU)" \
  "$thirst" run "$work/many.json" --backend auto --draws 1e4 --quiet

# Correlated inputs (DESIGN.md section 10): with every correlation 0 each statistic of run and
# sensitivity is byte-identical to the independent scenario's; validate shows each correlation
# given, used and achieved; "repair" accepts the nearest valid matrix with a warning naming the
# largest change; --set that fixes a correlated parameter leaves its correlations out, saying so.
correlated=priors/gpt3-training-us-correlated.json
python3 - "$correlated" "$work" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["correlations"][0]["spearman"] = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
json.dump(d, open(sys.argv[2] + "/zero.json", "w"))
del d["correlations"]
json.dump(d, open(sys.argv[2] + "/none.json", "w"))
d["correlations"] = [{"params": ["pue", "wue_onsite"], "spearman": 0.9},
                     {"params": ["pue", "ewif"], "spearman": 0.8},
                     {"params": ["wue_onsite", "ewif"], "spearman": 0.2, "repair": True}]
json.dump(d, open(sys.argv[2] + "/repair.json", "w"))
PY
for k in zero none; do
  "$thirst" run --backend cpu "$work/$k.json" --draws 2e6 --json "$work/$k.run.json" --quiet >/dev/null
  "$thirst" sensitivity --backend cpu "$work/$k.json" --base-draws 16384 --json "$work/$k.sens.json" --quiet >/dev/null
done
check "all-zero correlations: run and sensitivity statistics byte-identical to none" python3 - "$work" <<'PY'
import json, sys
for kind in ("run", "sens"):
    a, b = (json.load(open(f"{sys.argv[1]}/{k}.{kind}.json")) for k in ("zero", "none"))
    if a["outputs"] != b["outputs"] or a.get("settings") != b.get("settings"):
        sys.exit(f"{kind} differs")
PY
"$thirst" validate "$correlated" >"$work/validate.txt"
check "validate shows each correlation given, used and achieved" python3 - "$work/validate.txt" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
line = re.search(r"pue-wue_onsite: Spearman 0.28 given; 0.2922 used \(Spearman 0.28\); (-?[0-9.]+) achieved", text)
assert line, text
# 100,000 draws: Spearman's standard error is below 1 / sqrt(n) = 0.0032
assert abs(float(line.group(1)) - 0.28) < 4 * 0.0032, line.group(1)
assert "Li et al. 2025 Table 1" in text
PY
"$thirst" validate "$work/repair.json" >"$work/repair.txt" 2>"$work/repair.err"
check "repair: accepted" test $? -eq 0
check "repair: a warning with the largest change" \
  grep -q '^thirst: warning: correlations: the matrix of pue and its partners is not positive definite; "repair" uses the nearest valid one (Higham 2002), whose largest change is' "$work/repair.err"
check "repair: validate reports the repaired block" grep -q "block 1 repaired (Higham 2002)" "$work/repair.txt"
"$thirst" sensitivity --backend cpu "$correlated" --base-draws 16384 --json "$work/corr.sens.json" --quiet >"$work/corr.sens.txt"
check "sensitivity with correlations: the block is one Sobol factor, its members have none, SRC not additive" python3 - "$work/corr.sens.json" "$work/corr.sens.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); table = open(sys.argv[2]).read()
assert d["settings"]["src_additive"] is False and "assume independent inputs" in d["settings"]["correlated_inputs"]
for name, o in d["outputs"].items():
    group = o["groups"]["pue+wue_onsite+ewif"]
    assert group["members"] == ["pue", "wue_onsite", "ewif"], group
    assert group["total_ci"][0] <= group["total"] <= group["total_ci"][1]
    for member in group["members"]:
        assert o["inputs"][member]["sobol_group"] == "pue+wue_onsite+ewif" and "first" not in o["inputs"][member]
        assert "tornado" in o["inputs"][member] and "src" in o["inputs"][member]
    assert "first" in o["inputs"]["hours"]
assert "not additive here" in table and "pue+wue_onsite+ewif" in table
PY
"$thirst" run --backend cpu "$correlated" --draws 1e5 --set pue=1.1 --quiet >/dev/null 2>"$work/set.err"
check "--set fixing a correlated parameter runs" test $? -eq 0
check "--set fixing a correlated parameter says its correlations are left out" \
  grep -q "^thirst: warning: correlations\[0\]: 'pue' is fixed by --set: its correlations there are left out" "$work/set.err"

# Provenance and --replay (DESIGN.md section 13): a result carries its scenario text, overrides
# and the resolved priors; --replay re-runs it with every statistic byte for byte (fixed and
# adaptive runs, a 64-bit seed); another numbers version is refused.
"$thirst" run --backend cpu "$correlated" --draws 3e5 --seed 18446744073709551615 --set hours=360 \
  --json "$work/first.json" --quiet >/dev/null
"$thirst" run --backend cpu --replay "$work/first.json" --json "$work/again.json" --quiet >/dev/null
check "--replay exits 0" test $? -eq 0
"$thirst" run --backend cpu "$scenario" --rel-error 0.002 --seed 5 --json "$work/adaptive.json" --quiet >/dev/null
"$thirst" run --backend cpu --replay "$work/adaptive.json" --json "$work/adaptive2.json" --quiet >/dev/null
check "--replay: fixed and adaptive runs byte for byte, provenance included" python3 - "$work" <<'PY'
import json, sys
for a, b in (("first", "again"), ("adaptive", "adaptive2")):
    x, y = (json.load(open(f"{sys.argv[1]}/{k}.json")) for k in (a, b))
    x.pop("run"); y.pop("run")
    assert x == y, (a, [k for k in x if x[k] != y.get(k)])
p = json.load(open(sys.argv[1] + "/first.json"))["provenance"]
assert p["overrides"] == ["hours=360"] and p["command"] == "run" and p["numbers_version"] == 1
assert p["scenario_text"] == open("priors/gpt3-training-us-correlated.json").read()
r = p["resolved"]
assert r["params"]["hours"]["prior"] == {"value": 360} and r["params"]["pue"]["prior"]["high"] == 1.25
assert "Patterson" in r["params"]["hours"]["source"] and len(r["correlations"]) == 3
assert json.load(open(sys.argv[1] + "/adaptive.json"))["settings"]["adaptive"]["rel_error"] == 0.002
PY
# thirst sensitivity --replay: its methods, base draws, tornado percentiles, seed, overrides and
# the Sobol design's sampler come from the result; every index and interval byte for byte.
"$thirst" sensitivity --backend cpu "$correlated" --base-draws 20000 --seed 18446744073709551615 \
  --set hours=360 --method sobol,tornado,src --tornado-range 10,90 --json "$work/sens.json" \
  --quiet >/dev/null
"$thirst" sensitivity --backend cpu "$scenario" --base-draws 16384 --sampler rqmc --method sobol \
  --json "$work/sens_rqmc.json" --quiet >/dev/null
"$thirst" sensitivity --backend cpu --replay "$work/sens.json" --json "$work/sens2.json" --quiet \
  >/dev/null &&
  "$thirst" sensitivity --backend cpu --replay "$work/sens_rqmc.json" --json "$work/sens_rqmc2.json" \
  --quiet >/dev/null
check "sensitivity --replay exits 0" test $? -eq 0
check "sensitivity --replay: indices and intervals byte for byte (mc with --set, rqmc)" \
  python3 - "$work" <<'PY'
import json, sys
for a, b in (("sens", "sens2"), ("sens_rqmc", "sens_rqmc2")):
    x, y = (json.load(open(f"{sys.argv[1]}/{k}.json")) for k in (a, b))
    x.pop("run"); y.pop("run")
    if x != y:
        sys.exit(f"{a}: {[k for k in x if x[k] != y.get(k)]} differ")
settings = json.load(open(sys.argv[1] + "/sens.json"))["settings"]
sys.exit(0 if settings["tornado_percentiles"] == [0.1, 0.9] and
         settings["methods"] == ["sobol", "tornado", "src"] else f"settings {settings}")
PY
python3 - "$work/first.json" "$work/old.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["provenance"]["numbers_version"] = 0
json.dump(d, open(sys.argv[2], "w"))
PY
"$thirst" run --backend cpu --replay "$work/old.json" --quiet >/dev/null 2>"$work/old.err"
check "--replay of another numbers version exits 2" test $? -eq 2
# An adaptive run stopped by --max-draws replays too (its "stopped_by": "max_draws" is no number).
"$thirst" run --backend cpu "$scenario" --rel-error 0.0005 --max-draws 300000 --json "$work/capped.json" --quiet >/dev/null
"$thirst" run --backend cpu --replay "$work/capped.json" --json "$work/capped2.json" --quiet >/dev/null
check "--replay of an adaptive run stopped at --max-draws" python3 - "$work" <<'PY'
import json, sys
a, b = (json.load(open(f"{sys.argv[1]}/{k}.json")) for k in ("capped", "capped2"))
a.pop("run"); b.pop("run")
assert a == b and a["precision"]["stopped_by"] == "max_draws" and a["provenance"]["seed"] == "2023"
PY
check "--replay of another numbers version says why" \
  grep -q "^thirst: --replay: $work/old.json was made by thirst 0.1.0 (commit .*), whose numbers differ from this build's (numbers version 0, here 1)" "$work/old.err"
"$thirst" point "$scenario" --json "$work/point.json" >/dev/null
"$thirst" sensitivity --backend cpu "$scenario" --base-draws 4096 --json "$work/sens.json" --quiet >/dev/null
check "point and sensitivity results carry the provenance" python3 - "$work" <<'PY'
import json, sys
for k in ("point", "sens"):
    p = json.load(open(f"{sys.argv[1]}/{k}.json"))["provenance"]
    assert p["command"] in ("point", "sensitivity") and "pue" in p["resolved"]["params"], k
PY

# What if you measured it: an input fixed at its median, the same draws otherwise, gives the
# interval of a run with --set INPUT=MEDIAN (whose other inputs keep their words) exactly.
"$thirst" sensitivity --backend cpu "$scenario" --method measured --base-draws 100000 --json "$work/measured.json" --quiet >"$work/measured.txt"
median=$(python3 -c "import json,sys; print(repr(json.load(open(sys.argv[1]))['provenance']['resolved']['params']['ewif']['median']))" "$work/measured.json")
"$thirst" run --backend cpu "$scenario" --draws 100000 --set "ewif=$median" --json "$work/pinned.json" --quiet >/dev/null
"$thirst" run --backend cpu "$scenario" --draws 100000 --json "$work/unpinned.json" --quiet >/dev/null
check "if measured: ewif at its median gives the interval of --set ewif=median, exactly" python3 - "$work" <<'PY'
import json, sys
m = json.load(open(sys.argv[1] + "/measured.json"))
pinned = json.load(open(sys.argv[1] + "/pinned.json"))["outputs"]
unpinned = json.load(open(sys.argv[1] + "/unpinned.json"))["outputs"]
assert m["settings"]["methods"] == ["measured"] and m["settings"]["interval"] == 0.95
for name, o in m["outputs"].items():
    i = pinned[name]["interval"]
    assert o["inputs"]["ewif"]["if_measured"]["interval"] == [i["low"], i["high"]], name
    assert o["interval"] == [unpinned[name]["interval"]["low"], unpinned[name]["interval"]["high"]], name
w = m["outputs"]["water_offsite_l"]["inputs"]["ewif"]["if_measured"]["width_ratio"]
assert 0 < w < 0.7, w
PY
check "if measured: the table shows the column" grep -q "if measured" "$work/measured.txt"
# A choice over several parameters is fixed at its median option: --set site=THAT, exactly.
"$thirst" sensitivity --backend cpu priors/gpt3-training-sites.json --method measured --base-draws 100000 --json "$work/msites.json" --quiet >/dev/null
option=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=json.load(open('priors/gpt3-training-sites.json')); print(s['params']['site']['options'][int(d['provenance']['resolved']['params']['site']['median_option'])]['name'])" "$work/msites.json")
"$thirst" run --backend cpu priors/gpt3-training-sites.json --draws 100000 --set "site=$option" --json "$work/msite.json" --quiet >/dev/null
check "if measured: a site choice at its median option ($option) gives the interval of --set site=$option" python3 - "$work" <<'PY'
import json, sys
m = json.load(open(sys.argv[1] + "/msites.json"))["outputs"]
run = json.load(open(sys.argv[1] + "/msite.json"))["outputs"]
for name, o in m.items():
    assert o["inputs"]["site"]["if_measured"]["interval"] == [run[name]["interval"]["low"], run[name]["interval"]["high"]], name
PY

# --by NAME: one run per option of a choice, in one command; each option's statistics equal those
# of a run with --set NAME=OPTION (same seed and draws) exactly; a choice over one parameter too.
sites=priors/gpt3-training-sites.json
"$thirst" run --backend cpu "$sites" --by site --draws 1e5 --json "$work/by.json" --quiet >"$work/by.txt"
check "--by site exits 0" test $? -eq 0
"$thirst" run --backend cpu "$sites" --set site=Arizona --draws 1e5 --json "$work/arizona.json" --quiet >/dev/null
"$thirst" run --backend cpu tests/correlations/correlated-choice.json --by pue --draws 1e5 --json "$work/bypue.json" --quiet >/dev/null
check "--by: 17 sites, Arizona's statistics those of --set site=Arizona; a one-parameter choice by value" python3 - "$work" <<'PY'
import json, sys
by = json.load(open(sys.argv[1] + "/by.json"))
assert by["schema"] == "thirst-by" and by["by"] == "site" and len(by["options"]) == 17
arizona = [o for o in by["options"] if o["option"] == "Arizona"][0]
assert arizona["set"] == "site=Arizona"
assert arizona["outputs"] == json.load(open(sys.argv[1] + "/arizona.json"))["outputs"]
pue = json.load(open(sys.argv[1] + "/bypue.json"))
assert [o["option"] for o in pue["options"]] == ["1.1", "1.2", "1.4"], pue["options"]
PY
check "--by: the table has a row per site" bash -c "grep -c '^Arizona ' '$work/by.txt' | grep -qx 6"
"$thirst" run --backend cpu "$scenario" --by pue --draws 1e4 --quiet >/dev/null 2>"$work/bynot.err"
check "--by on a parameter that is not a choice exits 2" test $? -eq 2
check "--by on a parameter that is not a choice says so" grep -q "^thirst: --by: 'pue' is not a choice" "$work/bynot.err"

# --set NAME.FIELD=null removes a field: a triangular prior becomes a uniform one.
"$thirst" point "$scenario" --set hours.dist=uniform --set hours.mode=null --json "$work/nullfield.json" >/dev/null
check "--set NAME.FIELD=null removes the field" python3 - "$work/nullfield.json" <<'PY'
import json, sys
prior = json.load(open(sys.argv[1]))["provenance"]["resolved"]["params"]["hours"]
assert prior["dist"] == "uniform" and prior["prior"] == {"low": 330, "high": 420}, prior
PY

check_done
