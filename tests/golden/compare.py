"""compare.py: the golden outputs of two thirst binaries, number by number: how many differ, by
how much, and where. For a change that must move no number, or whose moved numbers must be
accounted for (issue 12's were: 72 of 19,722).

    python3 tests/golden/compare.py OLD_THIRST NEW_THIRST     (from the repository root)
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden import outputs  # noqa: E402


def differences(a, b, path, found):
    """(path, old value, relative difference) of every number or value that differs."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                found.append((f"{path}.{key}", "missing on one side", None))
            else:
                differences(a[key], b[key], f"{path}.{key}", found)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for k, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{path}[{k}]", found)
    elif a != b:
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
        scale = max(abs(a), abs(b)) if numeric else 0
        found.append((path, a, abs(a - b) / scale if numeric and scale else None))


def numbers(x):
    if isinstance(x, dict):
        return sum(numbers(v) for v in x.values())
    if isinstance(x, list):
        return sum(numbers(v) for v in x)
    return int(isinstance(x, (int, float)) and not isinstance(x, bool))


def main():
    old = {(name, kind): text for name, kind, text in outputs(os.path.abspath(sys.argv[1]), 1)}
    new = {(name, kind): text for name, kind, text in outputs(os.path.abspath(sys.argv[2]), 1)}
    total = differing = 0
    for key in sorted(old):
        name, kind = key
        if kind.endswith(".csv"):
            old_lines, new_lines = old[key].splitlines(), new[key].splitlines()
            changed = sum(a != b for a, b in zip(old_lines, new_lines))
            changed += abs(len(old_lines) - len(new_lines))
            if changed:
                print(f"{name} {kind}: {changed} of {len(old_lines)} lines differ")
            continue
        a, b = json.loads(old[key]), json.loads(new[key])
        found = []
        differences(a, b, "", found)
        total += numbers(a)
        differing += len(found)
        if found:
            worst = max((r for _, _, r in found if r is not None), default=0.0)
            fields = sorted({path.split(".")[-1] for path, _, _ in found})
            print(f"{name} {kind}: {len(found)} differ, largest relative difference {worst:.2e} "
                  f"({', '.join(fields[:8])})")
    print(f"numbers compared: {total}, differing: {differing}")


if __name__ == "__main__":
    main()
