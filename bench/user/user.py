#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/user: the cost of guest work that goes through the kernel, our
./linux beside the reference kernel, in one run, alternating.

Each round boots each kernel on a fresh copy of the root image and runs in
the guest shell:
  - uml-bench (rootfs/tests/uml-bench.c): null system call, page faults on
    fresh memory (64 MiB touched), pipe round trip between two processes,
    futex round trip between two threads of one process, fork+exit+wait,
    fork+exec+wait; each reports microseconds per operation, timed in the
    guest;
  - the older shell workloads under busybox `time` (dd with bs=1, a loop of
    /bin/true, uml-selftest fork).
Best of ROUNDS per kernel and workload; the ratio is ours / reference
(below 1: ours is faster).

Then, once per kernel, `strace -c` on the kernel process (the main thread
only, no -f) while the guest makes SYSCALLS null system calls: host system
calls per guest system call.

Environment: OURS, REF, IMG, ROUNDS (default 3), SYSCALLS (20000),
BENCH_ARGS (uml-bench arguments), STRACE (1; 0 skips that part).
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

BENCH_ARGS = os.environ.get(
    "BENCH_ARGS", "syscall 20000 fault 1 pipe 2000 futex 2000 fork 100 "
    "exec 100")
BENCH_WHAT = {
    "syscall": "null system call (getppid)",
    "fault": "page fault, 64 MiB of fresh anonymous memory written",
    "pipe": "pipe round trip between two processes",
    "futex": "futex round trip between two threads",
    "fork": "fork+exit+wait",
    "exec": "fork+exec+wait of /bin/true",
}
SHELL_WORKLOADS = [
    ("dd", "dd if=/dev/zero of=/dev/null bs=1 count=100000 2>/dev/null",
     "200,000 read+write system calls, s"),
    ("true-loop", "for i in $(seq 100); do /bin/true; done",
     "100 fork+exec of /bin/true by the shell, s"),
    ("selftest-fork", "uml-selftest fork >/dev/null",
     "200 fork+exit+wait (uml-selftest fork), s"),
]


def boot(kernel, args, img):
    g = benchlib.Guest([kernel, "ubd0=" + img, "mem=256M"] + args)
    # input typed before the shell reads its terminal may be lost: repeat
    for _ in range(60):
        g.send("echo BOOTED\"\"OK\n")
        if g.wait_for(rb"BOOTEDOK", 1):
            time.sleep(0.5)
            return g
    g.finish(5)
    return None


def run_round(kernel, args, img):
    g = boot(kernel, args, img)
    if not g:
        return {}
    cmds = "uml-bench %s\n" % BENCH_ARGS
    cmds += "".join("time sh -c '%s'\n" % w[1] for w in SHELL_WORKLOADS)
    g.send(cmds + "echo ALL\"\"DONE\n")
    g.wait_for(rb"ALLDONE", 600)
    out = g.finish()
    res = {}
    for name, per in re.findall(rb"bench (\w+) \d+ \d+ ([\d.]+)", out):
        res[name.decode()] = float(per)
    for (name, _, _), t in zip(SHELL_WORKLOADS, benchlib.shell_times(out)):
        res[name] = t
    return res


def strace_count(kernel, args, img, n):
    """Host system calls of the kernel process per guest null system call."""
    g = boot(kernel, args, img)
    if not g:
        return None
    g.send("echo READY; read x; uml-bench syscall %d; echo FIN\"\"ISHED\n" % n)
    g.wait_for(rb"READY", 30)
    time.sleep(0.5)
    st = subprocess.Popen(["strace", "-c", "-p", str(g.p.pid)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.5)                    # attached
    g.send("\n")
    ok = g.wait_for(rb"FINISHED", 600)
    st.send_signal(signal.SIGINT)
    _, err = st.communicate(timeout=30)
    g.finish()
    if not ok:
        return None
    calls = {}
    total = None
    for line in err.decode(errors="replace").splitlines():
        f = line.split()
        if len(f) >= 5 and f[-1] == "total":
            total = int(f[3])
        elif len(f) >= 5 and f[3].isdigit():
            calls[f[-1]] = int(f[3])
    if total is None:
        return None
    top = sorted(calls.items(), key=lambda kv: -kv[1])[:6]
    return total / n, ", ".join("%s %.2f" % (k, v / n) for k, v in top)


def main():
    ours, ref, img, rounds = benchlib.settings(3)
    nsys = int(os.environ.get("SYSCALLS", "20000"))
    if benchlib.missing("user", ours, ref):
        return 0
    kernels = (("ours", ours, []), ("ref", ref, benchlib.REF_ARGS))
    best = {"ours": {}, "ref": {}}
    d = tempfile.mkdtemp(prefix="bench-user-")
    copy = os.path.join(d, "root.img")
    try:
        for r in range(rounds):
            for name, kernel, args in kernels:
                shutil.copyfile(img, copy)
                res = run_round(kernel, args, copy)
                print("  round %d %-4s %s" % (r + 1, name, "  ".join(
                    "%s %.3g" % kv for kv in res.items())), flush=True)
                for k, v in res.items():
                    benchlib.keep_best(best[name], k, v)
        counts = {}
        if os.environ.get("STRACE", "1") != "0" and shutil.which("strace"):
            for name, kernel, args in kernels:
                shutil.copyfile(img, copy)
                counts[name] = strace_count(kernel, args, copy, nsys)
    finally:
        shutil.rmtree(d, ignore_errors=True)

    print("\n%-14s %10s %10s %7s  %s" % ("workload", "ours", "ref", "ratio",
                                         "(us per operation unless noted)"))
    names = list(BENCH_WHAT) + [w[0] for w in SHELL_WORKLOADS]
    what = dict(BENCH_WHAT, **{w[0]: w[2] for w in SHELL_WORKLOADS})
    for k in names:
        o, f = best["ours"].get(k), best["ref"].get(k)
        if o is None or f is None:
            print("%-14s  no figure (a kernel did not finish it)" % k)
            continue
        print("%-14s %10.2f %10.2f %7.2f  %s" % (k, o, f, o / f, what[k]))
    for name, c in counts.items():
        if c:
            print("host system calls per guest system call, %s: %.2f (%s)"
                  % (name, c[0], c[1]))
        else:
            print("host system calls per guest system call, %s: no figure"
                  % name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
