#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/console: consoles, our ./linux beside the reference kernel, in one
run, alternating, best of ROUNDS.

throughput: the guest writes 64 MiB (dd from /dev/zero) to con1, which is
            fd:3,fd:4 on pipes; the host reads the pipe; MB/s from the
            first byte to the last.
latency:    con2=pts; the host opens the pty in raw mode, a guest `cat`
            sends every byte back (the line raw too); the time from
            writing one byte on the host to reading it back, in µs
            (median of 300).
Both kernels get the same channels with the same syntax.
"""
import fcntl
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tty

SIZE = 64 << 20
ECHOES = 300


class Guest:
    def __init__(self, kernel, args, img):
        self.in_r, self.in_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        hi = [fcntl.fcntl(f, fcntl.F_DUPFD, 100)
              for f in (self.in_r, self.out_w)]

        def place():
            os.dup2(hi[0], 3)
            os.dup2(hi[1], 4)

        self.p = subprocess.Popen(
            [kernel, "ubd0=" + img, "mem=256M"] + args +
            ["con1=fd:3,fd:4", "con2=pts"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, preexec_fn=place, pass_fds=(3, 4))
        for f in hi + [self.in_r, self.out_w]:
            os.close(f)
        self.log = b""
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for chunk in iter(lambda: self.p.stdout.read1(65536), b""):
            self.log += chunk

    def wait_for(self, pattern, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            m = re.search(pattern, self.log)
            if m:
                return m
            time.sleep(0.05)
        raise RuntimeError("no %r in:\n%s" % (pattern, self.log[-2000:]))

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def throughput(self):
        self.send("dd if=/dev/zero bs=64k count=%d > /dev/tty1 2>/dev/null\n"
                  % (SIZE >> 16))
        got, t0 = 0, None
        end = time.monotonic() + 120
        while got < SIZE and time.monotonic() < end:
            if select.select([self.out_r], [], [], 1)[0]:
                n = len(os.read(self.out_r, 1 << 20))
                if t0 is None:
                    t0 = time.monotonic()
                got += n
        if got < SIZE:
            raise RuntimeError("only %d bytes came" % got)
        return SIZE / (time.monotonic() - t0) / 1e6

    def latency(self):
        # the reference opens (and names) the pty when the guest does
        self.send("stty -F /dev/tty2 raw -echo; cat /dev/tty2 > /dev/tty2 &\n")
        m = self.wait_for(rb"(?:tty2: on host pseudo-terminal |"
                          rb"Virtual console 2 assigned device ')"
                          rb"(/dev/pts/\d+)")
        fd = os.open(m.group(1), os.O_RDWR | os.O_NOCTTY)
        try:
            tty.setraw(fd)
            time.sleep(1.5)
            samples = []
            for _ in range(ECHOES):
                t0 = time.perf_counter()
                os.write(fd, b"x")
                if not select.select([fd], [], [], 5)[0]:
                    raise RuntimeError("no echo")
                os.read(fd, 64)
                samples.append((time.perf_counter() - t0) * 1e6)
            return statistics.median(samples)
        finally:
            os.close(fd)

    def close(self):
        try:
            self.send("poweroff\n")
            self.p.wait(timeout=30)
        except Exception:
            self.p.kill()
            self.p.wait()
        for f in (self.in_w, self.out_r):
            os.close(f)


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ours = os.environ.get("OURS", os.path.join(top, "linux"))
    ref = os.environ.get("REF", os.path.join(top, "build/ref-obj/linux"))
    img = os.environ.get("IMG", os.path.join(top, "root.img"))
    rounds = int(os.environ.get("ROUNDS", "3"))
    # the reference's serial lines default to BSD ptys, which this host
    # lacks: no getty on them (getty=no, read by /init)
    ref_args = ["root=/dev/ubda", "init=/init", "con=null", "con0=fd:0,fd:1",
                "getty=no"]
    for k in (ours, ref):
        if not os.access(k, os.X_OK):
            print("bench/console: %s missing, skipped" % k)
            return 0
    best = {}
    d = tempfile.mkdtemp(prefix="bench-console-")
    try:
        for r in range(rounds):
            for name, kernel, args in (("ours", ours, ["getty=no"]),
                                       ("ref", ref, ref_args)):
                copy = os.path.join(d, "root.img")
                shutil.copyfile(img, copy)
                g = Guest(kernel, args, copy)
                try:
                    g.wait_for(rb"# ")
                    time.sleep(1)
                    mbs = g.throughput()
                    us = g.latency()
                finally:
                    g.close()
                print("  round %d %-4s %7.1f MB/s %8.1f us" %
                      (r + 1, name, mbs, us), flush=True)
                b = best.get(name)
                best[name] = (max(b[0], mbs), min(b[1], us)) if b else \
                    (mbs, us)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    o, f = best["ours"], best["ref"]
    print("console throughput (64 MiB to con1 on a pipe): ours %.1f MB/s, "
          "reference %.1f MB/s, ratio %.2f (higher is better)" %
          (o[0], f[0], o[0] / f[0]))
    print("pty echo latency (median of %d): ours %.0f us, reference %.0f us,"
          " ratio %.2f (lower is better)" % (ECHOES, o[1], f[1], o[1] / f[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
