#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/vdso: the cost of clock_gettime(CLOCK_MONOTONIC) inside the guest,
our ./linux beside the reference kernel, in one run, alternating, and the
same program run natively on the host.

The guest program is rootfs/tests/uml-vdso.c (`uml-vdso bench N`, in
root.img): it times N calls of the vDSO's __vdso_clock_gettime (looked up
in the image AT_SYSINFO_EHDR points at), of the C library's clock_gettime,
and N/10 raw system calls, best of 5 passes, and prints ns per call.  Best
of ROUNDS boots per kernel.  Ratios are ours / reference and ours / native.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

N = 50000
FIELDS = ("vdso_ns", "libc_ns", "syscall_ns")


def parse(out):
    m = re.search(rb"vdso_ns=(-?[\d.]+) libc_ns=([\d.]+) syscall_ns=([\d.]+)",
                  out)
    return [float(x) for x in m.groups()] if m else None


def run_guest(kernel, args, img):
    # wait for the kernel to switch to the TSC clocksource (ours: before init)
    script = "sleep 1; uml-vdso bench %d\n" % N
    return parse(benchlib.run_script(
        [kernel, "ubd0=" + img, "mem=128M"] + args, script, 180))


def main():
    ours, ref, img, rounds = benchlib.settings(3)
    d = tempfile.mkdtemp(prefix="bench-vdso-")
    best = {}
    try:
        prog = os.path.join(d, "uml-vdso")
        subprocess.run(["gcc", "-static", "-O2", "-o", prog,
                        os.path.join(benchlib.TOP, "rootfs/tests/uml-vdso.c")],
                       check=True)
        kernels = [(n, k, a) for n, k, a in (("ours", ours, []),
                                             ("ref", ref, benchlib.REF_ARGS))
                   if os.access(k, os.X_OK)]
        for r in range(rounds):
            for name, kernel, args in kernels:
                copy = os.path.join(d, "root.img")
                shutil.copyfile(img, copy)
                t = run_guest(kernel, args, copy)
                print("  round %d %-6s %s" % (r + 1, name, t), flush=True)
                if t:
                    best[name] = [min(a, b) for a, b in
                                  zip(best.get(name, t), t)]
            t = parse(subprocess.run([prog, "bench", str(N)],
                                     capture_output=True).stdout)
            print("  round %d native %s" % (r + 1, t), flush=True)
            if t:
                best["native"] = [min(a, b) for a, b in
                                  zip(best.get("native", t), t)]
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("\nns per clock_gettime(CLOCK_MONOTONIC), best of %d" % rounds)
    print("%-10s %10s %10s %10s" % ("", "ours", "ref", "native"))
    for i, f in enumerate(FIELDS):
        row = [best.get(k, [None] * 3)[i] for k in ("ours", "ref", "native")]
        print("%-10s %s" % (f, " ".join(
            "%10.1f" % x if x is not None and x >= 0 else "%10s" % "-"
            for x in row)))
    o, f, n = (best.get(k, [None])[0] for k in ("ours", "ref", "native"))
    if o and f:
        print("vDSO clock_gettime: ours/ref %.3f" % (o / f))
    if o and n:
        print("vDSO clock_gettime: ours/native %.2f" % (o / n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
