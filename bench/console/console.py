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
import select
import shutil
import statistics
import sys
import tempfile
import time
import tty

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

SIZE = 64 << 20
ECHOES = 300


class Guest(benchlib.Guest):
    def __init__(self, kernel, args, img):
        self.in_r, self.in_w = os.pipe()
        self.out_r, self.out_w = os.pipe()
        hi = [fcntl.fcntl(f, fcntl.F_DUPFD, 100)
              for f in (self.in_r, self.out_w)]

        def place():
            os.dup2(hi[0], 3)
            os.dup2(hi[1], 4)

        super().__init__([kernel, "ubd0=" + img, "mem=256M"] + args +
                         ["con1=fd:3,fd:4", "con2=pts"],
                         preexec_fn=place, pass_fds=(3, 4))
        for f in hi + [self.in_r, self.out_w]:
            os.close(f)

    def wait_for(self, pattern, timeout=60):
        m = super().wait_for(pattern, timeout)
        if not m:
            raise RuntimeError("no %r in:\n%s" % (pattern, self.buf[-2000:]))
        return m

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
    ours, ref, img, rounds = benchlib.settings(3)
    # the reference's serial lines default to BSD ptys, which this host
    # lacks: no getty on them (getty=no, read by /init)
    ref_args = benchlib.REF_ARGS + ["getty=no"]
    if benchlib.missing("console", ours, ref):
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
                benchlib.keep_best(best, (name, "MB/s"), mbs, higher=True)
                benchlib.keep_best(best, (name, "us"), us)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    o, f = [(best[(k, "MB/s")], best[(k, "us")]) for k in ("ours", "ref")]
    print("console throughput (64 MiB to con1 on a pipe): ours %.1f MB/s, "
          "reference %.1f MB/s, ratio %.2f (higher is better)" %
          (o[0], f[0], o[0] / f[0]))
    print("pty echo latency (median of %d): ours %.0f us, reference %.0f us,"
          " ratio %.2f (lower is better)" % (ECHOES, o[1], f[1], o[1] / f[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
