"""test_html_browser.py: the HTML reports in a real browser (headless Chromium, Debian's
chromium package; exit 77, skipped, where it is not installed). The widest run report of the
shipped scenarios (dgx-a100-fleet-month: eight outputs, counts) and a sensitivity report with a
correlated group are rendered at 1,000 px and at 390 px (a phone; headless Chromium lays out no
narrower than 500 px, so that is what the phone check measures). Checked, from the layout the
browser computed (a copy of each page with a measuring script appended; the reports themselves
hold no script): at 1,000 px nothing is wider than the window and every table fits its box
without scrolling; at 390 px nothing is wider than the window (tables may scroll inside their
boxes) and every figure shrinks to fit. Screenshots go to THIRST_FIGURES (else the build folder).
usage: test_html_browser.py THIRST_BINARY REPO_ROOT
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from checks import Checks

thirst, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if not browser:
    print("SKIPPED: no chromium (apt-get install chromium)")
    sys.exit(77)
checks = Checks()
work = tempfile.mkdtemp()
figures = os.environ.get("THIRST_FIGURES") or os.path.dirname(thirst)

MEASURE = """<script>
const wide = [...document.querySelectorAll('.wide')].map(b => [b.scrollWidth, b.clientWidth]);
const svgs = [...document.querySelectorAll('svg')].map(s => s.getBoundingClientRect().right);
const out = document.createElement('pre');
out.id = 'thirst-measure';
out.textContent = JSON.stringify({page: document.documentElement.scrollWidth,
                                  window: window.innerWidth, wide: wide, svgs: svgs});
document.body.appendChild(out);
</script>"""


def browse(page, width, *arguments):
    return subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", f"--window-size={width},900", *arguments,
                           "file://" + page], capture_output=True, text=True, timeout=120)


def measure(page, width):
    """The layout of page at width pixels, from a copy with the measuring script."""
    copy = os.path.join(work, f"measured-{width}.html")
    text = open(page).read().replace("</body>", MEASURE + "</body>")
    open(copy, "w").write(text)
    dom = browse(copy, width, "--dump-dom").stdout
    found = re.search(r'<pre id="thirst-measure">(.*?)</pre>', dom, re.S)
    return json.loads(found.group(1).replace("&quot;", '"')) if found else None


reports = {
    "run": ["run", "priors/dgx-a100-fleet-month.json", "--backend", "cpu", "--draws", "1e5"],
    "sensitivity": ["sensitivity", "priors/gpt3-training-us-correlated.json", "--backend", "cpu",
                    "--base-draws", "16384"],
}
for name, arguments in reports.items():
    page = os.path.join(work, f"{name}.html")
    done = subprocess.run([thirst, *arguments, "--quiet", "--html", page], cwd=root,
                          capture_output=True, text=True)
    checks.check(done.returncode == 0, f"{name} --html: {done.stderr.strip()}")
    if done.returncode:
        continue
    for width in (1000, 390):
        m = measure(page, width)
        checks.check(m is not None, f"{name} at {width} px: the browser measured the page")
        if m is None:
            continue
        # Headless Chromium lays a page out no narrower than its smallest window (500 px here):
        # the checks hold against the width it used.
        used = m["window"]
        checks.check(used <= max(width, 500), f"{name} at {width} px: laid out at {used} px")
        checks.check(m["page"] <= used, f"{name} at {width} px: page {m['page']} px wide, "
                     f"window {used} px")
        checks.check(all(right <= used + 0.5 for right in m["svgs"]),
                     f"{name} at {width} px: a figure reaches {max(m['svgs'], default=0)} px of "
                     f"{used}")
        if width == 1000:
            checks.check(all(scroll <= client + 1 for scroll, client in m["wide"]),
                         f"{name} at 1,000 px: a table needs scrolling ({m['wide']})")
        shot = os.path.join(figures, f"html_{name}_{width}px.png")
        browse(page, width, f"--screenshot={shot}")
        checks.check(os.path.getsize(shot) > 10000, f"{name} at {width} px: screenshot {shot}")
shutil.rmtree(work, ignore_errors=True)
checks.finish()
