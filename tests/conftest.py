# SPDX-License-Identifier: GPL-2.0
"""pytest glue and shared fixtures.

The tests are plain functions that use the helpers of umltest.py; this file
makes pytest clean up after each of them (processes, scratch directories),
gives modules a way to ask for a longer timeout (a module-level TIMEOUT =
seconds), and offers the VM fixture (test_exec.py, test_debug.py):

  vm       a kernel booted to the shell on a private copy of root.img
           (umltest.boot() with its defaults, a umltest.Console)
"""
import pytest

import umltest


def pytest_collection_modifyitems(config, items):
    for item in items:
        limit = getattr(item.module, "TIMEOUT", None)
        if limit and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(limit))


@pytest.fixture(autouse=True)
def _umltest_cleanup():
    yield
    umltest.cleanup()


@pytest.fixture
def vm():
    """A kernel booted to the busybox shell (umltest.Console)."""
    c = umltest.boot_shell()
    yield c
    if c.p.poll() is None:
        c.p.kill()
