"""test_html_report.py: `thirst run --html` writes one self-contained, well-formed page.

Parses the file with an XML parser (it is XHTML), and checks: every output of the run has a
heading and an inline SVG histogram with bars, a shaded interval and a median line; the
summary table has a row per output whose mean matches the JSON written by the same run; the
page loads nothing (no http/https references, no scripts).
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
checks = Checks()
check = checks.check



with tempfile.TemporaryDirectory() as work:
    page, result = os.path.join(work, "report.html"), os.path.join(work, "result.json")
    run = subprocess.run([thirst, "run", "priors/gpt3-training-us.json", "--draws", "200000",
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
            mean = float(rows[name].findall(XHTML + "td")[2].text)
            check(abs(mean - output["mean"]) <= 1e-4 * abs(output["mean"]), f"{name}: mean in table")
        if index < len(svgs):
            classes = [r.get("class") for r in svgs[index]]
            check(classes.count("bar") >= 20, f"{name}: histogram bars")
            check("interval" in classes and "median" in classes, f"{name}: interval and median")

checks.finish()
