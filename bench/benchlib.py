# SPDX-License-Identifier: GPL-2.0
"""What the bench drivers share: the kernels compared and the image (from
OURS, REF, IMG, ROUNDS), a kernel booted and driven through its console on
stdin/stdout, busybox `time` figures, best-of-rounds bookkeeping.

A bench in bench/NAME/NAME.py imports it with
    sys.path.insert(0, os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    import benchlib
"""
import os
import re
import subprocess
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the reference kernel's root and console, as our kernel has them by default
REF_ARGS = ["root=/dev/ubda", "init=/init", "con=null", "con0=fd:0,fd:1"]


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


class Guest:
    """A kernel started with argv, its console on stdin and stdout (stderr
    too); everything it prints is kept in self.buf."""

    def __init__(self, argv, **popen):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, **popen)
        self.buf = b""
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for chunk in iter(lambda: self.p.stdout.read1(65536), b""):
            with self.lock:
                self.buf += chunk

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def wait_for(self, pattern, timeout):
        """The first match of pattern in the output within timeout seconds;
        None if it did not come (or the kernel exited first)."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self.lock:
                m = rx.search(self.buf)
            if m:
                return m
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        return None

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
