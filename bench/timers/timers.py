#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/timers: how late a 1 ms sleep ends, inside the guest and on the
host, in one run, alternating.

The program is rootfs/tests/timer-check.c (`timer-check sleep N [SLACK]`,
in root.img; built here for the host): N sleeps of 1 ms through each of
nanosleep, poll, select and pselect, with the default 50 us timer slack
and with 1 ns (PR_SET_TIMERSLACK), printing the median and 99th
percentile overshoot.  Kernels: ours as built, ours with timer_advance=0
(the host timer set for the due time, as before the advance), the
reference kernel (REF=, skipped when missing) and the host itself.
Best of ROUNDS medians per kernel; ratios are to the host's figure.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

N = 400
CALLS = ("nanosleep", "poll", "select", "pselect")
SLACKS = (("slack 50 us", ""), ("slack 1 ns", " 1"))


def parse(out, n=2):
    """{call: (median us, p99 us)} of each timer-check run in out, in
    order (default slack, then 1 ns): a list of n dicts, or None."""
    runs, cur = [], {}
    for m in re.finditer(rb"^sleep: (\w+) mean -?\d+ median (-?\d+) "
                         rb"p99 (-?\d+)", out, re.M):
        call = m.group(1).decode()
        if call in cur:
            runs.append(cur)
            cur = {}
        cur[call] = (int(m.group(2)), int(m.group(3)))
    if cur:
        runs.append(cur)
    return runs if len(runs) == n else None


def keep(best, name, runs):
    for i, run in enumerate(runs):
        for call, (med, p99) in run.items():
            key = (name, i, call)
            old = best.get(key)
            best[key] = (min(old[0], med), min(old[1], p99)) if old \
                else (med, p99)


def main():
    ours, ref, img, rounds = benchlib.settings(3)
    d = tempfile.mkdtemp(prefix="bench-timers-")
    best = {}
    script = "".join("timer-check sleep %d%s\n" % (N, s) for _, s in SLACKS)
    try:
        prog = os.path.join(d, "timer-check")
        subprocess.run(["gcc", "-O2", "-o", prog, os.path.join(
            benchlib.TOP, "rootfs/tests/timer-check.c")], check=True)
        kernels = [(n, k, a) for n, k, a in (
            ("ours", ours, []), ("ours-noadv", ours, ["timer_advance=0"]),
            ("ref", ref, benchlib.REF_ARGS)) if os.access(k, os.X_OK)]
        for r in range(rounds):
            for name, kernel, args in kernels:
                copy = os.path.join(d, "root.img")
                shutil.copyfile(img, copy)
                out = benchlib.run_script(
                    [kernel, "ubd0=" + copy, "mem=128M"] + args, script, 300)
                runs = parse(out)
                print("  round %d %-10s %s" % (r + 1, name, runs), flush=True)
                if runs:
                    keep(best, name, runs)
            runs = []
            for _, slack in SLACKS:
                one = parse(subprocess.run([prog, "sleep", str(N)] +
                                           slack.split(),
                                           capture_output=True).stdout, 1)
                runs = runs + one if one and runs is not None else None
            print("  round %d native     %s" % (r + 1, runs), flush=True)
            if runs and len(runs) == 2:
                keep(best, "native", runs)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    names = [n for n in ("ours", "ours-noadv", "ref", "native")
             if any(k[0] == n for k in best)]
    for i, (title, _) in enumerate(SLACKS):
        print("\nus past 1 ms, %s: median (p99), best of %d" % (title, rounds))
        print("%-10s" % "" + "".join("%16s" % n for n in names))
        for call in CALLS:
            print("%-10s" % call + "".join(
                "%16s" % ("%d (%d)" % best[(n, i, call)]
                          if (n, i, call) in best else "-") for n in names))
        for n, base in (("ours", "ref"), ("ours", "native"),
                        ("ours-noadv", "native"), ("ref", "native")):
            if not all((k, i, c) in best for k in (n, base) for c in CALLS):
                continue
            rat = [best[(n, i, c)][0] / max(best[(base, i, c)][0], 1)
                   for c in CALLS]
            print("%s/%s medians: %s" % (n, base, " ".join(
                "%.2f" % x for x in rat)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
