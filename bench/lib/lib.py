# SPDX-License-Identifier: GPL-2.0
"""bench/lib: copy a tree into a fresh ext4 image four ways.

The tree: SMALL small files (100 to 4000 bytes, in directories of 100) and
one file of BIG_MB MiB.  Each way starts from the same fresh image
(mke2fs -t ext4) and ends with everything on the image file (synced,
unmounted):

  uml-cp    tools/uml-cp/uml-cp -r (the kernel as a library)
  fuse2fs   fuse2fs mounted on a directory, cp -r, fusermount3 -u
  e2tools   e2mkdir and e2cp (a directory per call)
  loop      mount -o loop (root), cp -r, umount: the host kernel itself

Times are the best of ROUNDS rounds, the ways alternating within a round;
the report gives each as a ratio to uml-cp.  Also the library's start-up
time to a mounted filesystem (tests/lib/api_test's start-ms, and the CPU
time the process spent on it, start-cpu-ms: all threads, the kernel's
included), best of STARTS runs, with liblinux.a and with liblinux.so.1.
Environment: SMALL (10000), BIG_MB (1024), ROUNDS (1), WAYS (all; "none"
for the start-up alone), STARTS (20).
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
UML_CP = os.path.join(TOP, "tools", "uml-cp", "uml-cp")
SMALL = int(os.environ.get("SMALL", "10000"))
BIG_MB = int(os.environ.get("BIG_MB", "1024"))
ROUNDS = int(os.environ.get("ROUNDS", "1"))
WAYS = [w for w in os.environ.get("WAYS", "uml-cp fuse2fs e2tools loop")
        .split() if w != "none"]
STARTS = int(os.environ.get("STARTS", "20"))


def make_tree(root):
    rnd = random.Random(1)
    src = os.path.join(root, "tree")
    for i in range(SMALL):
        d = os.path.join(src, "d%03d" % (i // 100))
        if i % 100 == 0:
            os.makedirs(d)
        with open(os.path.join(d, "f%05d" % i), "wb") as f:
            f.write(rnd.randbytes(rnd.randint(100, 4000)))
    with open(os.path.join(src, "big"), "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(BIG_MB):
            f.write(chunk)
    return src


def fresh_image(root):
    img = os.path.join(root, "ext4.img")
    if os.path.exists(img):
        os.unlink(img)
    size_mb = BIG_MB + SMALL * 8 // 1024 + 256
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", img,
                    "%dM" % size_mb], check=True)
    return img


def run(argv, **kw):
    subprocess.run(argv, check=True, **kw)


def way_uml_cp(src, img, mnt):
    run([UML_CP, "-r", src, img + ":/"])


def way_fuse2fs(src, img, mnt):
    run(["fuse2fs", img, mnt, "-o", "rw"], stdout=subprocess.DEVNULL)
    try:
        run(["cp", "-r", src, mnt + "/"])
    finally:
        run(["fusermount3", "-u", mnt])
    # fuse2fs flushes as it exits: wait for it to be gone
    for _ in range(600):
        if subprocess.run(["pgrep", "-f", "fuse2fs " + img],
                          capture_output=True).returncode:
            break
        time.sleep(0.1)


def way_e2tools(src, img, mnt):
    run(["e2mkdir", img + ":/tree"])
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        dest = "/tree" if rel == "." else "/tree/" + rel
        for d in dirnames:
            run(["e2mkdir", img + ":" + dest + "/" + d])
        if filenames:
            run(["e2cp"] + [os.path.join(dirpath, f) for f in filenames]
                + [img + ":" + dest])


def way_loop(src, img, mnt):
    run(["mount", "-o", "loop", img, mnt])
    try:
        run(["cp", "-r", src, mnt + "/"])
    finally:
        run(["umount", mnt])


def check(img):
    r = subprocess.run(["e2fsck", "-fn", img], capture_output=True,
                       text=True)
    if r.returncode:
        sys.exit("bench/lib: e2fsck found problems:\n" + r.stdout)


def start_ms(root, shared):
    """best wall-clock and best CPU milliseconds from liblinux_start() to a
    mounted ext4, over STARTS runs"""
    exe = os.path.join(root, "api_test" + ("-so" if shared else ""))
    link = ["-pie", "-L", TOP, "-l:liblinux.so.1", "-Wl,-rpath," + TOP] \
        if shared else ["-no-pie", os.path.join(TOP, "liblinux.a")]
    run(["gcc", "-O2", "-I", os.path.join(TOP, "arch/um/include/shared"),
         "-o", exe, os.path.join(TOP, "tests", "lib", "api_test.c")] +
        link + ["-lpthread"])
    img = os.path.join(root, "small.img")
    run(["mke2fs", "-q", "-F", "-t", "ext4", img, "64M"])
    wall = cpu = None
    for _ in range(STARTS):
        out = subprocess.run([exe, "badptr", img], capture_output=True,
                             text=True, check=True).stdout
        w = float(out.split("start-ms ")[1].split()[0])
        c = float(out.split("start-cpu-ms ")[1].split()[0])
        wall = w if wall is None else min(wall, w)
        cpu = c if cpu is None else min(cpu, c)
    return wall, cpu


def main():
    ways = {"uml-cp": way_uml_cp, "fuse2fs": way_fuse2fs,
            "e2tools": way_e2tools, "loop": way_loop}
    root = tempfile.mkdtemp(prefix="bench-lib-", dir="/var/tmp")
    try:
        mnt = os.path.join(root, "mnt")
        os.mkdir(mnt)
        if WAYS:
            print("bench/lib: %d small files and %d MiB in one file"
                  % (SMALL, BIG_MB), flush=True)
            src = make_tree(root)
        best = {}
        for r in range(ROUNDS):
            for name in WAYS:
                img = fresh_image(root)
                subprocess.run(["sync"])
                t0 = time.monotonic()
                ways[name](src, img, mnt)
                t = time.monotonic() - t0
                check(img)
                best[name] = min(best.get(name, t), t)
                print("  round %d %-8s %7.2f s" % (r + 1, name, t),
                      flush=True)
        base = best.get("uml-cp")
        for name in WAYS:
            ratio = " (%.2fx uml-cp's time)" % (best[name] / base) \
                if base else ""
            print("%-8s %7.2f s%s" % (name, best[name], ratio))
        for shared in (False, True):
            if shared and not os.path.exists(
                    os.path.join(TOP, "liblinux.so.1")):
                continue
            print("library start-up to a mounted ext4 (%s): %.1f ms, "
                  "%.1f ms of CPU (best of %d)"
                  % (("liblinux.so.1" if shared else "liblinux.a",)
                     + start_ms(root, shared) + (STARTS,)), flush=True)
    finally:
        subprocess.run(["umount", os.path.join(root, "mnt")],
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
