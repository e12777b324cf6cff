#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/hostfs: a build-like workload on hostfs and on a ubd disk, our
./linux beside the reference kernel, in one run, alternating.

The workload: untar a source tree (a slice of the kernel source, the same
tarball for every run), find every file, stat every file, read every file.
It runs in the guest shell under busybox `time`, on a hostfs mount of a
scratch host directory and on an ext4 scratch disk (ubd1).  Best of ROUNDS;
the ratio is ours / reference (below 1: ours is faster).
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

STEPS = [
    ("untar", "tar xf {src} -C {dst}"),
    ("find", "find {dst} | wc -l"),
    ("stat", "find {dst} -type f -exec stat -c %s {{}} + | wc -l"),
    ("read", "find {dst} -type f | xargs cat | wc -c"),
]
TREE = ["fs/ext4", "fs/btrfs", "fs/nfs", "include/linux", "kernel"]


def run_guest(kernel, args, script):
    out = benchlib.run_script([kernel, "mem=256M"] + args, script, 600)
    return benchlib.shell_times(out), out


def main():
    ours, ref, img, rounds = benchlib.settings(3)
    if benchlib.missing("hostfs", ours, ref):
        return 0
    d = tempfile.mkdtemp(prefix="bench-hostfs-")
    try:
        tarball = os.path.join(d, "src.tar")
        subprocess.run(["tar", "-cf", tarball, "-C",
                        os.path.join(benchlib.TOP, "build/src")] + TREE,
                       check=True)
        nfiles = int(subprocess.run(["sh", "-c", "tar tf %s | wc -l" % tarball],
                                    capture_output=True, text=True).stdout)
        print("bench/hostfs: %d entries, %d MiB tarball" %
              (nfiles, os.path.getsize(tarball) >> 20))
        best = {}
        for r in range(rounds):
            for fs in ("hostfs", "ubd"):
                for name, kernel, extra in (("ours", ours, []),
                                            ("ref", ref, benchlib.REF_ARGS)):
                    root = os.path.join(d, "root.img")
                    shutil.copyfile(img, root)
                    share = os.path.join(d, "share")
                    shutil.rmtree(share, ignore_errors=True)
                    os.mkdir(share)
                    shutil.copyfile(tarball, os.path.join(share, "src.tar"))
                    args = ["ubd0=" + root] + extra
                    if fs == "hostfs":
                        if name == "ours":
                            args.append("hostfs=" + share)
                        mnt = ("mkdir -p /mnt/x && mount -t hostfs none "
                               "/mnt/x -o %s\n" % share)
                    else:
                        disk = os.path.join(d, "scratch.img")
                        if os.path.exists(disk):
                            os.unlink(disk)
                        subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4",
                                        "-d", share, disk, "512M"],
                                       check=True)
                        args.append("ubd1=" + disk)
                        mnt = "mkdir -p /mnt/x && mount /dev/ubdb /mnt/x\n"
                    script = mnt + "mkdir -p /mnt/x/work\n" + "".join(
                        "time sh -c '%s'\n" % s.format(src="/mnt/x/src.tar",
                                                      dst="/mnt/x/work")
                        for _, s in STEPS) + "umount /mnt/x\n"
                    t, out = run_guest(kernel, args, script)
                    print("  round %d %-6s %-4s %s" % (
                        r + 1, fs, name, "  ".join("%.2fs" % x for x in t)),
                        flush=True)
                    for i, x in enumerate(t[:len(STEPS)]):
                        benchlib.keep_best(best, (fs, name, i), x)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("\n%-6s %-6s %9s %9s %7s" % ("fs", "step", "ours", "ref", "ratio"))
    for fs in ("hostfs", "ubd"):
        for i, (step, _) in enumerate(STEPS):
            o, f = best.get((fs, "ours", i)), best.get((fs, "ref", i))
            if o is None or f is None:
                print("%-6s %-6s  no figure" % (fs, step))
                continue
            print("%-6s %-6s %8.2fs %8.2fs %7.2f" % (fs, step, o, f,
                                                      o / f if f else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
