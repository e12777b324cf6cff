# SPDX-License-Identifier: GPL-2.0
"""bench/hosting: what a freed gigabyte costs the host afterwards.

Each kernel boots with mem=1536M; once idle, the guest writes 1 GiB to a
tmpfs (so the guest really holds it) and removes it.  The PSS of all the
machine's host processes is sampled every half second from the removal on.
Printed per kernel: idle, full and the samples (MiB), and how long until
the figure is back within 10% of idle (or of idle + 10% of the gigabyte,
whichever is larger; "never" if not within SECS).

With NET=1 (root): guest -> host TCP throughput in a network namespace over
a TAP, without a rate limit and with one too high to bind (rate=100G: the
buckets run on every frame), rounds alternating; the ratio is the cost of
the accounting.  MEM=0 skips the memory part.
"""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402
from umltest import host_pss  # noqa: E402

MiB = 1 << 20


def sh(g, cmd, tag, timeout=120):
    g.send("%s; echo %s''done\n" % (cmd, tag))
    if not g.wait_for(re.escape(tag + "done").encode(), timeout):
        raise RuntimeError("guest did not finish: " + cmd)


def mem_run(kernel, img, secs, extra):
    work = img + ".bench-copy"
    subprocess.run(["cp", img, work], check=True)
    g = benchlib.Guest([kernel, "ubd0=" + work, "mem=1536M"] + extra)
    try:
        time.sleep(5)
        sh(g, "mkdir -p /big; mount -t tmpfs -o size=1200m none /big", "m1")
        time.sleep(3)
        idle = host_pss(g.p.pid)
        sh(g, "dd if=/dev/zero of=/big/f bs=1M count=1024 2>/dev/null",
           "m2")
        full = host_pss(g.p.pid)
        g.send("rm /big/f\n")
        t0 = time.monotonic()
        samples = []
        while time.monotonic() - t0 < secs:
            samples.append((time.monotonic() - t0, host_pss(g.p.pid)))
            time.sleep(0.5)
    finally:
        g.finish(60)
        os.unlink(work)
    goal = max(idle * 1.1, idle + 0.1 * 1024 * MiB)
    back = next((t for t, v in samples if v <= goal), None)
    return idle, full, samples, back


SINK = """
import socket, sys
s = socket.socket(); s.setsockopt(1, 2, 1)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept()
    while c.recv(1 << 20):
        pass
    c.close()
"""


def net_run(ours, img, rounds):
    """Throughput guest -> host without a limit and with rate=100G."""
    ns = "umlbench-%d" % os.getpid()
    tap = "umlbtap0"
    umid = "hostbench-%d" % os.getpid()
    work = img + ".bench-copy"
    subprocess.run(["cp", img, work], check=True)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    nse = ["ip", "netns", "exec", ns]
    g = sink = None
    try:
        subprocess.run(nse + ["sh", "-c",
                              "ip link set lo up && ip tuntap add dev %s "
                              "mode tap && ip addr add 10.78.0.1/24 dev %s "
                              "&& ip link set %s up" % (tap, tap, tap)],
                       check=True)
        sink = subprocess.Popen(nse + [sys.executable, "-c", SINK, "5400"])
        g = benchlib.Guest(nse + [ours, "ubd0=" + work, "mem=256M",
                                  "umid=" + umid, "eth0=tuntap," + tap])
        time.sleep(5)
        sh(g, "ip addr add 10.78.0.2/24 dev eth0; ip link set eth0 up; "
           "sleep 1", "n1")
        mc = os.path.join(TOP, "tools/uml_mconsole/uml_mconsole")
        best = {}
        for r in range(rounds):
            for rate in ("0", "100G"):
                subprocess.run(nse + [mc, umid, "config", "eth0=rate=" + rate],
                               check=True, capture_output=True)
                tag = "t%d%s" % (r, rate)
                start = len(g.buf)
                sh(g, "nettool tx 10.78.0.1 5400 3", tag, timeout=60)
                m = re.search(rb"([\d.]+) Mbit/s", g.buf[start:])
                if m:
                    benchlib.keep_best(best, rate, float(m.group(1)),
                                       higher=True)
        return best
    finally:
        if g:
            g.finish(60)
        if sink:
            sink.kill()
        subprocess.run(["ip", "netns", "del", ns])
        os.unlink(work)


TOP = benchlib.TOP


def main():
    ours, ref, img, _ = benchlib.settings(1)
    if not os.access(ref, os.X_OK):
        ref = "/usr/bin/linux.uml"
    secs = float(os.environ.get("SECS", "15"))
    if benchlib.missing("hosting", ours, ref):
        return 0
    runs = [("ours", ours, []), ("reference", ref, benchlib.REF_ARGS)]
    if os.environ.get("MEM") == "0":
        runs = []
    for name, k, extra in runs:
        idle, full, samples, back = mem_run(k, img, secs, extra)
        print("%-9s idle %4d MiB, after writing 1 GiB %4d MiB; back within "
              "10%% of idle: %s" % (name, idle >> 20, full >> 20,
                                   "%.1f s" % back if back is not None
                                   else "never (in %d s)" % secs))
        print("          samples (s:MiB): " +
              " ".join("%.1f:%d" % (t, v >> 20) for t, v in samples[::2]))
    if os.environ.get("NET") == "1":
        best = net_run(ours, img, int(os.environ.get("ROUNDS", "3")))
        if "0" in best and "100G" in best:
            print("net       guest->host TCP, best of rounds: no limit %.0f "
                  "Mbit/s, rate=100G %.0f Mbit/s: ratio %.3f"
                  % (best["0"], best["100G"], best["100G"] / best["0"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
