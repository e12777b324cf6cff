# SPDX-License-Identifier: GPL-2.0
"""Helpers shared by the tests: paths, booting kernels, cleanup."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX = os.path.join(TOP, "linux")
ROOT_IMG = os.path.join(TOP, "root.img")
REF_LINUX = "/usr/bin/linux.uml"

_procs = []
_dirs = []


class Skip(Exception):
    """Raised by a test that cannot run here; counted as skipped."""


def skip(reason):
    raise Skip(reason)


def tmpdir():
    d = tempfile.mkdtemp(prefix="umltest-")
    _dirs.append(d)
    return d


def spawn(argv, **kw):
    """Start a process that cleanup() kills if the test leaves it behind."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.STDOUT)
    kw.setdefault("start_new_session", True)
    p = subprocess.Popen(argv, **kw)
    _procs.append(p)
    return p


def run(argv, timeout=60, **kw):
    """Run to completion; returns (status, output as text)."""
    p = spawn(argv, **kw)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        raise AssertionError("timed out after %ss: %s\n%s" %
                             (timeout, " ".join(argv),
                              (out or b"").decode(errors="replace")[-3000:]))
    return p.returncode, (out or b"").decode(errors="replace")


def copy_image(src=ROOT_IMG):
    """A private copy of a disk image, removed at cleanup."""
    d = tmpdir()
    dst = os.path.join(d, os.path.basename(src))
    shutil.copyfile(src, dst)
    return dst


def cleanup():
    while _procs:
        p = _procs.pop()
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
    while _dirs:
        shutil.rmtree(_dirs.pop(), ignore_errors=True)


def wait_for(pred, timeout=10, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()
