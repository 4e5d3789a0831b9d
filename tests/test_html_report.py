"""test_html_report.py: `thirst run --html` writes one self-contained, well-formed page.

Parses the file with an XML parser (it is XHTML), and checks: every output of the run has a
heading and an inline SVG histogram with bars, a shaded interval, a median line and round-number
ticks on both axes; the output at the published point values is marked; the summary table has a
row per output whose mean (in its display unit, as in the terminal) matches the JSON written by
the same run; the inputs table lists every parameter with its prior and source; the
page loads nothing (no http/https references, no scripts). Text from outside stays well-formed:
a title with non-ASCII characters and an escaped control character, in a scenario whose file
name is not UTF-8, gives an XHTML page and a JSON result that parse as UTF-8 (0.1 copied the
bytes through; invalid UTF-8 in the file itself is refused since).
Usage: test_html_report.py THIRST_BINARY REPO_ROOT
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402

thirst, root = sys.argv[1], sys.argv[2]
os.chdir(root)
XHTML, SVG = "{http://www.w3.org/1999/xhtml}", "{http://www.w3.org/2000/svg}"
DISPLAY = {"GWh": 1e6, "MWh": 1e3, "ML": 1e6, "kL": 1e3, "kt CO2e": 1e6, "t CO2e": 1e3}
checks = Checks()
check = checks.check



with tempfile.TemporaryDirectory() as work:
    page, result = os.path.join(work, "report.html"), os.path.join(work, "result.json")
    run = subprocess.run([thirst, "run", "--backend", "cpu", "priors/gpt3-training-us.json", "--draws", "200000",
                          "--html", page, "--json", result, "--quiet"], capture_output=True,
                         text=True)
    check(run.returncode == 0, f"run: {run.stderr}")
    text = open(page, encoding="utf-8").read()
    document = ET.parse(page).getroot()
    report = json.load(open(result))
    check(document.tag == XHTML + "html", "root element is XHTML html")
    check("http://" not in text.replace("http://www.w3.org/", "") and "https://" not in text,
          "no network references")
    check(not document.findall(f".//{XHTML}script"), "no scripts")
    headings = [h.get("id") for h in document.iter(XHTML + "h2")]
    svgs = list(document.iter(SVG + "svg"))
    check(len(svgs) == len(report["outputs"]), f"{len(svgs)} histograms for {len(report['outputs'])} outputs")
    rows = {tr.findall(XHTML + "td")[0].text: tr for tr in document.iter(XHTML + "tr")
            if tr.findall(XHTML + "td")}
    for index, (name, output) in enumerate(report["outputs"].items()):
        check(name in headings, f"{name}: heading")
        check(name in rows, f"{name}: table row")
        if name in rows:
            cells = rows[name].findall(XHTML + "td")
            divisor = DISPLAY.get(cells[1].text, 1)
            mean = float(cells[2].text.replace(",", "")) * divisor
            # 4 significant digits in a display unit (GWh, ML, t CO2e, as in the terminal)
            check(abs(mean - output["mean"]) <= 5e-4 * abs(output["mean"]), f"{name}: mean in table")
            check(cells[1].text == output["unit"] or cells[1].text in DISPLAY,
                  f"{name}: unit {cells[1].text}")
        if index < len(svgs):
            classes = [r.get("class") for r in svgs[index]]
            check(classes.count("bar") >= 20, f"{name}: histogram bars")
            check("interval" in classes and "median" in classes, f"{name}: interval and median")
            # round-number ticks on both axes: at least 3 each, every x tick label a round number
            texts = [(t.get("class"), t.text) for t in svgs[index] if t.tag == SVG + "text"]
            xticks = [float(v) for c, v in texts if c == "xtick"]
            yticks = [float(v) for c, v in texts if c == "ytick"]
            check(len(xticks) >= 3 and len(yticks) >= 3, f"{name}: ticks {xticks} {yticks}")
            check(all(float(f"{v:.1g}") == v or float(f"{v:.2g}") == v for v in xticks),
                  f"{name}: round x ticks {xticks}")
    # The output at the published point values is marked, and the inputs are listed with their
    # priors and sources.
    check(any(r.get("class") == "point" for svg in svgs for r in svg), "point values marked")
    inputs = [tr for table in document.iter(XHTML + "table") if table.get("class") == "inputs"
              for tr in table.findall(XHTML + "tr") if tr.findall(XHTML + "td")]
    listed = {tr.findall(XHTML + "td")[0].text: tr for tr in inputs}
    scenario_file = json.load(open("priors/gpt3-training-us.json"))
    check(set(listed) == set(scenario_file["params"]), f"inputs table: {sorted(listed)}")
    hours = listed.get("hours")
    check(hours is not None and "triangular low 330, mode 355.2, high 420" in
          "".join(hours.itertext()) and "Patterson" in "".join(hours.itertext()),
          "inputs table: hours' prior and source")

    # Outside text: a title with U+00E9, U+6C34 and an escaped U+0001; a file name with 0xff.
    scenario = json.load(open("priors/gpt3-training-us.json"))
    scenario["title"] = "caf\u00e9 \u6c34 \u0001 <&>"
    odd = os.path.join(work.encode(), b"odd-\xff.json")
    with open(odd, "w", encoding="utf-8") as f:
        json.dump(scenario, f)
    page, result = os.path.join(work, "odd.html"), os.path.join(work, "odd.json")
    run = subprocess.run([thirst.encode(), b"run", b"--backend", b"cpu", odd, b"--draws", b"20000", b"--html",
                          page.encode(), b"--json", result.encode(), b"--quiet"],
                         capture_output=True)
    check(run.returncode == 0, f"odd title: {run.stderr!r}")
    try:
        document = ET.fromstring(open(page, "rb").read().decode("utf-8"))
        title_text = "".join(document.find(f"{XHTML}body").itertext())
        check("caf\u00e9 \u6c34" in title_text, "odd title: the characters reach the page")
    except (ValueError, ET.ParseError) as error:
        check(False, f"odd title: the page is not well-formed UTF-8 XHTML: {error}")
    try:
        odd_report = json.loads(open(result, "rb").read().decode("utf-8"))
        check(odd_report["scenario"]["title"] == scenario["title"], "odd title: JSON title")
    except ValueError as error:
        check(False, f"odd title: the JSON result is not UTF-8 JSON: {error}")

checks.finish()
