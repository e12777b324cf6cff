#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/smp: what more than one virtual CPU gives and costs.

Each round boots our ./linux with ncpus=1 and with ncpus=2 (NCPUS), and
BASE too when it names another kernel (e.g. a build of main before SMP was
built in), each on a fresh copy of the root image, alternating, and runs
in the guest shell:
  - uml-bench: null system call, page faults on fresh memory, fork+exit+wait,
    fork+exec+wait (bench/user's workloads), single-threaded: what SMP costs;
  - uml-smp work 2 N: two CPU-bound threads (ms of wall time), also run on
    the host (the same program, built here): what SMP gives;
  - uml-smp migrate: one thread moved between CPU 0 and 1, running user code
    on each (us per move: the hand-over of its host process);
  - make -j2 of a small C project (8 files) with gcc on build/distro.img
    (ms, guest clock), also run on the host.
Best of ROUNDS; ratios against ncpus=1 (above 1: slower).

Environment: OURS, IMG, ROUNDS (default 3), BASE, NCPUS (2), SMP_ARGS
(extra arguments of the SMP boots, default none: both kernels run with the
same defaults, pin=on; "pin=off" lets the host place CPU 0's thread too).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "user"))
os.environ.setdefault("BENCH_ARGS", "syscall 20000 fault 1 fork 100 exec 100")
import benchlib  # noqa: E402
import user  # noqa: E402

WHAT = ["syscall", "fault", "fork", "exec", "threads", "migrate", "make"]
WORK = int(os.environ.get("SMP_WORK", "200"))


def smp_round(kernel, args, img):
    """Two CPU-bound threads' wall time (ms) and a migration (us)."""
    g = user.boot(kernel, args, img)
    if not g:
        return {}
    g.send("uml-smp work 2 %d; uml-smp migrate 2000; echo SMP\"\"DONE\n" % WORK)
    g.wait_for(rb"SMPDONE", 600)
    out = g.finish()
    res = {}
    m = re.search(rb"work 2 threads (\d+) ms", out)
    if m:
        res["threads"] = float(m.group(1))
    m = re.search(rb"migrate (\d+) ns", out)	# none with one CPU
    if m:
        res["migrate"] = float(m.group(1)) / 1000
    return res


DISTRO = os.environ.get("DISTRO", os.path.join(HERE, "..", "..", "build",
                                             "distro.img"))


# A small C project: 8 files of 120 arithmetic functions each and a
# Makefile, written by the shell (typing the files through the console
# would take longer than building them).
PROJECT = r"""mkdir -p /tmp/p && cd /tmp/p && for n in 0 1 2 3 4 5 6 7; do i=0; \
while [ $i -lt 120 ]; do printf 'long f%d_%d(long x)\n{\n\tlong s = x;\n\tfor (int i = 0; i < x; i++)\n\t\ts = s * %d + (s >> %d) + i;\n\treturn s;\n}\n' \
$n $i $((3 + i)) $((1 + i % 7)); i=$((i + 1)); done > f$n.c; done; \
printf 'all: f0.o f1.o f2.o f3.o f4.o f5.o f6.o f7.o\n%%.o: %%.c\n\tgcc -O2 -c $< -o $@\n' > Makefile
"""


def make_round(kernel, args):
    """Wall time (ms, guest clock) of make -j2 on the Debian image."""
    if not os.path.exists(DISTRO):
        return {}
    g = benchlib.Guest([kernel, "ubd0r=" + DISTRO, "mem=512M"] + args)
    for _ in range(120):
        g.send("echo BOOTED\"\"OK\n")
        if g.wait_for(rb"BOOTEDOK", 1):
            break
    # busybox's date has no %N: the guest's uptime, in 10 ms steps
    g.send(PROJECT + "command -v make >/dev/null || echo NO\"\"MAKE; "
           "s=$(cut -d' ' -f1 /proc/uptime); make -s -j2; "
           "e=$(cut -d' ' -f1 /proc/uptime); "
           "echo MAKE $(awk \"BEGIN { print int(($e - $s) * 1000) }\") ms; "
           "echo MAKE\"\"DONE\n")
    g.wait_for(rb"MAKEDONE", 600)
    out = g.finish()
    m = re.search(rb"MAKE (\d+) ms", out)
    return {"make": float(m.group(1))} if m else {}


def host_make():
    """The same make -j2 on the host, in ms."""
    d = tempfile.mkdtemp(prefix="bench-smp-make-")
    try:
        script = PROJECT.replace("/tmp/p", d)
        if subprocess.call(["sh", "-c", script]):
            return None
        t = time.time()
        if subprocess.call(["make", "-s", "-j2", "-C", d]):
            return None
        return (time.time() - t) * 1000
    finally:
        shutil.rmtree(d, ignore_errors=True)


def host_threads():
    """The same two-thread program on the host, in ms."""
    d = tempfile.mkdtemp(prefix="bench-smp-host-")
    exe = os.path.join(d, "uml-smp")
    try:
        src = os.path.join(HERE, "..", "..", "rootfs", "tests", "uml-smp.c")
        if subprocess.call(["gcc", "-O2", "-pthread", "-o", exe, src]):
            return None
        out = subprocess.run([exe, "work", "2", str(WORK)],
                             capture_output=True, text=True).stdout
        m = re.search(r"work 2 threads (\d+) ms", out)
        return float(m.group(1)) if m else None
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    ours, _, img, rounds = benchlib.settings(3)
    base = os.environ.get("BASE", "")
    ncpus = os.environ.get("NCPUS", "2")
    smp_args = os.environ.get("SMP_ARGS", "").split()
    if benchlib.missing("smp", ours):
        return 0
    kernels = [("ncpus=1", ours, []),
               ("ncpus=" + ncpus, ours, ["ncpus=" + ncpus] + smp_args)]
    if base and os.access(base, os.X_OK):
        kernels.append(("base", base, []))
    best = {k[0]: {} for k in kernels}
    d = tempfile.mkdtemp(prefix="bench-smp-")
    copy = os.path.join(d, "root.img")
    try:
        for r in range(rounds):
            for name, kernel, args in kernels:
                shutil.copyfile(img, copy)
                res = user.run_round(kernel, args, copy)
                shutil.copyfile(img, copy)
                res.update(smp_round(kernel, args, copy))
                res.update(make_round(kernel, args))
                print("  round %d %-8s %s" % (r + 1, name, "  ".join(
                    "%s %.3g" % kv for kv in res.items())), flush=True)
                for k, v in res.items():
                    benchlib.keep_best(best[name], k, v)
    finally:
        shutil.rmtree(d, ignore_errors=True)

    host = host_threads()
    hmake = host_make()
    one = best["ncpus=1"]
    print("\n%-9s" % "workload" + "".join("%12s" % k[0] for k in kernels) +
          "  ratios to ncpus=1 (us per operation; threads: ms)")
    for w in WHAT:
        row = "%-9s" % w
        ratios = []
        for name, _, _ in kernels:
            v = best[name].get(w)
            row += "%12s" % ("-" if v is None else "%.2f" % v)
            if v is not None and one.get(w) and name != "ncpus=1":
                ratios.append("%s %.2f" % (name, v / one[w]))
        print(row + "  " + ", ".join(ratios))
    two = best.get("ncpus=" + ncpus, {}).get("threads")
    if host and two:
        print("threads on the host: %.0f ms; ncpus=%s against the host: %.2f"
              % (host, ncpus, two / host))
    mk = best.get("ncpus=" + ncpus, {}).get("make")
    if hmake and mk:
        print("make -j2 on the host: %.0f ms; ncpus=%s against the host: %.2f"
              % (hmake, ncpus, mk / hmake))
    return 0


if __name__ == "__main__":
    sys.exit(main())
