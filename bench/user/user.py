#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/user: system-call and process-creation cost inside the guest,
our ./linux beside the reference kernel, in one run, alternating.

Each round boots each kernel on a fresh copy of the root image, runs the
workloads in the guest shell under busybox `time`, and powers off.  Best
of ROUNDS per kernel and workload; the ratio is ours / reference.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

WORKLOADS = [
    ("syscalls", "dd if=/dev/zero of=/dev/null bs=1 count=100000 2>/dev/null",
     "200,000 read+write system calls"),
    ("fork+exec", "for i in $(seq 100); do /bin/true; done",
     "100 fork+exec+exit+wait of /bin/true"),
    ("fork", "uml-selftest fork >/dev/null",
     "200 fork+exit+wait of a static program"),
]


def run_guest(kernel, args, img):
    cmds = "".join("time sh -c '%s'\n" % w[1] for w in WORKLOADS) + "poweroff\n"
    p = subprocess.Popen([kernel, "ubd0=" + img, "mem=256M"] + args,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    time.sleep(4)                      # boot to the shell
    # stdin stays open until the kernel exits: the classic console
    # throws away unread input at end of file
    p.stdin.write(cmds.encode())
    p.stdin.flush()
    chunks = []
    reader = threading.Thread(target=lambda: chunks.extend(iter(
        lambda: p.stdout.read1(65536), b"")), daemon=True)
    reader.start()
    try:
        p.wait(timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    reader.join(10)
    p.stdin.close()
    out = b"".join(chunks)
    times = re.findall(rb"real\s+(\d+)m\s*([\d.]+)s", out)
    return [int(m) * 60 + float(s) for m, s in times]


def main():
    top = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ours = os.environ.get("OURS", os.path.join(top, "linux"))
    ref = os.environ.get("REF", os.path.join(top, "build/ref-obj/linux"))
    img = os.environ.get("IMG", os.path.join(top, "root.img"))
    rounds = int(os.environ.get("ROUNDS", "3"))
    ref_args = ["root=/dev/ubda", "init=/init", "con=null", "con0=fd:0,fd:1"]
    for k in (ours, ref):
        if not os.access(k, os.X_OK):
            print("bench/user: %s missing, skipped" % k)
            return 0
    best = {"ours": [None] * len(WORKLOADS), "ref": [None] * len(WORKLOADS)}
    d = tempfile.mkdtemp(prefix="bench-user-")
    try:
        for r in range(rounds):
            for name, kernel, args in (("ours", ours, []), ("ref", ref, ref_args)):
                copy = os.path.join(d, "root.img")
                shutil.copyfile(img, copy)
                t = run_guest(kernel, args, copy)
                print("  round %d %-4s %s" % (r + 1, name,
                      "  ".join("%.2fs" % x for x in t)), flush=True)
                for i, x in enumerate(t[:len(WORKLOADS)]):
                    b = best[name][i]
                    best[name][i] = x if b is None else min(b, x)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("\n%-10s %9s %9s %7s  %s" % ("workload", "ours", "ref", "ratio", ""))
    for i, (name, _, what) in enumerate(WORKLOADS):
        o, f = best["ours"][i], best["ref"][i]
        if o is None or f is None:
            print("%-10s  no figure (a kernel did not finish it)" % name)
            continue
        print("%-10s %8.2fs %8.2fs %7.2f  %s" % (name, o, f, o / f, what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
