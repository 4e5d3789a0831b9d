"""checks.py: the Python tests' counting check (they never use assert, which python -O drops):
check(condition, message) counts, prints FAIL lines and goes on; finish() prints
"N passed, M failed" and exits 1 when anything failed."""
import sys


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, message):
        """Count one check; print message when it fails."""
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL", message)
        return condition

    def finish(self):
        """Print the tally and exit with 1 when any check failed."""
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
