#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Test runner: pytest over tests/test_*.py, ending with "N passed, N failed".

Every plain function test_*() of tests/test_*.py is a test (pytest collects
them; shared fixtures are in tests/conftest.py).  Arguments are pytest's:
  tests/run.py                        the whole suite, 2 workers (xdist)
  tests/run.py -k poweroff            tests whose name matches
  tests/run.py -x tests/test_boot.py  one file, stop at the first failure
  tests/run.py -n 0                   no parallel workers
A test that cannot run here (no display, a missing host package) is
skipped with its reason.  The last line is always "N passed, N failed".

pytest comes from Debian's python3-pytest, which only Debian's own
interpreter sees; another python3 on PATH hands over to /usr/bin/python3.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN_PYTHON = "/usr/bin/python3"


def reexec_with_pytest():
    try:
        import pytest  # noqa: F401
        return
    except ImportError:
        pass
    if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) \
            and os.access(DEBIAN_PYTHON, os.X_OK):
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)
    sys.exit("tests/run.py: pytest is missing "
             "(scripts/install-deps.sh installs python3-pytest)")


class Tally:
    """Counts each test once, by its worst phase (from xdist workers too)."""

    RANK = {"passed": 0, "skipped": 1, "failed": 2}

    def __init__(self):
        self.outcome = {}

    def record(self, nodeid, outcome):
        old = self.outcome.get(nodeid)
        if old is None or self.RANK[outcome] > self.RANK[old]:
            self.outcome[nodeid] = outcome

    def pytest_runtest_logreport(self, report):
        if report.failed:
            self.record(report.nodeid, "failed")
        elif report.skipped:
            self.record(report.nodeid, "skipped")
        elif report.when == "call":
            self.record(report.nodeid, "passed")

    def pytest_collectreport(self, report):
        if report.failed:
            self.record(report.nodeid, "failed")

    def count(self, outcome):
        return sum(1 for o in self.outcome.values() if o == outcome)


def default_workers(args):
    if any(a == "-n" or a.startswith("-n") or a.startswith("--numprocesses")
           for a in args):
        return []
    import importlib.util
    if importlib.util.find_spec("xdist") is None:
        return []
    n = min(os.cpu_count() or 1, 2)
    return ["-n", str(n), "--dist", "loadfile"] if n > 1 else []


def main(argv):
    reexec_with_pytest()
    import pytest
    tally = Tally()
    args = ["-p", "no:cacheprovider", "-rs", "-v", "--durations=10",
            "--rootdir", HERE,
            "-c", os.path.join(HERE, "pytest.ini")]
    args += default_workers(argv)
    if not any(a.endswith(".py") or "::" in a or os.path.isdir(a)
               for a in argv):
        argv = argv + [HERE]
    status = pytest.main(args + argv, plugins=[tally])
    passed, failed = tally.count("passed"), tally.count("failed")
    if tally.count("skipped"):
        print("%d skipped" % tally.count("skipped"))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and status in (0, 5) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
