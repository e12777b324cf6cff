#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/block: the guest's disk, our ./linux beside the reference kernel.

Each round boots each kernel (alternating) with a data disk ubd1 on the
same host file (SIZE MiB of random data), runs blkbench (rootfs/tests/
blkbench.c) in the guest for each workload, and powers off.  The same
program, built for the host, runs on the host file itself: the ceiling
(through the host's page cache, as both kernels do their host I/O; the
host file is read once before each run so every run starts cached).
Best of ROUNDS; the ratio is ours / reference (for fsync latency,
reference / ours), so above 1 means ours is better on every line.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402
from benchlib import TOP  # noqa: E402
sys.path.insert(0, os.path.join(TOP, "tests"))
import umltest  # noqa: E402

WORKLOADS = [
    ("seqread", "MB/s", "1 MiB O_DIRECT reads"),
    ("seqwrite", "MB/s", "1 MiB O_DIRECT writes"),
    ("randread1", "IOPS", "4 KiB random reads, QD1"),
    ("randwrite1", "IOPS", "4 KiB random writes, QD1"),
    ("randread32", "IOPS", "4 KiB random reads, QD32 (AIO)"),
    ("randwrite32", "IOPS", "4 KiB random writes, QD32 (AIO)"),
    ("fsync", "us", "4 KiB write + fdatasync, latency"),
]
SECS = float(os.environ.get("SECS", "2"))
SIZE = int(os.environ.get("SIZE", "128"))


def guest(kernel, extra, img, data):
    c = umltest.Console([kernel, "ubd0=" + img, "ubd1=" + data, "mem=256M"]
                        + extra)
    c.expect(umltest.Console.PROMPT, timeout=60)
    res = {}
    for name, _, _ in WORKLOADS:
        st, out = c.sh("blkbench %s /dev/ubdb %d %s" % (name, SIZE, SECS),
                       timeout=120)
        m = re.search(r"%s ([\d.]+)" % name, out)
        if st == 0 and m:
            res[name] = float(m.group(1))
        else:
            print("  %s failed: %s" % (name, out.strip()[-200:]))
    c.send("poweroff\n")
    c.wait(60)
    return res


def warm(path):
    with open(path, "rb") as f:
        while f.read(1 << 20):
            pass


def host(tool, data):
    warm(data)
    res = {}
    for name, _, _ in WORKLOADS:
        out = subprocess.run([tool, name, data, str(SIZE), str(SECS),
                              "cached"],
                             capture_output=True, text=True).stdout
        m = re.search(r"%s ([\d.]+)" % name, out)
        if m:
            res[name] = float(m.group(1))
    return res


def main():
    ours, ref, img, rounds = benchlib.settings(2)
    if benchlib.missing("block", ours, ref):
        return 0
    d = tempfile.mkdtemp(prefix="bench-block-")
    best = {"ours": {}, "ref": {}, "host": {}}
    try:
        tool = os.path.join(d, "blkbench")
        subprocess.run(["gcc", "-O2", "-o", tool,
                        os.path.join(TOP, "rootfs/tests/blkbench.c")],
                       check=True)
        data = os.path.join(d, "data.img")
        with open(data, "wb") as f:
            for _ in range(SIZE):
                f.write(os.urandom(1 << 20))
        for r in range(rounds):
            for name, kernel, args in (("ours", ours, []),
                                       ("ref", ref, benchlib.REF_ARGS)):
                copy = os.path.join(d, "root.img")
                shutil.copyfile(img, copy)
                warm(data)
                res = guest(kernel, args, copy, data)
                print("  round %d %-4s %s" % (r + 1, name, "  ".join(
                    "%s=%g" % kv for kv in res.items())), flush=True)
                for k, v in res.items():
                    benchlib.keep_best(best[name], k, v, higher=k != "fsync")
            subprocess.run(["sync"])
        best["host"] = host(tool, data)
    finally:
        umltest.cleanup()
        shutil.rmtree(d, ignore_errors=True)
    print("\n%-12s %10s %10s %10s %7s  %s" % ("workload", "ours", "ref",
                                              "host file", "ratio", ""))
    for name, unit, what in WORKLOADS:
        o, f, h = (best[x].get(name) for x in ("ours", "ref", "host"))
        if o is None or f is None:
            print("%-12s  no figure (a kernel did not finish it)" % name)
            continue
        ratio = f / o if name == "fsync" else o / f
        print("%-12s %10.1f %10.1f %10s %7.2f  %s, %s" % (
            name, o, f, "%.1f" % h if h else "-", ratio, unit, what))
    return 0


if __name__ == "__main__":
    sys.exit(main())
