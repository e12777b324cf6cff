# SPDX-License-Identifier: GPL-2.0
"""What the bench drivers share: the kernels compared and the image (from
OURS, REF, IMG, ROUNDS), a kernel booted and driven through its console on
stdin/stdout (the tests' umltest.Console), busybox `time` figures,
best-of-rounds bookkeeping.

A bench in bench/NAME/NAME.py imports it with
    sys.path.insert(0, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    import benchlib
"""
import os
import re
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests"))
from umltest import CLASSIC_ARGS, Console  # noqa: E402
# the reference kernel's root and console, as our kernel has them by default
REF_ARGS = list(CLASSIC_ARGS)


def settings(rounds):
    """(ours, ref, img, rounds) from OURS, REF, IMG and ROUNDS; ROUNDS
    defaults to `rounds`."""
    return (os.environ.get("OURS", os.path.join(TOP, "linux")),
            os.environ.get("REF", os.path.join(TOP, "build/ref-obj/linux")),
            os.environ.get("IMG", os.path.join(TOP, "root.img")),
            int(os.environ.get("ROUNDS", str(rounds))))


def missing(bench, *kernels):
    """True (and says so) when one of the kernels is not there to run:
    bench/BENCH is then skipped."""
    for k in kernels:
        if not os.access(k, os.X_OK):
            print("bench/%s: %s missing, skipped" % (bench, k))
            return True
    return False


class Guest(Console):
    """A kernel started with argv, its console on stdin and stdout (stderr
    too): the tests' console driver (tests/umltest.py), with what bench
    drivers use of it (buf, wait_for(), finish())."""

    def __init__(self, argv, **popen):
        # in this process's group: ^C on a bench ends its kernels too
        popen.setdefault("start_new_session", False)
        super().__init__(argv, **popen)

    @property
    def buf(self):
        """Everything the kernel printed, as bytes."""
        return self.raw()

    def wait_for(self, pattern, timeout):
        """The first match of pattern in the output within timeout seconds;
        None if it did not come (or the kernel exited first)."""
        return self.search(pattern, timeout)

    def finish(self, timeout=60):
        """Type poweroff, wait for the kernel to end (killed after timeout
        seconds), and return all it printed."""
        # stdin stays open until the kernel exits: the classic console
        # throws away unread input at end of file
        self.send("poweroff\n")
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
        self.t.join(10)
        self.p.stdin.close()
        return self.buf


def run_script(argv, script, timeout):
    """Boot argv, type script on its console 4 seconds later, then poweroff;
    all the kernel printed (it is killed after timeout seconds)."""
    g = Guest(argv)
    time.sleep(4)
    g.send(script)
    return g.finish(timeout)


def shell_times(out):
    """The `real` times, in seconds, that busybox `time` printed in out."""
    return [int(m) * 60 + float(s)
            for m, s in re.findall(rb"real\s+(\d+)m\s*([\d.]+)s", out)]


def keep_best(best, key, value, higher=False):
    """best[key] becomes value when it is the first or a better figure
    (lower unless higher)."""
    old = best.get(key)
    if old is None or (value > old if higher else value < old):
        best[key] = value
