# SPDX-License-Identifier: GPL-2.0
"""pytest glue and shared fixtures.

The tests are plain functions that use the helpers of umltest.py; this file
makes pytest clean up after each of them (processes, scratch directories),
gives modules a way to ask for a longer timeout (a module-level TIMEOUT =
seconds), and offers the VM fixture (test_exec.py, test_debug.py):

  vm       a kernel booted to the shell on a private copy of root.img
           (umltest.boot() with its defaults, a umltest.Console)
"""
import os
import time

import pytest

import umltest

# What make check builds beside the tests (scripts/check.sh), in the order
# it finishes them.  A module that needs one says so in NEEDS_BUILD.
LATE_BUILDS = ("debian", "linux-debug", "lib")
LATE_LIMIT = 90 * 60


def late_rank(item):
    needs = getattr(item.module, "NEEDS_BUILD", ())
    return 1 + max(LATE_BUILDS.index(n) for n in needs) if needs else 0


def pytest_collection_modifyitems(config, items):
    for item in items:
        limit = getattr(item.module, "TIMEOUT", None)
        if limit and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(limit))
    # under make check, the tests of what is still being built go last
    if os.environ.get("UML_CHECK_LATE"):
        items.sort(key=late_rank)


def await_late_builds(item):
    """Under make check, wait for the builds this test's module needs;
    returns why it cannot run, or None."""
    late = os.environ.get("UML_CHECK_LATE")
    if not late:
        return None
    deadline = time.monotonic() + LATE_LIMIT
    for name in getattr(item.module, "NEEDS_BUILD", ()):
        status = os.path.join(late, name + ".status")
        while not os.path.exists(status):
            if time.monotonic() > deadline:
                return "make %s did not finish in %d s" % (name, LATE_LIMIT)
            time.sleep(1)
        st = open(status).read().strip()
        if st != "0":
            log = open(os.path.join(late, name + ".log"),
                       errors="replace").read()
            return "make %s failed (status %s); the end of its log:\n%s" % (
                name, st, log[-4000:])
    return None


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    # outermost, so the wait is not counted in the test's time limit
    item.late_build_error = await_late_builds(item)
    yield


@pytest.fixture(autouse=True)
def _umltest_cleanup(request):
    error = getattr(request.node, "late_build_error", None)
    if error:
        pytest.fail(error, pytrace=False)
    yield
    umltest.cleanup()


@pytest.fixture
def vm():
    """A kernel booted to the busybox shell (umltest.Console)."""
    c = umltest.boot_shell()
    yield c
    if c.p.poll() is None:
        c.p.kill()
