"""test_golden.py: nothing changes for users. For every scenario of priors/ and
priors/benchmarks/, the JSON of `thirst run --draws 1e6` at --threads 1 and at --threads 2, of
`thirst point` and of `thirst sensitivity --base-draws 65536`, and the CSV of `thirst draws
--count 1000`, equal the golden files in tests/golden/ (made by tests/golden/make.py before
issue 12's rebuild; the four formula scenarios of issue 14 and the correlated one of issue 15 added
when they were), apart from each JSON's "run" section (time, version, threads). Every number
is compared exactly (JSON numbers read back as the same double).
Usage: test_golden.py THIRST_BINARY REPO_ROOT
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden"))
from checks import Checks  # noqa: E402
from golden import outputs  # noqa: E402

thirst, root = os.path.abspath(sys.argv[1]), sys.argv[2]
os.chdir(root)
checks = Checks()
compared = 0
for threads in (1, 2):
    for name, kind, text in outputs(thirst, threads):
        if threads == 2 and kind in ("point.json", "draws.csv"):
            continue   # they take no --threads
        path = os.path.join("tests", "golden", f"{name}.{kind}.gz")
        if not checks.check(os.path.exists(path), f"{path}: no golden file"):
            continue
        golden = gzip.open(path, "rt").read()
        compared += 1
        if text != golden:
            mine, theirs = text.splitlines(), golden.splitlines()
            line = next((k for k, (a, b) in enumerate(zip(mine, theirs)) if a != b),
                        min(len(mine), len(theirs)))
            checks.check(False, f"{name} {kind} (--threads {threads}) differs from {path} at line "
                         f"{line + 1}: {mine[line] if line < len(mine) else '(end)'!r} vs "
                         f"{theirs[line] if line < len(theirs) else '(end)'!r}")
        else:
            checks.check(True, "")
checks.check(compared == 90, f"compared {compared} outputs, expected 90")
checks.finish()
