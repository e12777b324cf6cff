#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/lab density: how many idle lab VMs this host holds while they stay
responsive.

VMs are started in batches, each batch one lab of BATCH machines on one
collision domain (`uml-lab lstart`).  After each batch has settled
(SETTLE seconds):

  - a sample of consoles (SAMPLE random ones and the newest VM's) must
    answer a newline with a prompt within LATENCY seconds (1 s);
  - every VM's host processes (its session: kernel, I/O threads, guest
    processes) are counted: processes, tasks, PSS (summed, /proc/PID/
    smaps_rollup); the VMs that lstart names as left without an inotify
    instance (their pty lines poll);
  - the CPU of all VMs and switches over WINDOW seconds (their utime +
    stime), as a share of the whole host (all cores), and the host's own
    busy share over the same window (everyone's work included);
  - host memory in use (MemTotal - MemAvailable) and host tasks.

It stops at GOAL VMs or at the first failure: a batch that does not start,
a VM gone, a console late or silent, memory use above MAXMEM percent, the
VMs' idle CPU above MAXCPU percent of the host.  Every VM is killed at the
end, whatever happened (errors, Ctrl-C, SIGTERM); fs.inotify.
max_user_instances, raised for the run when it is too low (root), is put
back.  Figures per batch go to stdout and build/bench/lab/density.json.

Environment: GOAL (500), BATCH (50), MEM (64M), IMAGE (root.img; the
Debian image: IMAGE=build/debian.img GOAL=150 BATCH=10), SETTLE (20),
WINDOW (20; windows until the VMs' CPU stops falling by a fifth or is
under half of MAXCPU, at most SETTLE_WINDOWS, 6), SAMPLE (8), LATENCY (1.0), MAXMEM (80), MAXCPU (10),
FINAL (90: at the goal, seconds all VMs stay idle before a last
measure over FINAL_WINDOW, 60, seconds; 0: none), TIMEOUT (900, seconds for one batch to start), INOTIFY (1: raise the
inotify limit when root; 0: leave it).
"""
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(TOP, "tests"))
from lab import console_answers, host_cpu, pss_kb, HZ, TOOL  # noqa: E402
import umltest  # noqa: E402

INOTIFY_MAX = "/proc/sys/fs/inotify/max_user_instances"


def env_num(name, default, kind=int):
    try:
        return kind(os.environ.get(name, default))
    except ValueError:
        sys.exit("bench/lab density: %s=%s is not a number"
                 % (name, os.environ[name]))


def meminfo():
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":")
            out[k] = int(v.split()[0])
    return out


def read_int(path):
    with open(path) as f:
        return int(f.read().split()[0])


class Ramp:
    def __init__(self):
        self.goal = env_num("GOAL", 500)
        self.batch = env_num("BATCH", 50)
        self.mem = os.environ.get("MEM", "64M")
        self.image = os.path.realpath(os.environ.get(
            "IMAGE", os.path.join(TOP, "root.img")))
        self.settle = env_num("SETTLE", 20)
        self.window = env_num("WINDOW", 20)
        self.settle_windows = env_num("SETTLE_WINDOWS", 6)
        self.final = env_num("FINAL", 90)
        self.final_window = env_num("FINAL_WINDOW", 60)
        self.sample = env_num("SAMPLE", 8)
        self.latency = env_num("LATENCY", 1.0, float)
        self.maxmem = env_num("MAXMEM", 80)
        self.maxcpu = env_num("MAXCPU", 10)
        self.timeout = env_num("TIMEOUT", 900)
        self.work = tempfile.mkdtemp(prefix="benchdensity-")
        self.env = dict(os.environ, UML_LAB_DIR=os.path.join(self.work,
                                                             "state"))
        self.labs = []          # lab directories started
        self.vms = {}           # kernel pid (= session) -> (lab, name, pty)
        self.switches = set()   # switch pids (= sessions)
        self.rows = []
        self.polling = 0        # VMs whose pty lines poll (lstart says)
        self.inotify_old = None

    # ---- host limits ---------------------------------------------------
    def raise_inotify(self):
        """One inotify instance per VM (its pty lines' watch); a user has
        max_user_instances of them, and past that the lines poll."""
        if os.environ.get("INOTIFY", "1") != "1" or os.geteuid():
            return
        cur = read_int(INOTIFY_MAX)
        want = self.goal + 1024     # everyone else's instances too
        if cur < want:
            with open(INOTIFY_MAX, "w") as f:
                f.write("%d\n" % want)
            self.inotify_old = cur
            print("bench/lab density: fs.inotify.max_user_instances %d -> "
                  "%d for the run" % (cur, want), flush=True)

    def restore_inotify(self):
        if self.inotify_old is not None:
            with open(INOTIFY_MAX, "w") as f:
                f.write("%d\n" % self.inotify_old)

    # ---- labs ------------------------------------------------------------
    def make_lab(self, k, n):
        lab = os.path.join(self.work, "lab%d" % k)
        os.makedirs(lab)
        with open(os.path.join(lab, "lab.conf"), "w") as f:
            f.write('LAB_DESCRIPTION="density batch %d"\n' % k)
            for i in range(n):
                f.write("m%d[0]=A\nm%d[mem]=%s\nm%d[image]=%s\n"
                        % (i, i, self.mem, i, self.image))
        for i in range(n):
            with open(os.path.join(lab, "m%d.startup" % i), "w") as f:
                f.write("ip addr add 10.%d.%d.%d/16 dev eth0\n"
                        "ip link set eth0 up\n"
                        % (k % 250 + 1, i // 250, i % 250 + 1))
        return lab

    def start_batch(self, k, n):
        lab = self.make_lab(k, n)
        self.labs.append(lab)
        t0 = time.monotonic()
        p = subprocess.run([sys.executable, TOOL, "lstart", "--noterminals",
                            "-d", lab, "--timeout", str(self.timeout)],
                           env=self.env, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        secs = time.monotonic() - t0
        # lstart names the machines left without an inotify instance
        for line in p.stderr.splitlines():
            if "no inotify instance left" in line:
                names = line.split("warning: ", 1)[1]
                self.polling += len(names.split(":")[0].split())
        state = self.lab_state(lab)
        for name, ent in state.get("machines", {}).items():
            self.vms[ent["pid"]] = (lab, name, ent.get("console"))
        for ent in state.get("switches", {}).values():
            self.switches.add(ent["pid"])
        if p.returncode:
            return secs, "lstart of batch %d: status %d: %s" % (
                k, p.returncode, (p.stdout + p.stderr).strip()[-600:])
        return secs, None

    def lab_state(self, lab):
        root = self.env["UML_LAB_DIR"]
        for d in os.listdir(root):
            f = os.path.join(root, d, "lab.json")
            try:
                with open(f) as fh:
                    st = json.load(fh)
            except (OSError, ValueError):
                continue
            if st.get("path") == os.path.realpath(lab):
                return st
        return {}

    # ---- measuring -------------------------------------------------------
    def sessions(self):
        """session -> [pid] of every host process of the VMs and
        switches, from one walk of /proc."""
        want = set(self.vms) | self.switches
        out = {}
        for pid, f in umltest.host_procs():
            sid = int(f[3])
            if sid in want:
                out.setdefault(sid, []).append(pid)
        return out

    @staticmethod
    def ticks(pids):
        t = 0
        for pid in pids:
            try:
                with open("/proc/%d/stat" % pid) as f:
                    st = f.read()
            except OSError:
                continue
            fl = st[st.rindex(")") + 2:].split()
            t += int(fl[11]) + int(fl[12])
        return t

    @staticmethod
    def tasks(pids):
        n = 0
        for pid in pids:
            try:
                n += len(os.listdir("/proc/%d/task" % pid))
            except OSError:
                pass
        return n

    def consoles(self):
        """Answer times of SAMPLE random consoles and the newest one's."""
        ptys = [v[2] for v in self.vms.values() if v[2]]
        if not ptys:
            return []   # a first batch that did not start: none to ask
        pick = random.sample(ptys[:-1], min(self.sample, len(ptys) - 1))
        pick.append(ptys[-1])
        out = []
        for pty in pick:
            try:
                out.append(console_answers(pty, 5))
            except OSError:
                out.append(None)
        return out

    def measure(self, k, start_secs, settle=None, window=None, windows=None):
        time.sleep(self.settle if settle is None else settle)
        window = window or self.window
        sess = self.sessions()
        gone = [self.vms[s][1] for s in self.vms if s not in sess]
        vm_pids = [p for s in self.vms for p in sess.get(s, [])]
        sw_pids = [p for s in self.switches for p in sess.get(s, [])]
        # the newest batch's boot tail (IPv6 address set-up, router
        # solicitations, the journal) fades over a minute or two: windows
        # until the VMs' CPU stops falling, at most SETTLE_WINDOWS
        ncpu = os.cpu_count()
        rates = []
        for _ in range(windows or self.settle_windows):
            c0, s0 = self.ticks(vm_pids), self.ticks(sw_pids)
            h0 = host_cpu()
            t0 = time.monotonic()
            time.sleep(window)
            secs = time.monotonic() - t0
            h1 = host_cpu()
            c1, s1 = self.ticks(vm_pids), self.ticks(sw_pids)
            vm_cpu = 100.0 * (c1 - c0) / HZ / secs / ncpu
            sw_cpu = 100.0 * (s1 - s0) / HZ / secs / ncpu
            rates.append(round(vm_cpu, 2))
            if vm_cpu <= self.maxcpu * 0.5 or \
                    (len(rates) > 1 and vm_cpu > 0.8 * rates[-2]):
                break
        total, idle = h1[0] - h0[0], h1[1] - h0[1]
        host_busy = 100.0 * (1 - idle / total) if total else 0.0
        n = len(self.vms) - len(gone)
        pss = sum(pss_kb(p) for p in vm_pids)
        lat = self.consoles()
        mi = meminfo()
        used = 100.0 * (1 - mi["MemAvailable"] / mi["MemTotal"])
        with open("/proc/loadavg") as f:
            host_tasks = int(f.read().split()[3].split("/")[1])
        row = {
            "vms": n, "batch": k, "start_s": round(start_secs, 1),
            "pss_mib_per_vm": round(pss / 1024 / max(n, 1), 2),
            "procs_per_vm": round(len(vm_pids) / max(n, 1), 2),
            "tasks_per_vm": round(self.tasks(vm_pids) / max(n, 1), 2),
            "vm_cpu_pct": round(vm_cpu, 2), "vm_cpu_windows": rates, "switch_cpu_pct": round(sw_cpu, 2),
            "host_busy_pct": round(host_busy, 1),
            "mem_used_pct": round(used, 1),
            "mem_used_gib": round((mi["MemTotal"] - mi["MemAvailable"])
                                  / 1048576, 2),
            "host_tasks": host_tasks, "polling": self.polling,
            "console_s": [None if x is None else round(x, 3) for x in lat],
            "gone": gone,
        }
        self.rows.append(row)
        print("bench/lab density: %(vms)d VMs (batch %(batch)s started in "
              "%(start_s).1f s): PSS %(pss_mib_per_vm).1f MiB/VM, "
              "%(procs_per_vm).1f processes and %(tasks_per_vm).1f tasks/VM, "
              "VMs' CPU %(vm_cpu_pct).2f%% of the host (switches "
              "%(switch_cpu_pct).2f%%; windows %(vm_cpu_windows)s; host busy %(host_busy_pct).0f%% with "
              "everyone's work), memory used %(mem_used_pct).0f%% "
              "(%(mem_used_gib).1f GiB), host tasks %(host_tasks)d, "
              "VMs polling %(polling)d" % row, flush=True)
        print("bench/lab density:   consoles answer in %s s" % " ".join(
            "none" if x is None else "%.3f" % x for x in lat), flush=True)
        if gone:
            return "VMs gone: %s" % " ".join(gone[:10])
        if any(x is None or x > self.latency for x in lat):
            return "a console did not answer within %.1f s" % self.latency
        if used > self.maxmem:
            return "host memory use %.0f%% above %d%%" % (used, self.maxmem)
        if vm_cpu > self.maxcpu:
            return "idle VMs use %.1f%% of the host, above %d%%" % (
                vm_cpu, self.maxcpu)
        return None

    # ---- the run ---------------------------------------------------------
    def run(self):
        print("bench/lab density: goal %d VMs of mem=%s (%s), batches of "
              "%d, %d cores, %.1f GiB" % (
                  self.goal, self.mem, os.path.basename(self.image),
                  self.batch, os.cpu_count(),
                  meminfo()["MemTotal"] / 1048576), flush=True)
        self.raise_inotify()
        k, why = 0, None
        while len(self.vms) < self.goal and not why:
            n = min(self.batch, self.goal - len(self.vms))
            secs, why = self.start_batch(k, n)
            if why:
                print("bench/lab density: " + why, flush=True)
                self.measure(k, secs)
                break
            why = self.measure(k, secs)
            k += 1
        last = self.rows[-1] if self.rows else {"vms": 0}
        if not why and self.final:
            print("bench/lab density: all %d idle for %d s more, then the "
                  "VMs' CPU over %d s:" % (last["vms"], self.final,
                                          self.final_window), flush=True)
            why = self.measure("final", 0, settle=self.final,
                               window=self.final_window, windows=1)
            last = self.rows[-1]
        if why:
            print("bench/lab density: stopped at %d VMs: %s"
                  % (last["vms"], why))
        else:
            print("bench/lab density: %d VMs running and responsive "
                  "(goal reached)" % last["vms"])
        return why

    def cleanup(self):
        """Kill every VM and switch of the run, whatever state it is in."""
        t0 = time.monotonic()
        subprocess.run([sys.executable, TOOL, "wipe"], env=self.env,
                       capture_output=True, stdin=subprocess.DEVNULL)
        # belt and braces: anything still in the sessions we started
        left = self.sessions()
        for pids in left.values():
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        umltest.wait_for(lambda: not self.sessions(), timeout=60, step=0.5)
        self.restore_inotify()
        left = self.sessions()
        print("bench/lab density: cleaned %d VMs in %.1f s%s" % (
            len(self.vms), time.monotonic() - t0,
            "; left: %s" % sorted(left) if left else ""), flush=True)
        subprocess.run(["rm", "-rf", self.work])

    def save(self):
        out = os.path.join(TOP, "build", "bench", "lab")
        os.makedirs(out, exist_ok=True)
        with open(os.path.join(out, "density.json"), "w") as f:
            json.dump({"image": os.path.basename(self.image),
                       "mem": self.mem, "batch": self.batch,
                       "rows": self.rows}, f, indent=1)


def on_signal(signum, frame):
    raise KeyboardInterrupt("signal %d" % signum)


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    r = Ramp()
    why = "interrupted"
    try:
        why = r.run()
    except KeyboardInterrupt:
        print("bench/lab density: interrupted, cleaning up", flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        r.cleanup()
        r.save()
    return 1 if why else 0


if __name__ == "__main__":
    sys.exit(main())
