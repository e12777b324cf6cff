# SPDX-License-Identifier: GPL-2.0
"""The management console of our kernel (arch/um/drivers/mconsole/).

Every test boots ./linux with its own umid and drives it from the host,
with our uml_mconsole, with Debian's classic one, or with raw datagrams:
the machine's directory (pid, socket; taken over when stale, refused when
live; removed on every way the kernel ends), each command and its effect
in the guest, stop/go freezing the guest and its clocks, notifications,
hot-plug through config/remove, and a fuzzer.
"""
import os
import random
import re
import select
import signal
import socket
import struct
import subprocess
import time

import umltest
import tools_helpers as th

MAGIC = 0xcafebabe


def boot(umid=None, args=(), mem="96M", env=None):
    """Our kernel with its own umid, ready for console and mconsole."""
    th.need_tools()
    return th.Guest(umid=umid or th.unique("mk"), args=args,
                    kernel=umltest.LINUX, mem=mem, env=env).wait_ready()


def mc(vm, *cmd, classic=False, timeout=20, opts=()):
    return th.mconsole(vm.umid if isinstance(vm, th.Guest) else vm, *cmd,
                       classic=classic, timeout=timeout, opts=opts)


def ok(vm, *cmd, classic=False):
    st, out, err = mc(vm, *cmd, classic=classic)
    assert st == 0 and out.startswith("OK "), (cmd, st, out, err)
    return out[3:]


def err_answer(vm, *cmd, classic=False):
    st, out, err = mc(vm, *cmd, classic=classic)
    assert st != 0 and out.startswith("ERR "), (cmd, st, out, err)
    return out[4:].rstrip("\n")


class Client:
    """A raw mconsole client (a connected datagram socket)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.s.bind("\0" + th.unique("mkc"))
        self.s.connect(path)
        self.s.settimeout(5)

    def send_raw(self, data):
        try:
            self.s.send(data)
        except BlockingIOError:
            pass

    def request(self, text, version=2, magic=MAGIC, length=None):
        data = text.encode() if isinstance(text, str) else text
        n = len(data) if length is None else length
        return struct.pack("=III", magic, version, n) + data.ljust(512, b"\0")[:512]

    def ask(self, text, **kw):
        """Send a request, collect the answer: (err, text)."""
        self.s.send(self.request(text, **kw))
        return self.answer()

    def answer(self):
        parts, err = [], None
        while True:
            pkt = self.s.recv(4096)
            e, more, n = struct.unpack("=iII", pkt[:12])
            assert n <= 512 and 12 + n <= len(pkt), (n, len(pkt))
            if err is None:
                err = e
            parts.append(pkt[12:12 + n].rstrip(b"\0").decode(errors="replace"))
            if not more:
                return err, "".join(parts)

    def drain(self):
        self.s.setblocking(False)
        try:
            while True:
                self.s.recv(4096)
        except OSError:
            pass
        self.s.settimeout(5)

    def close(self):
        self.s.close()


def sock_path(vm):
    return os.path.join(vm.dir(), "mconsole")


# ---- the machine's directory ----

def test_umid_dir_pid_and_socket():
    vm = boot()
    with open(os.path.join(vm.dir(), "pid")) as f:
        assert int(f.read()) == vm.proc.pid
    assert os.path.exists(sock_path(vm))
    st, out, _ = mc(vm, "version")
    cst, cout, _ = mc(vm, "version", classic=True, timeout=10)
    assert st == 0 and out == cout, (out, cout)
    assert re.match(r"OK Linux uml 6\.12\.\S+ #\d+ .* x86_64\n$", out), out
    assert ok(vm, "halt") == "\n"
    assert vm.wait_exit(20) == 0
    assert not os.path.exists(vm.dir())


def test_generated_umid_and_uml_dir():
    th.need_tools()
    parent = os.path.join(umltest.tmpdir(), "nested", "uml")
    c = umltest.boot("uml_dir=" + parent, mem="96M")
    m = re.search(r"mconsole: umid (uml-[a-z0-9]+) \(made up", c.output())
    assert m, c.output()[-2000:]
    path = os.path.join(parent, m.group(1), "mconsole")
    assert os.path.exists(path), os.listdir(parent)
    st, out, _ = th.mconsole(path, "version")
    assert st == 0 and out.startswith("OK Linux"), out
    c.send("poweroff\n")
    assert c.wait(30) == 0
    assert os.listdir(parent) == [], os.listdir(parent)


def test_unusable_uml_dir_refused_before_boot():
    d = umltest.tmpdir()
    long_dir = os.path.join(d, "x" * 100)
    st, out = umltest.run_kernel("uml_dir=" + long_dir, "mem=64M",
                                 timeout=20)
    assert st == 2 and "too long for a unix socket" in out, (st, out)
    assert not os.path.exists(long_dir)
    afile = os.path.join(d, "file")
    open(afile, "w").close()
    st, out = umltest.run_kernel("uml_dir=" + afile, "mem=64M",
                                 timeout=20)
    assert st == 2 and afile in out and "Linux version" not in out, out


def test_home_unset_falls_back():
    env = {k: v for k, v in os.environ.items() if k != "HOME"}
    vm = boot(env=env)
    # root's home directory from the password database, as the clients use
    assert os.path.exists(sock_path(vm))
    ok(vm, "version")
    ok(vm, "halt")
    assert vm.wait_exit(20) == 0
    assert not os.path.exists(vm.dir())


def test_live_umid_refused_stale_taken_over():
    vm = boot()
    img = umltest.copy_image()
    st, out = umltest.run_kernel("ubd0=" + img, "mem=64M",
                                 "umid=" + vm.umid, timeout=20)
    assert st == 2, (st, out)
    assert vm.umid in out and str(vm.proc.pid) in out, out
    assert "Linux version" not in out, "it booted"
    assert ok(vm, "version").startswith("Linux")   # the first one is intact
    ok(vm, "halt")
    vm.wait_exit(20)

    # a dead machine's leftovers: a pid that is gone and a dead socket
    umid = th.unique("stale")
    d = th.uml_dir(umid)
    os.makedirs(d)
    dead = subprocess.Popen(["true"])
    dead.wait()
    with open(os.path.join(d, "pid"), "w") as f:
        f.write("%d\n" % dead.pid)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(os.path.join(d, "mconsole"))
    s.close()
    open(os.path.join(d, "junk"), "w").close()
    vm2 = boot(umid=umid)
    assert not os.path.exists(os.path.join(d, "junk"))
    assert ok(vm2, "version").startswith("Linux")
    ok(vm2, "halt")
    vm2.wait_exit(20)
    assert not os.path.exists(d)


def test_dir_gone_after_each_way_of_ending():
    # guest poweroff
    vm = boot()
    vm.type("poweroff")
    assert vm.wait_exit(30) == 0
    assert not os.path.exists(vm.dir())
    # SIGTERM from the host
    vm = boot()
    vm.proc.send_signal(signal.SIGTERM)
    assert vm.wait_exit(30) == 0
    assert not os.path.exists(vm.dir())
    # SIGTERM to a stopped machine: it goes on and powers off
    vm = boot()
    ok(vm, "stop")
    vm.proc.send_signal(signal.SIGTERM)
    assert vm.wait_exit(30) == 0
    assert not os.path.exists(vm.dir())
    # panic (sysrq c)
    vm = boot()
    mc(vm, "sysrq", "c", opts=["-t", "1"])
    assert vm.wait_exit(30) != 0
    assert "Kernel panic" in vm.output()
    assert not os.path.exists(vm.dir())
    # reboot: a new image takes the directory again, then halt (classic)
    vm = boot()
    start = len(vm.output())
    assert ok(vm, "reboot", classic=True) == "\n"
    vm.wait_output("Linux version", 30, start)
    vm.wait_ready(60)
    with open(os.path.join(vm.dir(), "pid")) as f:
        assert int(f.read()) == vm.proc.pid
    assert ok(vm, "version").startswith("Linux")
    assert ok(vm, "halt", classic=True) == "\n"
    assert vm.wait_exit(30) == 0
    assert not os.path.exists(vm.dir())


# ---- commands ----

def test_commands_ours_and_classic():
    vm = boot()
    for classic in (False, True):
        assert ok(vm, "help", classic=classic).startswith("Commands:")
        for c in ["version", "help", "halt", "reboot", "config", "remove",
                  "sysrq", "cad", "stop", "go", "log", "proc", "stack"]:
            assert "    %s" % c in ok(vm, "help", classic=classic), c
        out = ok(vm, "proc", "meminfo", classic=classic)
        assert out.startswith("\nMemTotal:"), out[:100]
        total = int(out.split("MemTotal:")[1].split()[0])
        assert 48 * 1024 < total <= 96 * 1024, total
        assert ok(vm, "proc", "sys/kernel/hostname", classic=classic) == \
            "\numl\n\n"
        assert err_answer(vm, "proc", "no/such", classic=classic) == \
            "Failed to open file"
        assert err_answer(vm, "frobnicate", classic=classic) == \
            "Unknown command"
        assert err_answer(vm, "stack", classic=classic) == \
            "Please specify a pid"
        assert err_answer(vm, "stack", "99999", classic=classic) == \
            "Couldn't find that pid"
        assert err_answer(vm, "go", classic=classic) == "Not stopped"
        assert err_answer(vm, "config", classic=classic) == \
            "Bad configuration option"
        assert err_answer(vm, "remove", "nonsense0", classic=classic) == \
            "Bad remove option"
    # long answers: the whole of them, in many parts
    out = ok(vm, "stack", "1")
    assert "Call Trace" in out and "task:init" in out, out
    out = ok(vm, "sysrq", "m")
    assert "Show Memory" in out and "pages RAM" in out, out[-300:]
    # proc of a file longer than one packet
    out = ok(vm, "proc", "zoneinfo")
    lines = int(vm.sh("wc -l < /proc/zoneinfo").split()[-1])
    assert len(out) > 2000 and out.count("\n") == lines + 2, \
        (out.count("\n"), lines)
    # log: a line in the guest's kernel log, from both clients
    tag = th.unique("mklog")
    ok(vm, "log", tag + "-ours")
    # (the classic client sends "log " without the text: docs/tools.md)
    assert ok(vm, "log", tag + "-classic", classic=True).startswith("\n")
    dmesg = vm.sh("dmesg | grep " + tag)
    assert tag + "-ours" in dmesg, dmesg


def test_sysrq_t_lists_tasks_in_log():
    vm = boot()
    out = ok(vm, "sysrq", "t")
    assert "task:init" in out and "task:kthreadd" in out, out[:1000]
    assert out.count("task:") >= 10, out
    log = vm.sh("echo N=$(dmesg | grep -c 'task:')")
    assert int(re.search(r"N=(\d+)", log).group(1)) >= 10, log
    # the classic client gets the answer too (we wait for its queue)
    st, cout, _ = mc(vm, "sysrq", "t", classic=True, timeout=20)
    assert st == 0 and "task:init" in cout, cout[:500]


def test_cad_runs_init_action():
    vm = boot()
    start = len(vm.output())
    assert ok(vm, "cad") == "\n"
    vm.wait_output("init: ctrl-alt-del: rebooting", 20, start)
    vm.wait_output("Linux version", 30, start)
    vm.wait_ready(60)
    ok(vm, "halt")
    assert vm.wait_exit(20) == 0


def _cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])     # utime + stime


def _uptime(vm):
    return float(ok(vm, "proc", "uptime").split()[0])


def test_stop_go_freezes_guest_and_clock():
    vm = boot()
    vm.type("i=0; while [ $i -lt 100000 ]; do i=$((i+1)); echo tick$i; "
            "sleep 0.1; done &")
    vm.wait_output("tick5")
    assert ok(vm, "stop") == "stopped\n"
    # what the guest wrote before it stopped has come in
    frozen = vm.settle()
    up1 = _uptime(vm)
    t0 = time.monotonic()
    cpu0 = _cpu_ticks(vm.proc.pid)
    # the point of the test: 1.5 s pass (ended early by output)
    umltest.wait_for(lambda: len(vm.output()) != frozen, 1.5)
    # a stopped machine sleeps on the host
    assert _cpu_ticks(vm.proc.pid) - cpu0 <= 10, "busy while stopped"
    # nothing ran, no timer fired, the guest's clock stood still
    assert len(vm.output()) == frozen, vm.output()[frozen:]
    up2 = _uptime(vm)
    assert up2 == up1, (up1, up2)
    assert err_answer(vm, "stop") == "Already stopped"
    assert err_answer(vm, "config", "ubd5=/nonexistent") .startswith(
        "The machine is stopped")
    assert ok(vm, "version").startswith("Linux")
    assert ok(vm, "go") == "\n"
    paused = time.monotonic() - t0
    m = re.findall(r"tick(\d+)", vm.output())
    last = int(m[-1])
    vm.wait_output("tick%d" % (last + 5), 10)
    up3 = _uptime(vm)
    # the pause is not in the guest's clock
    assert up3 - up2 < paused - 0.5, (up2, up3, paused)
    # wall-clock time caught up, within the test's slack
    guest = float(vm.sh("date +%s").strip().splitlines()[-1])
    assert abs(guest - time.time()) < 3, (guest, time.time())
    # and the same with the classic client
    assert ok(vm, "stop", classic=True) == "stopped\n"
    frozen = vm.settle()
    # a second of a stopped machine (ended early by output)
    umltest.wait_for(lambda: len(vm.output()) != frozen, 1)
    assert len(vm.output()) == frozen
    assert ok(vm, "go", classic=True) == "\n"
    assert "alive" in vm.sh("echo ali''ve")


def test_halt_and_reboot_from_stopped_machine():
    vm = boot()
    ok(vm, "stop")
    start = len(vm.output())
    assert ok(vm, "reboot") == "\n"
    vm.wait_output("Linux version", 30, start)
    vm.wait_ready(60)
    ok(vm, "stop")
    assert ok(vm, "halt") == "\n"
    assert vm.wait_exit(20) == 0
    assert not os.path.exists(vm.dir())


def test_notify():
    d = umltest.tmpdir()
    path = os.path.join(d, "notify")
    lsn = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    lsn.bind(path)
    lsn.settimeout(60)

    def note():
        pkt = lsn.recv(1024)
        magic, version, kind, n = struct.unpack("=IIII", pkt[:16])
        assert (magic, version) == (MAGIC, 2), (magic, version)
        return kind, pkt[16:16 + n].rstrip(b"\0").decode()

    try:
        vm = boot(args=["mconsole=notify:" + path])
        assert note() == (0, sock_path(vm))
        vm.sh("echo hello-host > /proc/mconsole")
        kind, text = note()
        assert kind == 3 and text.startswith("hello-host"), (kind, text)
        ok(vm, "halt")
        assert note() == (2, "halt")
        assert vm.wait_exit(20) == 0

        vm = boot(args=["mconsole=notify:" + path])
        assert note()[0] == 0
        mc(vm, "sysrq", "c", opts=["-t", "1"])
        kind, text = note()
        assert kind == 1 and "sysrq" in text.lower(), (kind, text)
        assert vm.wait_exit(20) != 0
        # our client's --notify understands them
    finally:
        lsn.close()
    st, out = umltest.run_kernel("mconsole=bogus", timeout=10)
    assert st == 2 and "mconsole=bogus" in out, out


# ---- bad input ----

def test_bad_packets_answered_or_dropped():
    vm = boot()
    c = Client(sock_path(vm))
    try:
        # wrong version: an error answer
        e, text = c.ask("version", version=1)
        assert e != 0 and "version" in text, (e, text)
        # length past the packet or the buffer
        e, text = c.ask("version", length=600)
        assert e != 0 and "length" in text, (e, text)
        c.s.send(struct.pack("=III", MAGIC, 2, 100) + b"version")
        e, text = c.answer()
        assert e != 0 and "length" in text, (e, text)
        # unknown command, empty command, embedded NUL, a 511-byte one
        assert c.ask("nonsense") == (1, "Unknown command")
        assert c.ask("") == (1, "Unknown command")
        assert c.ask(b"version\0junk")[0] == 0
        assert c.ask("log " + "x" * 507)[0] == 0
        # runts and foreign magic: dropped, then a good request works
        for junk in (b"", b"\xbe", struct.pack("=II", MAGIC, 2),
                     struct.pack("=III", 0xdeadbeef, 2, 7) + b"version"):
            c.send_raw(junk)
        e, text = c.ask("version")
        assert e == 0 and text.startswith("Linux"), (e, text)
    finally:
        c.close()
    assert vm.alive()


def test_fuzzer_keeps_vm_answering():
    vm = boot()
    rnd = random.Random(1234)
    c = Client(sock_path(vm))
    good = [c.request(t) for t in ("version", "help", "proc uptime",
                                   "stack 1", "log fuzz", "go",
                                   "config ubd9", "remove ubd9",
                                   "sysrq 5", "proc self/status")]
    sent = 0
    deadline = time.monotonic() + 25
    try:
        while sent < 4000 and time.monotonic() < deadline:
            k = rnd.randrange(6)
            if k == 0:
                pkt = bytes(rnd.randrange(256)
                            for _ in range(rnd.randrange(600)))
            elif k == 1:
                pkt = bytearray(rnd.choice(good))
                for _ in range(rnd.randrange(1, 8)):
                    pkt[rnd.randrange(len(pkt))] = rnd.randrange(256)
                pkt = bytes(pkt)
            elif k == 2:
                pkt = rnd.choice(good)[:rnd.randrange(530)]
            elif k == 3:
                n = rnd.choice([0, 511, 512, 513, 0xffffffff,
                                rnd.randrange(1 << 32)])
                pkt = struct.pack("=III", MAGIC, 2, n) + \
                    bytes(rnd.randrange(32, 127) for _ in range(512))
            elif k == 4:
                pkt = struct.pack("=III", MAGIC, rnd.randrange(5),
                                  7) + b"version".ljust(512, b"\0")
            else:
                pkt = rnd.choice(good)
            c.send_raw(pkt)
            sent += 1
            if sent % 50 == 0:
                c.drain()
        c.drain()
    finally:
        c.close()
    assert sent >= 1000, sent
    assert vm.alive()
    assert umltest.wait_for(lambda: mc(vm, "version")[0] == 0, 20)
    assert "Kernel panic" not in vm.output() and "BUG" not in vm.output()
    assert "ok" in vm.sh("echo o''k")


def test_flood_from_client_that_never_reads():
    vm = boot()
    # an unconnected socket: the host queues at most 10 answers for it
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0" + th.unique("mkslow"))
    s.setblocking(False)
    req = Client.request(None, "proc meminfo")
    sent = 0
    end = time.monotonic() + 10
    while sent < 300 and time.monotonic() < end:
        try:
            s.sendto(req, sock_path(vm))
            sent += 1
        except BlockingIOError:
            # the queue is full: wait until it takes one more
            select.select([], [s], [], 0.1)
    # other clients are still served, and soon
    t0 = time.monotonic()
    assert ok(vm, "version").startswith("Linux")
    assert "MemTotal" in ok(vm, "proc", "meminfo")
    assert time.monotonic() - t0 < 8, time.monotonic() - t0
    s.close()
    assert "ok" in vm.sh("echo o''k")


# ---- hot-plug (device kinds come from the block, console, net work) ----

def _need_kind(vm, name):
    """The kernel ships the kind: the management console must know it."""
    st, out, _ = mc(vm, "config", name + "0")
    assert "Bad configuration option" not in out, \
        "no '%s' device kind: %s" % (name, out)


def test_hotplug_ubd():
    vm = boot()
    _need_kind(vm, "ubd")
    assert ok(vm, "config", "ubd0") == vm.img + "\n"
    extra = os.path.join(umltest.tmpdir(), "extra.img")
    subprocess.run(["mke2fs", "-q", "-t", "ext4", extra, "8M"], check=True)
    vm.sh("rm -f /tmp/ue; (cat /sys/kernel/uevent_seqnum) > /tmp/seq0")
    ok(vm, "config", "ubd1=" + extra)
    assert umltest.wait_for(lambda: "ubdb" in vm.sh("ls /dev"), 10)
    assert ok(vm, "config", "ubd1") == extra + "\n"
    seq = vm.sh("cat /tmp/seq0 /sys/kernel/uevent_seqnum").split()
    assert int(seq[1]) > int(seq[0]), seq       # uevents were sent
    vm.sh("mkdir -p /mnt/x && mount /dev/ubdb /mnt/x && "
          "echo hotplugged > /mnt/x/file")
    msg = err_answer(vm, "remove", "ubd1")
    assert "use" in msg.lower() or "busy" in msg.lower(), msg
    vm.sh("umount /mnt/x")
    ok(vm, "remove", "ubd1")
    assert umltest.wait_for(lambda: "ubdb" not in vm.sh("ls /dev"), 10)
    err_answer(vm, "remove", "ubd1")
    out = subprocess.run(["debugfs", "-R", "cat /file", extra],
                         capture_output=True, text=True).stdout
    assert "hotplugged" in out, out


def test_hotplug_ssl():
    vm = boot()
    _need_kind(vm, "ssl")
    out = ok(vm, "config", "ssl3=pty")
    assert re.search(r"/dev/(pts/\d+|pty\w+)", out), out
    ok(vm, "remove", "ssl3")


def test_hotplug_eth():
    vm = boot()
    _need_kind(vm, "eth")
    # a switch of our own on a private socket: nothing leaves the machine
    sw = th.Switch()
    out = ok(vm, "config", "eth1=daemon,,unix," + sw.ctl)
    assert "eth1" in out, out
    assert umltest.wait_for(lambda: "eth1" in vm.sh("ls /sys/class/net"),
                            10)
    assert ok(vm, "config", "eth1").startswith("daemon"), \
        ok(vm, "config", "eth1")
    ok(vm, "remove", "eth1")
    assert umltest.wait_for(lambda: "eth1" not in
                            vm.sh("ls /sys/class/net"), 10)
    err_answer(vm, "remove", "eth1")
    sw.stop()


# ---- the host tools' own suite (tests/test_mconsole.py), on our kernel ----

def _tools_test(name):
    """Run test_mconsole.NAME with our kernel instead of the reference."""
    import test_mconsole
    old = th.KERNEL
    th.KERNEL = umltest.LINUX
    try:
        getattr(test_mconsole, name)()
    finally:
        th.KERNEL = old
        umltest.cleanup()


def test_tools_suite_version_help_proc():
    _tools_test("test_version_help_proc_same_as_classic")


def test_tools_suite_config_remove():
    vm = boot()
    _need_kind(vm, "ubd")
    ok(vm, "halt")
    vm.wait_exit(20)
    _tools_test("test_config_remove")


def test_tools_suite_log_sysrq_stack():
    _tools_test("test_log_and_log_file")
    _tools_test("test_sysrq_and_stack")


def test_tools_suite_stop_go_hung_stale():
    _tools_test("test_stop_go")
    _tools_test("test_timeout_on_hung_vm")
    _tools_test("test_stale_socket_of_killed_vm")


def test_tools_suite_halt_reboot_cad_int_notify():
    _tools_test("test_halt")
    _tools_test("test_reboot")
    _tools_test("test_cad")
    _tools_test("test_int")
    _tools_test("test_notify")
