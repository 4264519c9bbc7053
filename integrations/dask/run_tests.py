"""Runs losslens_dask's tests (unittest) and writes a JSON report for CI's summary line:
{"passed": N, "failed": N, "skipped": N, "tests": [{"name", "outcome"}]}.

Usage: /usr/bin/python3 integrations/dask/run_tests.py [--report FILE] [PATTERN]
Needs Debian's python3-distributed (apt-get install python3-distributed) and node on PATH."""

import json
import os
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Quiet the workers' "Compute Failed" logs for the aggregations that fail on purpose.
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical")
os.environ.setdefault("LOSSLENS_BIN", str(HERE.parents[1] / "bin" / "losslens.mjs"))
sys.path.insert(0, str(HERE))


class Recorder(unittest.TextTestResult):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.outcomes = []

    def addSuccess(self, test):  # noqa: N802 - unittest's names
        super().addSuccess(test)
        self.outcomes.append((test.id(), "passed"))

    def addFailure(self, test, err):  # noqa: N802
        super().addFailure(test, err)
        self.outcomes.append((test.id(), "failed"))

    def addError(self, test, err):  # noqa: N802
        super().addError(test, err)
        self.outcomes.append((test.id(), "failed"))

    def addSkip(self, test, reason):  # noqa: N802
        super().addSkip(test, reason)
        self.outcomes.append((test.id(), "skipped"))


def main(argv):
    report = None
    if "--report" in argv:
        i = argv.index("--report")
        report = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2 :]
    pattern = argv[0] if argv else "test_*.py"
    suite = unittest.defaultTestLoader.discover(str(HERE / "tests"), pattern=pattern, top_level_dir=str(HERE))
    result = unittest.TextTestRunner(resultclass=Recorder, verbosity=2).run(suite)
    counts = {k: sum(o == k for _, o in result.outcomes) for k in ("passed", "failed", "skipped")}
    # A module that failed to import shows up as an error without a test: count it as a failure.
    counts["failed"] += max(0, len(result.errors) + len(result.failures) - counts["failed"])
    if report:
        report.parent.mkdir(parents=True, exist_ok=True)
        tmp = report.with_suffix(".tmp")
        tmp.write_text(json.dumps({**counts, "tests": [{"name": n, "outcome": o} for n, o in result.outcomes]}, indent=1))
        os.replace(tmp, report)
    print(f"python: {counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
