#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Boot benchmark: our kernel beside the reference kernel, in one run.

For each kernel, ROUNDS boots, alternating (ours, ref, ours, ref, ...), each
from a fresh copy of the root image:
  (a) boot time: from just before exec to the console line
      "VFS: Mounted root" (CLOCK_MONOTONIC, read as the output arrives);
      best of ROUNDS, median beside it;
  (b) memory: IDLE seconds after that line, the sum of Pss over
      /proc/PID/smaps_rollup of the kernel process and all its descendants
      (each address space counted once: processes sharing one mm, e.g.
      CLONE_VM helper threads, are found with kcmp(KCMP_VM)); median.
      Beside it the same without Pss_File, the file-backed pages (the
      kernel binary's text and clean data, the C library): those are page
      cache shared by every process that maps the same file, so their
      share depends on how many VMs of that binary run at the moment (all
      of it for a lone VM, next to nothing among hundreds); the rest
      (guest memory, written data, heap) is what each VM adds.
Then "poweroff" is typed on the console; a kernel that does not exit within
a few seconds is killed.

Each kernel is measured as users run it (host ASLR on) and, with --aslr both
(the default), also with ASLR off for it (personality ADDR_NO_RANDOMIZE, as
`setarch -R`): where a kernel's memory layout follows the randomized brk,
its PSS varies from boot to boot with the layout, and the ASLR-off figures
show the floor.  Command line of every boot:
  KERNEL ubd0=IMG mem=256M root=/dev/ubda init=/init EXTRA
with EXTRA per kernel (--ours-args, --ref-args), since our kernel may not
understand the same console options as the reference yet.
"""
import argparse
import ctypes
import json
import os
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

MOUNT_LINE = b"VFS: Mounted root"
SYS_KCMP = 312          # x86_64
KCMP_VM = 1

ADDR_NO_RANDOMIZE = 0x0040000

_libc = ctypes.CDLL(None, use_errno=True)


def no_aslr():
    """preexec_fn: turn off address space randomization for the child."""
    cur = _libc.personality(0xffffffff)
    _libc.personality(cur | ADDR_NO_RANDOMIZE)


def same_mm(a, b):
    """True when processes a and b share one address space."""
    return _libc.syscall(SYS_KCMP, a, b, KCMP_VM, 0, 0) == 0


def children_map():
    kids = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d, "rb") as f:
                s = f.read()
        except OSError:
            continue
        # the command name may contain spaces and parentheses
        ppid = int(s[s.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree_pids(root):
    kids = children_map()
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rollup(pid):
    vals = {}
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
                    vals[parts[0][:-1]] = int(parts[1])
    except OSError:
        return None
    return vals


def tree_pss(root):
    """(total Pss kB, its file-backed part Pss_File kB, number of processes,
    number of address spaces)."""
    pids = tree_pids(root)
    counted = []
    total = file_kb = 0
    for p in pids:
        if any(same_mm(p, q) for q in counted):
            continue
        r = rollup(p)
        if r is None or "Pss" not in r:
            continue        # kernel thread without mm, or gone
        counted.append(p)
        total += r["Pss"]
        file_kb += r.get("Pss_File", 0)
    return total, file_kb, len(pids), len(counted)


class Boot:
    """One boot of a kernel; output is drained by a thread."""

    def __init__(self, kernel, img, extra, log, aslr=True):
        self.argv = [kernel, "ubd0=" + img, "mem=256M", "root=/dev/ubda",
                     "init=/init"] + extra
        self.log = log
        self.out = bytearray()
        self.mounted = None
        self.cond = threading.Condition()
        self.t0 = time.monotonic()
        self.p = subprocess.Popen(self.argv, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT,
                                  start_new_session=True,
                                  preexec_fn=None if aslr else no_aslr)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        fd = self.p.stdout.fileno()
        while True:
            try:
                b = os.read(fd, 65536)
            except OSError:
                b = b""
            now = time.monotonic()
            with self.cond:
                if not b:
                    self.cond.notify_all()
                    return
                self.out += b
                if self.mounted is None and MOUNT_LINE in self.out:
                    self.mounted = now - self.t0
                self.cond.notify_all()

    def wait_mounted(self, timeout):
        end = time.monotonic() + timeout
        with self.cond:
            while self.mounted is None and self.p.poll() is None:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self.cond.wait(left)
            return self.mounted

    def finish(self, timeout=10):
        try:
            self.p.stdin.write(b"\npoweroff\n")
            self.p.stdin.flush()
        except OSError:
            pass
        try:
            rc = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            rc = None
        try:
            os.killpg(self.p.pid, signal.SIGKILL)   # helpers left behind
        except ProcessLookupError:
            pass
        if rc is None:
            self.p.wait()
        self.reader.join(5)
        with open(self.log, "ab") as f:
            f.write(b"=== %s\n" % " ".join(self.argv).encode())
            f.write(bytes(self.out))
            f.write(b"\n=== exit %s\n" % str(rc).encode())
        return rc


def fmt_ms(x):
    return "-" if x is None else "%.0f ms" % (x * 1000)


def fmt_mb(kb):
    return "-" if kb is None else "%.1f MiB" % (kb / 1024)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ours", default="./linux")
    ap.add_argument("--ref", default="build/ref-obj/linux")
    ap.add_argument("--img", default="root.img")
    ap.add_argument("--ours-args", default="con=null con0=fd:0,fd:1")
    ap.add_argument("--ref-args", default="con=null con0=fd:0,fd:1")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--idle", type=float, default=3.0)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--aslr", choices=("on", "off", "both"), default="both")
    ap.add_argument("--out", default="build/bench/boot")
    a = ap.parse_args()

    os.makedirs(a.out, exist_ok=True)
    log = os.path.join(a.out, "console.log")
    open(log, "w").close()
    kernels = []
    for name, k, extra in (("ours", a.ours, a.ours_args), ("ref", a.ref, a.ref_args)):
        if os.access(k, os.X_OK):
            kernels.append((name, os.path.abspath(k), shlex.split(extra)))
        else:
            print("bench/boot: %s kernel %s missing, skipped" % (name, k))
    if not kernels or not os.path.exists(a.img):
        print("bench/boot: nothing to measure (kernels or %s missing)" % a.img)
        return 1

    modes = {"on": [True], "off": [False], "both": [True, False]}[a.aslr]
    summary = {}
    bad = False
    for aslr in modes:
        tag = "aslr-on" if aslr else "aslr-off"
        print("--- host ASLR %s" % ("on (as users run it)" if aslr else "off (setarch -R)"))
        s, b = measure(a, kernels, log, aslr)
        summary[tag] = s
        bad = bad or b
    with open(os.path.join(a.out, "results.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print("console output: %s; figures: %s" % (log, os.path.join(a.out, "results.json")))
    return 1 if bad else 0


def measure(a, kernels, log, aslr):
    tmp = tempfile.mkdtemp(prefix="bench-boot-")
    res = {n: {"boot": [], "pss": [], "pss_vm": [], "procs": [], "exit": []}
           for n, _, _ in kernels}
    try:
        for r in range(a.rounds):
            for name, k, extra in kernels:
                img = os.path.join(tmp, "root-%s.img" % name)
                shutil.copyfile(a.img, img)
                b = Boot(k, img, extra, log, aslr)
                t = b.wait_mounted(a.timeout)
                pss = pss_vm = None
                if t is not None:
                    time.sleep(a.idle)
                    if b.p.poll() is None:
                        pss, pss_file, nproc, nmm = tree_pss(b.p.pid)
                        pss_vm = pss - pss_file
                        res[name]["procs"].append((nproc, nmm))
                rc = b.finish()
                res[name]["boot"].append(t)
                res[name]["pss"].append(pss)
                res[name]["pss_vm"].append(pss_vm)
                res[name]["exit"].append(rc)
                print("  round %d %-4s  mounted root %-8s  PSS %-10s  "
                      "without files %-10s  exit %s"
                      % (r + 1, name, fmt_ms(t), fmt_mb(pss), fmt_mb(pss_vm),
                         rc), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    summary = {}
    print()
    print("%-5s %-10s %-12s %-12s %-22s %-14s %s" % (
        "", "boot best", "boot median", "PSS median", "PSS min..max",
        "w/o files", "kernel"))
    for name, k, extra in kernels:
        boots = [x for x in res[name]["boot"] if x is not None]
        psss = [x for x in res[name]["pss"] if x is not None]
        vms = [x for x in res[name]["pss_vm"] if x is not None]
        s = {"kernel": k, "args": extra, "aslr": aslr,
             "boot_best": min(boots) if boots else None,
             "boot_median": statistics.median(boots) if boots else None,
             "pss_median_kb": statistics.median(psss) if psss else None,
             "pss_min_kb": min(psss) if psss else None,
             "pss_max_kb": max(psss) if psss else None,
             "pss_vm_median_kb": statistics.median(vms) if vms else None,
             "failed_boots": len(res[name]["boot"]) - len(boots),
             "raw": res[name]}
        summary[name] = s
        print("%-5s %-10s %-12s %-12s %-22s %-14s %s %s" % (
            name, fmt_ms(s["boot_best"]), fmt_ms(s["boot_median"]),
            fmt_mb(s["pss_median_kb"]),
            "%s..%s" % (fmt_mb(s["pss_min_kb"]), fmt_mb(s["pss_max_kb"])),
            fmt_mb(s["pss_vm_median_kb"]), k, " ".join(extra)))
    o, r = summary.get("ours"), summary.get("ref")
    if o and r:
        def ratio(x, y):
            return "-" if not x or not y else "%.2f" % (x / y)
        print("ratio ours/ref: boot %s (best), PSS %s (median)  (goal: <= 1.00 for both)" % (
            ratio(o["boot_best"], r["boot_best"]),
            ratio(o["pss_median_kb"], r["pss_median_kb"])))
    print()
    return summary, any(s["failed_boots"] for s in summary.values())


if __name__ == "__main__":
    sys.exit(main())
