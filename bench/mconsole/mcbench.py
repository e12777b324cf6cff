#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Round trip of mconsole "version": ours against the reference kernel.

Both kernels are booted side by side (each on a private copy of the image,
with its own umid), left to settle, then measured round by round,
alternating, so that drift of the machine hits both alike.  A round sends
N "version" requests one after the other on a connected datagram socket
and waits for each answer; the figure is the time per round trip (best
round, and the median of the rounds), then the ratio ours/reference
(below 1: ours answers faster).
"""
import argparse
import os
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

MAGIC = 0xcafebabe


def boot(kernel, img, umid, tmp):
    copy = os.path.join(tmp, umid + ".img")
    shutil.copyfile(img, copy)
    argv = [kernel, "ubd0=" + copy, "mem=128M", "root=/dev/ubda",
            "init=/init", "con=null", "con0=fd:0,fd:1", "umid=" + umid]
    # stdin stays open: an end of file on the console ends the shell
    p = subprocess.Popen(argv, stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    path = os.path.join(os.path.expanduser("~"), ".uml", umid, "mconsole")
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if os.path.exists(path):
            try:
                c = client(path)
                rtt(c, 1)
                return p, c
            except OSError:
                pass
        time.sleep(0.1)
    p.kill()
    raise SystemExit("%s: no mconsole socket at %s" % (kernel, path))


def client(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0mcbench-%d-%s" % (os.getpid(), os.path.basename(
        os.path.dirname(path))))
    s.connect(path)
    s.settimeout(5)
    return s


REQ = struct.pack("=III", MAGIC, 2, 7) + b"version".ljust(512, b"\0")


def rtt(s, n):
    t0 = time.perf_counter()
    for _ in range(n):
        s.send(REQ)
        while True:
            pkt = s.recv(1024)
            if not struct.unpack("=iII", pkt[:12])[1]:
                break
    return (time.perf_counter() - t0) / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", default="./linux")
    ap.add_argument("--ref", default="build/ref-obj/linux")
    ap.add_argument("--img", default="root.img")
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    kernels = [("ours", a.ours), ("ref", a.ref)]
    for name, k in kernels:
        if not os.access(k, os.X_OK):
            raise SystemExit("%s kernel %s missing" % (name, k))
    tmp = tempfile.mkdtemp(prefix="mcbench-")
    procs, socks = {}, {}
    try:
        for name, k in kernels:
            umid = "mcbench-%s-%d" % (name, os.getpid())
            procs[name], socks[name] = boot(k, a.img, umid, tmp)
        time.sleep(3)           # let both finish booting
        for name, _ in kernels:
            rtt(socks[name], 200)   # warm up
        res = {name: [] for name, _ in kernels}
        for r in range(a.rounds):
            for name, _ in (kernels if r % 2 == 0 else kernels[::-1]):
                res[name].append(rtt(socks[name], a.n))
        print("mconsole 'version' round trip, %d requests x %d rounds" %
              (a.n, a.rounds))
        for name, k in kernels:
            print("  %-5s %-28s best %6.1f us  median %6.1f us" %
                  (name, k, min(res[name]) * 1e6,
                   statistics.median(res[name]) * 1e6))
        print("  ratio ours/ref: best %.2f  median %.2f" %
              (min(res["ours"]) / min(res["ref"]),
               statistics.median(res["ours"]) /
               statistics.median(res["ref"])))
    finally:
        for name, p in procs.items():
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        for name, _ in kernels:
            shutil.rmtree(os.path.join(os.path.expanduser("~"), ".uml",
                                       "mcbench-%s-%d" % (name, os.getpid())),
                          ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
