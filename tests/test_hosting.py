# SPDX-License-Identifier: GPL-2.0
"""Hosting limits (docs/hosting.md), each checked from the outside.

Every test boots our ./linux with a umid of its own and drives it from the
host through the management console (tools/uml_mconsole), measuring the
host's side of it (PSS of every host process of the machine, the
physical-memory file), or through the guest's console: freed memory given
back to the host, memory resized live, the cap on tasks against a fork
bomb, the "stats" figures against known work, a disk grown live, and the
attempts of a hostile guest root, each refused.
"""
import os
import re
import shutil
import subprocess
import time

import pytest

import umltest
import tools_helpers as th

TIMEOUT = 300
MiB = 1 << 20


def _ready():
    th.need_ref_kernel(umltest.LINUX)
    th.need_tools()


def boot(mem="256M", args=()):
    """Our kernel on a copy of root.img, ready for console and mconsole."""
    _ready()
    vm = th.Guest(kernel=umltest.LINUX, mem=mem, args=args)
    return vm.wait_ready()


def mc(vm, *cmd, timeout=30):
    """(status, answer) of one mconsole command.  A machine in a network
    namespace is asked from inside it: the client's socket has an abstract
    name, which only its own namespace can answer."""
    ns = getattr(vm, "ns", None)
    if ns:
        st, out, err = th.run_tool(["ip", "netns", "exec", ns, th.MCONSOLE,
                                    vm.umid] + list(cmd), timeout=timeout)
    else:
        st, out, err = th.mconsole(vm.umid, *cmd, timeout=timeout)
    return st, (out + err).strip()


def ok(vm, *cmd, timeout=30):
    st, out = mc(vm, *cmd, timeout=timeout)
    assert st == 0 and out.startswith("OK"), (cmd, st, out)
    return out[2:].strip()


def refused(vm, *cmd, match=None):
    st, out = mc(vm, *cmd)
    assert st != 0 and out.startswith("ERR"), (cmd, st, out)
    if match:
        assert re.search(match, out), (cmd, out)
    return out


def stats(vm):
    """The "stats" answer as a dict of integers."""
    d = {}
    for line in ok(vm, "stats").splitlines():
        line = line.strip()
        if not line:
            continue
        k, v = line.split("=", 1)
        d[k] = int(v)
    return d


def meminfo(vm, key="MemTotal"):
    out = vm.sh("grep '^%s:' /proc/meminfo" % key)
    return int(re.search(r"(\d+) kB", out).group(1)) * 1024


def vm_pids(vm):
    """The kernel process and every host process below it."""
    return umltest.host_pids(vm.proc.pid)


def vm_pss(vm):
    """Host memory of the machine: the PSS of all its host processes."""
    return umltest.host_pss(vm.proc.pid)


# ---- memory given back ----

def test_freed_memory_returns_to_host():
    vm = boot(mem="768M")
    idle = vm_pss(vm)
    vm.sh("mkdir -p /big && mount -t tmpfs -o size=600m none /big")
    vm.sh("dd if=/dev/zero of=/big/f bs=1M count=512 2>/dev/null; sync")
    full = vm_pss(vm)
    assert full > idle + 480 * MiB, (idle, full)
    assert stats(vm)["mem_host_bytes"] > 480 * MiB
    t0 = time.monotonic()
    vm.sh("rm /big/f")
    # most of the 512 MiB back with the host within seconds
    low = umltest.wait_for(lambda: vm_pss(vm) < full - 400 * MiB,
                           timeout=10, step=0.2)
    took = time.monotonic() - t0
    assert low, "PSS %d MiB -> %d MiB after 10 s (idle %d MiB)" % (
        full >> 20, vm_pss(vm) >> 20, idle >> 20)
    assert took < 8, took
    s = stats(vm)
    assert s["mem_returned_bytes"] >= 400 * MiB, s
    assert s["mem_host_bytes"] < full - 400 * MiB, s
    # the memory is usable again, and holds what is written to it
    vm.sh("dd if=/dev/zero of=/big/g bs=1M count=256 2>/dev/null")
    out = vm.sh("md5sum /big/g; rm /big/g; echo ok")
    assert "ok" in out and "1f5039e50bd66b290c56684d8550c6c2" in out, out
    vm.type("poweroff")
    assert vm.wait_exit() == 0


# ---- memory resized live ----

def test_mem_shrink_and_grow_live():
    vm = boot(mem="256M")
    total0 = meminfo(vm)
    assert ok(vm, "config", "mem") .startswith("256M")
    assert ok(vm, "config", "mem=-64M") == "mem=192M"
    assert abs(meminfo(vm) - (total0 - 64 * MiB)) < MiB
    assert ok(vm, "config", "mem").startswith("192M")
    assert ok(vm, "config", "mem=+32M") == "mem=224M"
    assert abs(meminfo(vm) - (total0 - 32 * MiB)) < MiB
    assert ok(vm, "config", "mem=100M") == "mem=100M"
    assert abs(meminfo(vm) - (total0 - 156 * MiB)) < MiB
    assert stats(vm)["mem_size_bytes"] == 100 * MiB
    # bad input: a clear answer, nothing changed
    before = meminfo(vm)
    refused(vm, "config", "mem=lots", match="not a size")
    refused(vm, "config", "mem=+", match="not a size")
    refused(vm, "config", "mem=12Q", match="not a size")
    refused(vm, "config", "mem=+1G", match="cannot grow past")
    refused(vm, "config", "mem=300M", match="cannot grow past")
    refused(vm, "config", "mem=8M", match="cannot shrink below")
    refused(vm, "config", "mem3", match="no device")
    assert meminfo(vm) == before
    assert ok(vm, "config", "mem=256M") == "mem=256M"
    assert meminfo(vm) == total0
    vm.type("poweroff")
    assert vm.wait_exit() == 0


def test_shrink_refused_when_memory_in_use():
    vm = boot(mem="128M")
    vm.sh("mkdir -p /big && mount -t tmpfs -o size=100m none /big")
    vm.sh("dd if=/dev/zero of=/big/f bs=1M count=80 2>/dev/null")
    before = meminfo(vm)
    refused(vm, "config", "mem=48M", match="using the memory")
    assert meminfo(vm) == before
    assert ok(vm, "config", "mem").startswith("128M")
    assert "ok" in vm.sh("rm /big/f; echo ok")


def test_oom_in_shrunk_vm_leaves_kernel_alive():
    vm = boot(mem="256M")
    assert ok(vm, "config", "mem=64M") == "mem=64M"
    # a program asking for more than the machine has is killed...
    vm.sh("tail /dev/zero; echo rc=$?", timeout=120)
    log = vm.sh("dmesg | grep -i -E 'out of memory|oom' | head -3")
    assert re.search(r"(?i)out of memory|oom", log), log
    # ...and the kernel, the console and the management console go on
    assert "alive" in vm.sh("echo alive")
    assert ok(vm, "version")
    assert ok(vm, "config", "mem=+64M") == "mem=128M"
    vm.type("poweroff")
    assert vm.wait_exit() == 0


# ---- tasks ----

def test_tasks_cap_holds_fork_bomb():
    vm = boot(args=["tasks=40"])
    assert ok(vm, "config", "tasks").startswith("tasks=40")
    assert stats(vm)["tasks_max"] == 40
    # a fork bomb: it runs into the cap
    vm.type("b() { b | b & }; b 2>/dev/null")
    assert umltest.wait_for(lambda: stats(vm)["tasks_peak"] >= 40,
                            timeout=30, step=0.3)
    for _ in range(10):     # the point: the cap holds for two seconds
        assert stats(vm)["tasks"] <= 40
        time.sleep(0.2)
    # the console and the management console still answer
    assert ok(vm, "version")
    # the guest's root cannot lift the cap
    vm.type("echo 100000 > /proc/sys/kernel/threads-max")
    # stop the bomb: every process but init and the shell
    vm.type("kill -9 -1")
    assert umltest.wait_for(lambda: stats(vm)["tasks"] < 20, timeout=60,
                            step=0.3)
    assert "alive" in vm.sh("echo alive", timeout=60)
    assert stats(vm)["tasks_max"] == 40
    # at the cap again with sleepers; raised live, more run
    # (in a subshell: the shell gives up a command line whose fork fails)
    vm.sh("(i=0; while [ $i -lt 60 ]; do sleep 1000 & i=$((i+1)); done) "
          "2>/dev/null; true", timeout=60)
    assert 37 <= stats(vm)["tasks"] <= 40
    assert ok(vm, "config", "tasks=70") == "tasks=70"
    vm.sh("i=0; while [ $i -lt 10 ]; do sleep 1000 & i=$((i+1)); done",
          timeout=60)
    s = stats(vm)
    assert s["tasks"] > 40 and s["tasks_max"] == 70, s
    # bad input: a clear answer, nothing changed
    refused(vm, "config", "tasks=many", match="not a number")
    refused(vm, "config", "tasks=-1", match="not a number")
    refused(vm, "config", "tasks=99999999", match="too many")
    assert stats(vm)["tasks_max"] == 70
    vm.sh("kill -9 -1 2>/dev/null; true")


def test_tasks_option_checked_before_boot():
    _ready()
    st, out = umltest.run_kernel("tasks=lots", "mem=64M", timeout=30)
    assert st == 2 and "tasks=" in out and "not a number" in out, (st, out)


# ---- accounting ----

def test_stats_against_known_work():
    d = umltest.tmpdir()
    disk = os.path.join(d, "data.img")
    with open(disk, "wb") as f:
        f.truncate(32 * MiB)
    vm = boot(args=["ubd1=" + disk])
    s0 = stats(vm)
    for key in ("uptime_ns", "cpu_user_ns", "cpu_system_ns",
                "host_cpu_kernel_ns", "mem_host_bytes",
                "mem_host_peak_bytes", "mem_size_bytes", "tasks",
                "disk.ubd0.read_bytes", "disk.ubd1.write_bytes"):
        assert key in s0, (key, s0)
    assert s0["mem_size_bytes"] == 256 * MiB
    assert s0["mem_host_peak_bytes"] >= s0["mem_host_bytes"] > 0
    # 16 MiB written to the second disk, 8 MiB read back past the cache
    vm.sh("dd if=/dev/urandom of=/dev/ubdb bs=1M count=16 2>/dev/null; "
          "sync")
    vm.sh("echo 3 > /proc/sys/vm/drop_caches; "
          "dd if=/dev/ubdb of=/dev/null bs=1M count=8 2>/dev/null")
    # two seconds of busy guest CPU, counted by the guest (the shell's and
    # its children's ticks): a loaded host stretches the wall time only
    vm.sh("while [ $(($(cut -d' ' -f14-17 /proc/$$/stat | tr ' ' +))) "
          "-lt 200 ]; do :; done", timeout=120)
    # five more tasks, each running sleep (a loaded host may take a while
    # to exec them: one still a forked shell would escape the kill below)
    out = vm.sh("for i in 1 2 3 4 5; do sleep 1000 & done; "
                "end=$(($(date +%s) + 60)); "
                "while [ $(pidof sleep | wc -w) -lt 5 ] && "
                "[ $(date +%s) -lt $end ]; do sleep 0.05; done; "
                "pidof sleep | wc -w", timeout=90)
    assert out.strip() == "5", out
    s1 = stats(vm)
    w = s1["disk.ubd1.write_bytes"] - s0["disk.ubd1.write_bytes"]
    r = s1["disk.ubd1.read_bytes"] - s0["disk.ubd1.read_bytes"]
    assert 16 * MiB <= w <= 17 * MiB, w
    assert 8 * MiB <= r <= 12 * MiB, r
    cpu = (s1["cpu_user_ns"] + s1["cpu_system_ns"] -
           s0["cpu_user_ns"] - s0["cpu_system_ns"])
    # at least most of the busy loop; at most the time that went by (one
    # CPU: a loaded host stretches the work, never the CPU beyond the wall)
    wall = s1["uptime_ns"] - s0["uptime_ns"]
    assert 1.5e9 <= cpu <= wall * 1.02, (cpu, wall)
    # the five were counted: the count drops by five once they are gone
    # (a task is counted until it is freed, an RCU grace period after its
    # exit, so a count taken just after a command can include it)
    # (wait: the shell reaps them now, not at some later command)
    vm.sh("kill $(pidof sleep); wait")
    assert umltest.wait_for(lambda: s1["tasks"] - stats(vm)["tasks"] >= 5,
                            timeout=30), (s1["tasks"], stats(vm)["tasks"])
    assert s1["uptime_ns"] > s0["uptime_ns"]
    refused(vm, "stats", "now", match="no arguments")
    vm.sh("kill %1 %2 %3 %4 %5 2>/dev/null; true")


# ---- disks grown live ----

def _ext4_with_resize2fs(path, size):
    """An ext4 image holding the host's resize2fs and its libraries."""
    exe = shutil.which("resize2fs") or "/sbin/resize2fs"
    stage = os.path.join(umltest.tmpdir(), "stage")
    os.makedirs(os.path.join(stage, "lib"))
    shutil.copy(exe, os.path.join(stage, "resize2fs"))
    out = subprocess.run(["ldd", exe], capture_output=True,
                         text=True).stdout
    loader = None
    for line in out.splitlines():
        m = re.search(r"(/\S+)", line)
        if not m:
            continue
        lib = m.group(1)
        if "ld-linux" in lib:
            loader = lib
        shutil.copy(lib, os.path.join(stage, "lib", os.path.basename(lib)))
    assert loader, out
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-d", stage, path,
                    size], check=True, capture_output=True)
    return os.path.basename(loader)


def test_disk_grown_live_and_fs_grown_in_guest():
    d = umltest.tmpdir()
    disk = os.path.join(d, "data.img")
    loader = _ext4_with_resize2fs(disk, "32M")
    base = os.path.join(d, "base.img")
    with open(base, "wb") as f:
        f.truncate(8 * MiB)
    cow = os.path.join(d, "over.cow")
    vm = boot(args=["ubd1=" + disk, "ubd2=%s,%s" % (cow, base)])
    vm.sh("mkdir -p /data && mount /dev/ubdb /data")
    size0 = int(vm.sh("cat /sys/block/ubdb/size").split()[0])
    assert size0 == 32 * MiB // 512
    df0 = int(vm.sh("df -k /data | tail -1").split()[1])
    assert ok(vm, "config", "ubd1=+64M").startswith("ubd1: %d" % (96 * MiB))
    assert os.path.getsize(disk) == 96 * MiB
    assert umltest.wait_for(
        lambda: vm.sh("cat /sys/block/ubdb/size").split()[0] ==
        str(96 * MiB // 512), timeout=10)
    out = vm.sh("/data/lib/%s --library-path /data/lib /data/resize2fs "
                "/dev/ubdb 2>&1; echo rc=$?" % loader, timeout=120)
    assert "rc=0" in out, out
    df1 = int(vm.sh("df -k /data | tail -1").split()[1])
    assert df1 > df0 + 55 * 1024, (df0, df1)
    # a COW disk keeps its backing file's size
    refused(vm, "config", "ubd2=+8M", match="COW")
    assert vm.sh("cat /sys/block/ubdc/size").split()[0] == str(8 * MiB // 512)
    # bad input: a clear answer, nothing changed
    refused(vm, "config", "ubd1=+lots", match="not a size")
    refused(vm, "config", "ubd1=+0", match="not a size")
    refused(vm, "config", "ubd5=+8M", match="not configured")
    assert os.path.getsize(disk) == 96 * MiB
    vm.sh("umount /data")
    vm.type("poweroff")
    assert vm.wait_exit() == 0
    st = subprocess.run(["e2fsck", "-fn", disk], capture_output=True,
                        text=True)
    assert st.returncode == 0, st.stdout + st.stderr


# ---- a hostile guest root ----

def _probe_disk():
    """An ext4 image holding tests/hosting/probe.c built static."""
    d = umltest.tmpdir()
    stage = os.path.join(d, "stage")
    os.makedirs(stage)
    src = os.path.join(umltest.TOP, "tests", "hosting", "probe.c")
    subprocess.run(["gcc", "-static", "-O2", "-o",
                    os.path.join(stage, "probe"), src], check=True)
    img = os.path.join(d, "probe.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-d", stage, img,
                    "16M"], check=True, capture_output=True)
    return img


def test_hostile_root_contained():
    img = _probe_disk()
    secret = os.path.join(umltest.tmpdir(), "host-secret")
    with open(secret, "w") as f:
        f.write("host only\n")
    share = umltest.tmpdir()
    vm = boot(args=["ubd1=" + img, "hostfs=" + share])
    vm.sh("mkdir -p /probe && mount /dev/ubdb /probe")
    out = vm.sh("/probe/probe %s" % secret)
    for name in ("init_module", "finit_module", "delete_module",
                 "kexec_load", "kexec_file_load", "port_io_iopl",
                 "port_io_ioperm",
                 "dev_mem", "dev_kmem", "dev_port", "proc_kcore",
                 "host_file"):
        assert re.search(r"^%s refused" % name, out, re.M), (name, out)
    assert "ALLOWED" not in out, out
    # host files: hostfs reaches the shared directory only
    out = vm.sh("mkdir -p /h; mount -t hostfs none /h -o /etc 2>&1; "
                "echo rc=$?")
    assert "rc=0" not in out, out
    out = vm.sh("mount -t hostfs none /h -o %s 2>&1; ls /h; echo rc=$?"
                % share)
    assert "rc=0" in out, out
    vm.sh("umount /h")
    # the limits: the guest's root has no handle on them
    out = vm.sh("for f in /proc/sys/uml /sys/kernel/uml /sys/module/uml*; "
                "do [ -e $f ] && echo HAS''$f; done; true")
    assert "HAS/" not in out, out
    ok(vm, "config", "tasks=30")
    vm.sh("echo 100000 > /proc/sys/kernel/threads-max; "
          "echo 4194304 > /proc/sys/kernel/pid_max; "
          "ulimit -u unlimited 2>/dev/null; true")
    vm.sh("(i=0; while [ $i -lt 50 ]; do sleep 1000 & i=$((i+1)); done) "
          "2>/dev/null; true", timeout=60)
    assert stats(vm)["tasks"] <= 30
    vm.sh("kill -9 -1 2>/dev/null; true")
    # the guest cannot stop the management console halting it
    vm.type("trap '' INT TERM HUP; b() { b | b & }; b 2>/dev/null")
    assert umltest.wait_for(lambda: stats(vm)["tasks"] >= 28, 30, 0.3), \
        stats(vm)
    st, out = mc(vm, "halt")
    assert st == 0, out
    assert vm.wait_exit(60) == 0


# ---- network rate limit ----

def _need_root():
    if os.geteuid() != 0:
        umltest.skip("needs root (network namespaces, TAP devices)")


class _NS:
    """A network namespace of the test's own with a TAP in it."""

    def __init__(self, tap):
        self.name = th.unique("umlrate")
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        self.sh("ip link set lo up && ip tuntap add dev %s mode tap && "
                "ip addr add 10.77.0.1/24 dev %s && ip link set %s up"
                % (tap, tap, tap))

    def sh(self, cmd):
        subprocess.run(["ip", "netns", "exec", self.name, "sh", "-c", cmd],
                       check=True)

    def argv(self, argv):
        return ["ip", "netns", "exec", self.name] + list(argv)

    def delete(self):
        umltest.cleanup()
        subprocess.run(["ip", "netns", "del", self.name])


_SINK = """
import socket, sys, time
s = socket.socket(); s.setsockopt(1, 2, 1)
s.bind(('0.0.0.0', int(sys.argv[1]))); s.listen(1)
print("ready", flush=True)
c, _ = s.accept(); n = 0; t0 = None; want = int(sys.argv[2])
while n < want:
    b = c.recv(65536)
    if not b:
        break
    if t0 is None:
        t0 = time.monotonic(); first = len(b)
    n += len(b); t1 = time.monotonic()
c.close()
print(n, n - first, t1 - t0, flush=True)
"""


def _send_and_measure(ns, vm, port, nbytes):
    """Guest -> host over TCP; (bytes, bits per second) at the host."""
    srv = umltest.spawn(ns.argv(["python3", "-c", _SINK, str(port),
                                 str(nbytes)]), stdout=subprocess.PIPE)
    assert srv.stdout.readline().strip() == b"ready"
    vm.sh("dd if=/dev/zero bs=65536 count=%d 2>/dev/null | "
          "nc 10.77.0.1 %d" % (nbytes // 65536, port), timeout=120)
    out, _ = srv.communicate(timeout=60)
    n, after_first, secs = out.decode().split()
    return int(n), int(after_first) * 8 / float(secs)


def test_rate_limit_enforced_and_changed_live():
    _need_root()
    _ready()
    ns = _NS("umlrate0")
    try:
        vm = th.Guest(umid=th.unique("rate"), kernel=umltest.LINUX,
                      mem="256M", args=["eth0=tuntap,umlrate0,,rate=8M"],
                      wrap=ns.argv([]))
        vm.ns = ns.name
        vm.wait_ready()
        vm.sh("ip addr add 10.77.0.2/24 dev eth0 && ip link set eth0 up")
        assert ok(vm, "config", "eth0") == "tuntap,umlrate0,,rate=8000000"
        # 8 Mbit/s: 4 MiB take about 4 s
        n, bps = _send_and_measure(ns, vm, 5301, 4 * MiB)
        assert n == 4 * MiB
        assert 0.9 * 8e6 <= bps <= 1.1 * 8e6, bps
        s = stats(vm)
        assert s["net.eth0.rate_bps"] == 8000000
        assert s["net.eth0.tx_throttled"] > 0
        assert s["net.eth0.tx_bytes"] >= 4 * MiB
        # changed live: 20 Mbit/s
        assert ok(vm, "config", "eth0=rate=20M") == "eth0: rate=20000000"
        n, bps = _send_and_measure(ns, vm, 5302, 8 * MiB)
        assert 0.9 * 20e6 <= bps <= 1.1 * 20e6, bps
        # the guest's root cannot lift it: nothing of the guest's reaches
        # the bucket (its own qdisc only slows it down further)
        vm.sh("ip link set eth0 txqueuelen 100000; ethtool -K eth0 tso off "
              "2>/dev/null; true")
        assert stats(vm)["net.eth0.rate_bps"] == 20000000
        # bad input: a clear answer, nothing changed
        refused(vm, "config", "eth0=rate=fast", match="bits per second")
        refused(vm, "config", "eth0=rate=10X", match="K, M or G")
        refused(vm, "config", "eth0=rate=1000G", match="too large")
        refused(vm, "config", "eth7=rate=1M", match="no such interface")
        assert stats(vm)["net.eth0.rate_bps"] == 20000000
        # no limit again
        assert ok(vm, "config", "eth0=rate=0") == "eth0: rate=0"
        vm.type("poweroff")
        assert vm.wait_exit() == 0
    finally:
        ns.delete()


def test_rate_option_checked_before_boot():
    _ready()
    st, out = umltest.run_kernel("mem=64M", "eth0=tuntap,tap0,,rate=lots",
                                 timeout=30)
    assert st == 2 and "rate=" in out, (st, out)


# ---- systemd ----

UNIT = os.path.join(umltest.TOP, "tools", "systemd", "uml@.service")


def _verify(unit_text):
    """systemd-analyze verify of a unit text in a scratch root."""
    if not shutil.which("systemd-analyze"):
        pytest.fail("systemd-analyze missing (scripts/install-deps.sh "
                    "installs systemd)")
    root = umltest.tmpdir()
    os.makedirs(os.path.join(root, "usr/local/bin"))
    os.makedirs(os.path.join(root, "etc/systemd/system"))
    os.makedirs(os.path.join(root, "usr/lib/systemd"))
    os.symlink("/lib/systemd/system",
               os.path.join(root, "usr/lib/systemd/system"))
    for exe in ("linux", "uml_mconsole"):
        shutil.copy("/bin/true", os.path.join(root, "usr/local/bin", exe))
    with open(os.path.join(root, "etc/systemd/system/uml@.service"),
              "w") as f:
        f.write(unit_text)
    return subprocess.run(["systemd-analyze", "verify", "--root=" + root,
                           "uml@vm1.service"], capture_output=True,
                          text=True, cwd=root)


def test_systemd_unit_verifies():
    with open(UNIT) as f:
        text = f.read()
    r = _verify(text)
    assert r.returncode == 0 and not (r.stdout + r.stderr).strip(), \
        r.stdout + r.stderr
    for key in ("CPUQuota=", "MemoryMax=", "TasksMax=", "IOWeight=",
                "KillMode=control-group", "ExecStop=", "Restart="):
        assert key in text, key
    # the check can fail: a misspelt directive is reported
    r = _verify(text.replace("CPUQuota=", "CPUQuotta="))
    assert "CPUQuotta" in r.stdout + r.stderr


def _unit_exec_start(unit_text, name, conf):
    """The ExecStart line of the unit for instance @name, as argv."""
    line = re.search(r"^ExecStart=(.*)$", unit_text, re.M).group(1)
    line = line.replace("%i", name)
    for k, v in conf.items():
        line = line.replace("${%s}" % k, v).replace("$%s" % k, v)
    return line.split()


def _rmdir(path):
    """rmdir @path; False while it is busy (its tasks are still dying)."""
    try:
        os.rmdir(path)
        return True
    except OSError:
        return False


def test_cpu_cap_holds_every_host_process():
    """The unit's command line under a cgroup CPU quota (the host's
    cgroup filesystem directly: PID 1 here is not systemd)."""
    _need_root()
    _ready()
    cpu = "/sys/fs/cgroup/cpu"
    acct = "/sys/fs/cgroup/cpuacct"
    if not os.path.isdir(cpu) or not os.path.isdir(acct):
        pytest.fail("no cgroup v1 cpu and cpuacct hierarchies")
    name = th.unique("cg")
    groups = [os.path.join(cpu, name), os.path.join(acct, name)]
    for g in groups:
        os.mkdir(g)
    try:
        with open(UNIT) as f:
            text = f.read()
        img = umltest.copy_image()
        uml_dir = umltest.tmpdir()
        argv = _unit_exec_start(text, name, {
            "UML_DISK": img, "UML_MEM": "128M", "UML_TASKS": "100",
            "UML_ARGS": "con0=fd:0,fd:1"})
        argv[0] = umltest.LINUX
        argv = [a.replace("uml_dir=/run/uml", "uml_dir=" + uml_dir)
                for a in argv]
        # every process the kernel starts inherits the group
        wrap = ("for g in %s; do echo $$ > $g/tasks; done; exec \"$@\""
                % " ".join(groups))
        vm = th.Guest.__new__(th.Guest)
        vm.umid = name
        umltest.Console.__init__(vm, ["sh", "-c", wrap, "sh"] + argv)
        vm.mark = 0
        vm.sh("true", 60)
        vm.type("while :; do :; done &")

        def usage():
            with open(os.path.join(groups[1], "cpuacct.usage")) as f:
                return int(f.read())

        def rate(secs):
            u0, t0 = usage(), time.monotonic()
            time.sleep(secs)        # the point: CPU used in @secs
            return (usage() - u0) / 1e9 / (time.monotonic() - t0)

        free = rate(2)
        with open(os.path.join(groups[0], "cpu.cfs_period_us"), "w") as f:
            f.write("100000")
        with open(os.path.join(groups[0], "cpu.cfs_quota_us"), "w") as f:
            f.write("10000")
        time.sleep(0.5)     # the uncapped period ends before the measure
        capped = rate(4)
        # (other work on the host may keep the uncapped figure down)
        assert free > 0.2, free
        assert 0.06 <= capped <= 0.11, (free, capped)
        # every host process of the machine is in the group
        with open(os.path.join(groups[0], "tasks")) as f:
            tasks = {int(t) for t in f.read().split()}
        pids = vm_pids(vm)
        for p in pids:
            try:
                threads = [int(t) for t in os.listdir("/proc/%d/task" % p)]
            except OSError:
                continue
            for t in threads:
                assert t in tasks, (p, t, sorted(tasks))
        assert len(pids) >= 2
        # the unit's ExecStop: a clean halt through the management console
        stop = re.search(r"^ExecStop=(.*)$", text, re.M).group(1).split()
        stop[0] = os.path.join(umltest.TOP, "tools/uml_mconsole/uml_mconsole")
        stop = [a.replace("/run/uml", uml_dir).replace("%i", name)
                for a in stop]
        st, out = umltest.run(stop, timeout=60)
        assert st == 0, out
        assert vm.wait_exit(60) == 0
    finally:
        umltest.cleanup()
        for g in groups:
            try:
                with open(os.path.join(g, "tasks")) as f:
                    for t in f.read().split():
                        os.kill(int(t), 9)
            except OSError:
                pass
            umltest.wait_for(lambda: _rmdir(g), 5, 0.1)
