#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/lab: what a lab of tools/uml-lab costs the host.

  start   a lab of N machines (default 10, busybox, mem=64M, all on one
          collision domain, no lab.dep): seconds from `uml-lab lstart` until
          every machine's console answers (a prompt after a newline)
  idle    per VM, after IDLE_SETTLE seconds: PSS summed over every host
          process of the VM's session (kernel, its I/O threads, guest
          processes; the physical-memory file counts in PSS where mapped),
          host tasks (threads), and CPU over IDLE_SECS seconds (utime+stime
          of those processes); the switch separately
  fit     MemAvailable before and after, host CPU idle over IDLE_SECS, the
          count that fits in memory extrapolated from the per-VM PSS, and a
          console answering within 1 s while they run

Environment: N (10), MEM (64M), IMAGE (root.img; a Debian lab with
IMAGE=build/debian.img), IDLE_SECS (60), IDLE_SETTLE (15).
"""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TOOL = os.path.join(TOP, "tools", "uml-lab")
HZ = os.sysconf("SC_CLK_TCK")
sys.path.insert(0, os.path.join(TOP, "tests"))
import umltest  # noqa: E402


def sessions_of(sids):
    """pid -> session for every process of the sessions SIDS."""
    return {pid: int(f[3]) for pid, f in umltest.host_procs()
            if int(f[3]) in sids}


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return 0
    f = st[st.rindex(")") + 2:].split()
    return int(f[11]) + int(f[12])


def pss_kb(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tasks(pid):
    try:
        return len(os.listdir("/proc/%d/task" % pid))
    except OSError:
        return 0


def host_cpu():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v), v[3] + v[4]


def mem_available():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1])
    return 0


def console_answers(pty, timeout):
    fd = os.open(pty, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        t0 = time.monotonic()
        os.write(fd, b"\r")
        seen = b""
        while time.monotonic() - t0 < timeout:
            if select.select([fd], [], [], 0.05)[0]:
                try:
                    seen += os.read(fd, 4096)
                except BlockingIOError:
                    continue
                if b"# " in seen or b"login:" in seen:
                    return time.monotonic() - t0
        return None
    finally:
        os.close(fd)


def main():
    n = int(os.environ.get("N", "10"))
    mem = os.environ.get("MEM", "64M")
    image = os.environ.get("IMAGE", os.path.join(TOP, "root.img"))
    idle_secs = int(os.environ.get("IDLE_SECS", "60"))
    settle = int(os.environ.get("IDLE_SETTLE", "15"))
    work = tempfile.mkdtemp(prefix="benchlab-")
    env = dict(os.environ, UML_LAB_DIR=os.path.join(work, "state"))
    lab = os.path.join(work, "lab")
    os.makedirs(lab)
    with open(os.path.join(lab, "lab.conf"), "w") as f:
        for i in range(n):
            f.write("m%d[0]=A\nm%d[mem]=%s\n" % (i, i, mem))
        for i in range(n):
            f.write("m%d[image]=%s\n" % (i, image))
    for i in range(n):
        with open(os.path.join(lab, "m%d.startup" % i), "w") as f:
            f.write("ip addr add 10.1.%d.%d/16 dev eth0\nip link set eth0 up\n"
                    % (i // 250, i % 250 + 1))
    avail0 = mem_available()
    t0 = time.monotonic()
    p = subprocess.run([sys.executable, TOOL, "lstart", "--noterminals",
                        "-d", lab, "--timeout", "900"], env=env,
                       capture_output=True, text=True)
    if p.returncode:
        print(p.stdout, p.stderr)
    state = json.load(open(os.path.join(
        env["UML_LAB_DIR"], os.listdir(env["UML_LAB_DIR"])[0], "lab.json")))
    slow = []
    for name, ent in state["machines"].items():
        if ent.get("console") is None or \
                console_answers(ent["console"], 30) is None:
            slow.append(name)
    t_start = time.monotonic() - t0
    print("bench/lab: %d VMs (%s, mem=%s): every console answers %.1f s "
          "after lstart%s" % (n, os.path.basename(image), mem, t_start,
                              " (not: %s)" % " ".join(slow) if slow else ""))
    time.sleep(settle)
    vm_sids = {ent["pid"]: name for name, ent in state["machines"].items()}
    sw_sids = {ent["pid"] for ent in state["switches"].values()}
    procs = sessions_of(set(vm_sids) | sw_sids)
    c0 = {pid: cpu_ticks(pid) for pid in procs}
    h0 = host_cpu()
    time.sleep(idle_secs)
    h1 = host_cpu()
    procs = sessions_of(set(vm_sids) | sw_sids)
    per = {}
    for pid, sid in procs.items():
        d = per.setdefault(sid, {"pss": 0, "tasks": 0, "cpu": 0, "procs": 0})
        d["pss"] += pss_kb(pid)
        d["tasks"] += tasks(pid)
        d["cpu"] += cpu_ticks(pid) - c0.get(pid, 0)
        d["procs"] += 1
    vms = [per[s] for s in vm_sids if s in per]
    if not vms:
        print("bench/lab: no VM left to measure")
        return 1
    avg = {k: sum(v[k] for v in vms) / len(vms) for k in vms[0]}
    sw = [per[s] for s in sw_sids if s in per]
    total, idle = h1[0] - h0[0], h1[1] - h0[1]
    busy = 100.0 * (1 - idle / total) if total else 0
    avail1 = mem_available()
    print("bench/lab: idle VM: PSS %.1f MiB, %.1f host processes, %.1f "
          "tasks, CPU %.2f%% of one core over %d s" % (
              avg["pss"] / 1024, avg["procs"], avg["tasks"],
              100.0 * avg["cpu"] / HZ / idle_secs, idle_secs))
    if sw:
        print("bench/lab: switch: PSS %.1f MiB, CPU %.2f%%" % (
            sw[0]["pss"] / 1024, 100.0 * sw[0]["cpu"] / HZ / idle_secs))
    per_vm_avail = (avail0 - avail1) / n
    print("bench/lab: MemAvailable fell %.1f MiB per VM; host CPU busy "
          "%.1f%% (all cores, everyone's work included) over %d s" % (
              per_vm_avail / 1024, busy, idle_secs))
    print("bench/lab: fit by PSS: %d VMs in %.1f GiB available before"
          % (avail0 / max(avg["pss"], 1), avail0 / 1048576))
    lat = [console_answers(e["console"], 5)
           for e in list(state["machines"].values())[:5] if e.get("console")]
    print("bench/lab: console answers in %s s" % " ".join(
        "%.2f" % x if x is not None else "none" for x in lat))
    t1 = time.monotonic()
    subprocess.run([sys.executable, TOOL, "lclean", "-d", lab], env=env,
                   capture_output=True)
    print("bench/lab: lclean of %d VMs %.1f s" % (n, time.monotonic() - t1))
    subprocess.run([sys.executable, TOOL, "wipe"], env=env,
                   capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
