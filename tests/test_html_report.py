"""test_html_report.py: `thirst run --html` writes one self-contained, well-formed page.

Parses the file with an XML parser (it is XHTML), and checks: every output of the run has a
heading and an inline SVG histogram with bars, a shaded interval and a median line; the
summary table has a row per output whose mean matches the JSON written by the same run; the
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
            mean = float(rows[name].findall(XHTML + "td")[2].text)
            check(abs(mean - output["mean"]) <= 1e-4 * abs(output["mean"]), f"{name}: mean in table")
        if index < len(svgs):
            classes = [r.get("class") for r in svgs[index]]
            check(classes.count("bar") >= 20, f"{name}: histogram bars")
            check("interval" in classes and "median" in classes, f"{name}: interval and median")

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
