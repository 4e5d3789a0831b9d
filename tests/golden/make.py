"""make.py: writes the golden outputs that tests/test_golden.py holds every later build to.

    python3 tests/golden/make.py build/thirst

For every scenario in priors/ and priors/benchmarks/ it runs, from the repository root:
  thirst run S --draws 1e6 --threads 1 --json      -> tests/golden/NAME.run.json.gz
  thirst point S --json                            -> tests/golden/NAME.point.json.gz
  thirst sensitivity S --base-draws 65536 --json   -> tests/golden/NAME.sensitivity.json.gz
  thirst draws S --count 1000 (CSV on stdout)      -> tests/golden/NAME.draws.csv.gz
with the "run" section (time, version, threads) removed from the JSON. Made once, before a
change that must not move any reported number (issue 12's rebuild, from c4a5d0a); remake them
only for a change meant to move numbers, and say so in its commit. Remade since: the three
Ishigami files, when the benchmark model's sin became the shared fastmath_sinf (issue 12: CPU and
GPU draws must be the same bits; glibc's sinf is not correctly rounded, 8e-4 of the floats in
[-pi, pi] differ by 1 ulp from the correctly rounded value, and CUDA cannot reproduce it); every
other file was remade byte for byte. Against the code before issue 12 (c2ccd53),
tests/golden/compare.py counts 72 of 19,722 numbers moved: 36 sd and sem values by 1-2 ulps (the
exact sums of the mergeable state, c4a5d0a, made before these files) and 36 Ishigami numbers
(relative 6e-8 at most, the shared sin), and 12 of Ishigami's 1,000 draws in their 9th digit.
Added (issue 14): the files of the four formula scenarios (epoch-chatgpt-query-2025,
reasoning-query-2025, llama31-training, gpt3-training-carbon-accounting), every older file
remade byte for byte. Added (issue 15): the files of gpt3-training-us-correlated (correlated
inputs), every older file remade byte for byte. Remade (issue 16): the sensitivity files, whose
default methods now include "measured" (what if you measured it); every number of the earlier
files is unchanged (only the methods list and the new "interval" and "if_measured" entries
differ), and the JSON's new "provenance" section is left out of the comparison (golden.py);
then the two site scenarios' sensitivity files again, when a choice over several parameters got
its "if measured" interval (at its median option; null before), and the correlated scenario's,
when its correlated inputs got theirs (partners conditional; null before). Remade (issue 18):
the run files, whose "settings" now name the sampler and its interval methods ("sampler":
{"kind": "mc", ...}); with that key removed every file equals the one before, number for number.
Then the sensitivity files, whose "settings" name the Sobol design's sampler ("sobol_sampler":
{"kind": "mc", "intervals": "batch_means"}); with that key removed, every file is unchanged.
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden import outputs  # noqa: E402

thirst = os.path.abspath(sys.argv[1])
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.chdir(root)
for name, kind, text in outputs(thirst, threads=1):
    path = os.path.join("tests", "golden", f"{name}.{kind}.gz")
    with gzip.GzipFile(path, "wb", mtime=0) as f:   # mtime 0: the same bytes every time
        f.write(text.encode())
    print(path)
