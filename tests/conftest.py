# SPDX-License-Identifier: GPL-2.0
"""pytest glue and shared fixtures.

The tests are plain functions that use the helpers of umltest.py; this file
makes pytest clean up after each of them (processes, scratch directories),
gives modules a way to ask for a longer timeout (a module-level TIMEOUT =
seconds), and offers fixtures for new tests:

  vm       a kernel booted to the shell on a private copy of root.img
  netns    a fresh network namespace (its name), removed afterwards
  switch   our uml_switch on a private control socket (its path)
"""
import os
import subprocess
import uuid

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


@pytest.fixture
def netns():
    """A network namespace of this test's own, deleted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("network namespaces need root")
    name = "umlt-" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "netns", "add", name], check=True)
    yield name
    subprocess.run(["ip", "netns", "pids", name], capture_output=True)
    out = subprocess.run(["ip", "netns", "pids", name],
                         capture_output=True, text=True).stdout.split()
    for pid in out:
        try:
            os.kill(int(pid), 9)
        except (ProcessLookupError, ValueError):
            pass
    subprocess.run(["ip", "netns", "del", name])


@pytest.fixture
def switch():
    """Our uml_switch serving a control socket in a scratch directory."""
    exe = os.path.join(umltest.TOP, "tools/uml_switch/uml_switch")
    if not os.access(exe, os.X_OK):
        pytest.skip("tools/uml_switch not built (make tools)")
    sock = os.path.join(umltest.tmpdir(), "ctl")
    umltest.spawn([exe, "-unix", sock])
    if not umltest.wait_for(lambda: os.path.exists(sock), timeout=5):
        pytest.fail("uml_switch did not create " + sock)
    yield sock
