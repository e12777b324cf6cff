# SPDX-License-Identifier: GPL-2.0
"""uml_switch: unchanged reference kernels ping each other through it (switch
and hub mode), a guest reaches a TAP device in a network namespace, and
synthetic clients check learning, flooding and robustness against bad
control requests, bad frames, vanishing and stuck clients, many clients.
"""
import os
import resource
import signal
import socket
import subprocess
import time

import umltest
import tools_helpers as th
from tools_helpers import Guest, Switch, SwitchClient, BROADCAST


def guest_on(sw, n, **kw):
    mac = "fe:fd:0a:00:00:%02x" % n
    return Guest(args=["eth0=daemon,%s,unix,%s" % (mac, sw.ctl)], **kw)


def ping_pair(sw):
    a = guest_on(sw, 1)
    b = guest_on(sw, 2)
    a.wait_ready()
    b.wait_ready()
    a.sh("ifconfig eth0 10.0.0.1 netmask 255.255.255.0 up")
    b.sh("ifconfig eth0 10.0.0.2 netmask 255.255.255.0 up")
    out = a.sh("ping -c 3 -W 5 10.0.0.2", 40)
    assert "3 packets received" in out, out
    out = b.sh("ping -c 3 -W 5 10.0.0.1", 40)
    assert "3 packets received" in out, out
    # a bigger frame, close to the MTU, makes it through too
    out = a.sh("ping -c 2 -s 1400 -W 5 10.0.0.2", 40)
    assert "2 packets received" in out, out
    return a, b


def test_two_guests_ping_switch_mode():
    sw = Switch()
    a, b = ping_pair(sw)
    log = sw.log()
    assert log.count("new client") == 2, log
    th.mconsole(a.umid, "halt")
    a.wait_exit(20)
    assert umltest.wait_for(lambda: "client left" in sw.log(), 5), sw.log()
    # the other guest is still served after its peer left
    assert sw.alive()
    assert "0 packets received" in b.sh("ping -c 1 -W 1 10.0.0.1", 20)


def test_two_guests_ping_hub_mode():
    sw = Switch(["-hub"])
    ping_pair(sw)
    assert "(hub)" in sw.log(), sw.log()


def test_tap_in_namespace():
    if os.geteuid() != 0:
        umltest.skip("needs root for ip netns and tap devices")
    th.need_tools()
    th.need_ref_kernel()
    ns = th.unique("umlsw")
    tap = "tapsw%d" % (os.getpid() % 100000)
    r = subprocess.run(["ip", "netns", "add", ns], capture_output=True)
    if r.returncode != 0:
        umltest.skip("ip netns add failed: %s" % r.stderr.decode())
    try:
        nsx = ["ip", "netns", "exec", ns]

        def ip(*args):
            r = subprocess.run(nsx + ["ip"] + list(args),
                               capture_output=True, timeout=20)
            assert r.returncode == 0, (args, r.stderr)
        ip("tuntap", "add", "dev", tap, "mode", "tap")
        ip("addr", "add", "10.0.9.254/24", "dev", tap)
        ip("link", "set", tap, "up")
        ip("link", "set", "lo", "up")
        # abstract socket names belong to a network namespace: the switch
        # and the guest both live in the test's namespace
        sw = Switch(["-tap", tap], wrap=nsx)
        g = guest_on(sw, 7, wrap=nsx).wait_ready()
        g.sh("ifconfig eth0 10.0.9.1 netmask 255.255.255.0 up")
        out = g.sh("ping -c 3 -W 5 10.0.9.254", 40)
        assert "3 packets received" in out, out
        r = subprocess.run(nsx + ["busybox", "ping", "-c", "3", "-W", "5",
                                  "10.0.9.1"], capture_output=True,
                           timeout=40)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "tap " + tap in sw.log(), sw.log()
        # the TAP device vanishing under the switch closes that port; the
        # switch neither spins nor stops
        ip("link", "del", tap)
        assert umltest.wait_for(lambda: "tap %s: closed" % tap in sw.log(),
                                5), sw.log()
        t0 = _cpu_ticks(sw.proc.pid)
        time.sleep(1)       # the point: a second of CPU, measured
        assert _cpu_ticks(sw.proc.pid) - t0 < 10, "switch spins"
        assert sw.alive()
        sw.stop()
        umltest.cleanup()
    finally:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "del",
                        tap], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def learning(sw_args, classic=False):
    sw = Switch(sw_args, classic=classic)
    a, b = (SwitchClient(sw.ctl, n) for n in (1, 2))
    c = SwitchClient(sw.ctl, 3, path=os.path.join(sw.dir, "c.sock"))
    # broadcast reaches everybody else, and teaches the switch a and b
    a.send(BROADCAST, b"from-a")
    b.send(BROADCAST, b"from-b")
    got_c = c.recv_all()
    assert len(got_c) == 2, got_c
    assert len(b.recv_all()) == 1 and len(a.recv_all()) == 1
    # unicast a -> b
    a.send(b.mac, b"unicast")
    got_b, got_c = b.recv_all(), c.recv_all()
    assert len(got_b) == 1 and got_b[0][14:21] == b"unicast", got_b
    assert got_b[0][:6] == b.mac and got_b[0][6:12] == a.mac
    # an unknown destination floods
    a.send(th.mac(99), b"unknown")
    assert len(b.recv_all()) == 1 and len(c.recv_all()) == 1
    return sw, got_c


def test_mac_learning_and_flooding():
    sw, got_c = learning([])
    assert got_c == [], "switch mode leaked a unicast frame: %r" % got_c
    assert sw.alive()


def test_hub_repeats_everything():
    sw, got_c = learning(["-hub"])
    assert len(got_c) == 1, "hub mode must repeat unicast: %r" % got_c


def test_synthetic_client_speaks_classic_protocol():
    # the same client works against the classic switch: it speaks the
    # protocol the classic switch (and so a UML kernel) expects
    sw, got_c = learning([], classic=True)
    assert got_c == []


def test_malformed_control_requests():
    sw = Switch()
    good = [SwitchClient(sw.ctl, n) for n in (1, 2)]

    def attempt(payload, close=True):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(3)
        s.connect(sw.ctl)
        s.sendall(payload)
        if close:
            try:
                s.shutdown(socket.SHUT_WR)
                ans = s.recv(200)
            except OSError:
                ans = b""
            s.close()
            return ans
        return s

    name = th.abstract_name(th.unique("bad"))
    cases = [
        th.switch_request(name, magic=0x12345678),
        th.switch_request(name, version=2),
        th.switch_request(name, rtype=7),
        th.switch_request(name, family=socket.AF_INET),
        th.switch_request(th.abstract_name("nobody-binds-this")),
        th.switch_request(b"/no/such/dir/sock".ljust(108, b"\0")),
        th.switch_request(b"x" * 108),
        th.switch_request(name)[:50],
        b"",
        os.urandom(124),
    ]
    for c in cases:
        assert attempt(c) == b"", c
    # a slow client: half a request now, the rest a little later is fine
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(sw.ctl)
    d = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    slow = th.abstract_name(th.unique("slow"))
    d.bind(slow)
    req = th.switch_request(slow)
    s.sendall(req[:30])
    time.sleep(0.3)         # the point: the rest comes later
    s.sendall(req[30:])
    assert len(s.recv(110)) == 110
    # garbage after a good request is ignored, the port stays up
    s.sendall(b"junk after the request")
    # a client that never completes its request is dropped after a while
    hang = attempt(th.switch_request(name)[:10], close=False)
    log = sw.log()
    for text in ["bad magic", "version 2", "type 7", "not AF_UNIX",
                 "cannot reach data socket", "not terminated",
                 "truncated control request"]:
        assert text in log, (text, log)
    # the good clients were served all along
    good[0].send(BROADCAST, b"still-there")
    got = good[1].recv_all()
    assert len(got) == 1 and b"still-there" in got[0], got
    assert umltest.wait_for(lambda: "unexpected bytes" in sw.log(), 3)
    assert umltest.wait_for(lambda: "no complete control request" in
                            sw.log(), 10), sw.log()
    assert hang.recv(10) == b""
    assert sw.alive()


def test_malformed_frames():
    sw = Switch()
    a, b = SwitchClient(sw.ctl, 1), SwitchClient(sw.ctl, 2)
    a.send(BROADCAST)
    b.recv_all()
    for raw in [b"", b"\x01", b"\xff" * 13]:
        a.send_raw(raw)
    big = th.frame(BROADCAST, a.mac, b"o" * 3000)
    a.send_raw(big)
    a.send_raw(th.frame(BROADCAST, a.mac, b"m" * 1523))
    # exactly at the limit is still a frame
    a.send_raw(th.frame(BROADCAST, a.mac, b"l" * 1522)[:1536])
    a.send(BROADCAST, b"after")
    got = b.recv_all()
    assert [len(f) for f in got] == [1536, 19], [len(f) for f in got]
    assert got[1][14:] == b"after"
    log = sw.log()
    assert log.count("runt frame") == 3, log
    assert log.count("oversized frame") == 2, log
    assert sw.alive()


def test_vanishing_and_stuck_clients():
    sw = Switch()
    a, b, c = (SwitchClient(sw.ctl, n) for n in (1, 2, 3))
    for x in (a, b, c):
        x.send(BROADCAST)
    for x in (a, b, c):
        x.recv_all(0.1)
    # c vanishes without a word: frames for it must not hurt anybody
    c.close()
    for _ in range(20):
        a.send(c.mac, b"to-the-dead")
    # once the switch has noticed, c's address is unknown again and frames
    # for it are flooded: b may see some (its queue holds only a few)
    assert all(f[14:] == b"to-the-dead" for f in b.recv_all())
    a.send(b.mac, b"alive")
    assert [f[14:] for f in b.recv_all()] == [b"alive"]
    assert umltest.wait_for(lambda: "client left" in sw.log(), 5)
    # b stops reading: its queue fills, the switch drops for b and goes on
    d = SwitchClient(sw.ctl, 4)
    d.send(BROADCAST)
    t0 = time.monotonic()
    for i in range(2000):
        a.send(b.mac, b"flood")
    a.send(d.mac, b"for-d")
    got = d.recv_all(1)
    assert any(b"for-d" in f for f in got), got
    assert time.monotonic() - t0 < 10
    assert sw.alive()
    b.close()
    assert umltest.wait_for(lambda: "dropped" in sw.log() and
                            sw.log().count("client left") == 2, 5), sw.log()
    assert "frames in" in sw.log()


def test_many_clients_bounded_memory():
    sw = Switch(["-quiet"])
    # once a client is served, the switch is fully set up: its own
    # descriptors are those it has beyond the two of that client
    first = SwitchClient(sw.ctl, 9)
    base = _fds(sw) - 2
    first.close()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(400, (hard - 64) // 2)
    if soft < 2 * want + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    rss0 = sw.rss_kb()
    for rnd in range(2):
        clients = [SwitchClient(sw.ctl, 10 + i) for i in range(want)]
        for cl in clients[:50]:
            cl.send(BROADCAST, b"hello")
        clients[0].send(clients[1].mac, b"direct")
        assert any(b"direct" in f for f in clients[1].recv_all(0.5))
        rss = sw.rss_kb()
        for cl in clients:
            cl.close()
        assert umltest.wait_for(lambda: _fds(sw) == base, 10), _fds(sw)
    assert rss < rss0 + 8 * 1024, (rss0, rss)
    assert rss < 16 * 1024, rss
    assert sw.alive()


def _fds(sw):
    return len(os.listdir("/proc/%d/fd" % sw.proc.pid))


def test_port_limit_refuses_cleanly():
    # with 64 descriptors the switch can serve only a few ports: further
    # clients are refused, those already connected keep working
    th.need_tools()
    sw = Switch(wrap=["prlimit", "--nofile=64:64", "--"])
    clients, refused = [], 0
    for i in range(40):
        try:
            clients.append(SwitchClient(sw.ctl, 100 + i))
        except (AssertionError, OSError):
            refused += 1
    assert refused > 0 and len(clients) > 4, (refused, len(clients))
    assert "ports in use" in sw.log(), sw.log()
    clients[0].send(BROADCAST, b"x")
    assert len(clients[-1].recv_all()) == 1


def test_daemon_mode_and_stale_socket():
    th.need_tools()
    d = umltest.tmpdir()
    ctl = os.path.join(d, "ctl")
    pidfile = os.path.join(d, "pid")
    st, out, err = th.run_tool([th.SWITCH, "-unix", ctl, "-daemon",
                                "-pidfile", pidfile], timeout=10)
    assert st == 0, (st, out, err)
    pid = int(open(pidfile).read())
    try:
        os.kill(pid, 0)
        cl = SwitchClient(ctl, 1)
        cl.close()
        # a second switch on the same socket refuses to start
        st, out, err = th.run_tool([th.SWITCH, "-unix", ctl], timeout=10)
        assert st == 1 and "already serves" in err, (st, err)
        # killed hard, the daemon leaves a stale socket behind; a new
        # switch takes it over
        os.kill(pid, signal.SIGKILL)
        assert umltest.wait_for(lambda: not os.path.exists(
            "/proc/%d" % pid) or open("/proc/%d/stat" % pid).read()
            .split()[2] == "Z", 5)
        assert os.path.exists(ctl)
        sw = Switch(ctl=ctl)
        SwitchClient(ctl, 2).close()
        sw.stop()
        assert not os.path.exists(ctl), "socket left behind after SIGTERM"
        # a daemon ends cleanly on SIGTERM: socket and pid file go
        st, out, err = th.run_tool([th.SWITCH, "-unix", ctl, "-daemon",
                                    "-pidfile", pidfile], timeout=10)
        assert st == 0, (st, out, err)
        pid = int(open(pidfile).read())
        SwitchClient(ctl, 3).close()
        os.kill(pid, signal.SIGTERM)
        assert umltest.wait_for(lambda: not os.path.exists(ctl) and
                                not os.path.exists(pidfile), 5)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_bad_command_line():
    th.need_tools()
    st, out, err = th.run_tool([th.SWITCH, "-frob"])
    assert st == 2 and "-frob" in err, (st, err)
    st, out, err = th.run_tool([th.SWITCH, "-unix", "/tmp/a", "/tmp/b"])
    assert st == 2 and "compat" in err, (st, err)
    st, out, err = th.run_tool([th.SWITCH, "-unix", "/no/such/dir/ctl"])
    assert st == 1 and "cannot listen" in err, (st, err)
    st, out, err = th.run_tool([th.SWITCH, "-unix",
                                os.path.join(umltest.tmpdir(), "c"),
                                "-tap", "x" * 40])
    assert st == 1 and "too long" in err, (st, err)


def _ctxt_switches(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    return 0


def _settled_ctxt_switches(pid):
    """The switch's count of sleeps once it has stopped waking (0.2 s
    without one): the work of the last frame is over."""
    last = [_ctxt_switches(pid)]

    def quiet():
        time.sleep(0.2)
        n, last[0] = last[0], _ctxt_switches(pid)
        return n == last[0]
    umltest.wait_for(quiet, 10)
    return last[0]


def test_idle_switch_sleeps():
    # an idle switch with clients attached has no timer running: it does
    # not wake up at all until something happens
    sw = Switch()
    a, b = SwitchClient(sw.ctl, 1), SwitchClient(sw.ctl, 2)
    a.send(BROADCAST)
    assert len(b.recv_all(0.2)) == 1
    before = _settled_ctxt_switches(sw.proc.pid)
    time.sleep(2.5)         # the point: 2.5 s of an idle switch
    after = _ctxt_switches(sw.proc.pid)
    assert after - before == 0, "idle switch woke %d times" % (after - before)
    # a half-finished request starts the timer that reaps it
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sw.ctl)
    s.sendall(b"\0" * 10)
    assert umltest.wait_for(
        lambda: _ctxt_switches(sw.proc.pid) - after >= 2, 5), \
        _ctxt_switches(sw.proc.pid) - after
    s.close()


def test_nic_hotplug_through_mconsole():
    # both tools together: a network device plugged into a running guest
    # with uml_mconsole joins our switch, and leaves it when removed
    sw = Switch()
    a = guest_on(sw, 1).wait_ready()
    b = Guest().wait_ready()
    st, out, err = th.mconsole(b.umid, "config",
                               "eth0=daemon,fe:fd:0a:00:00:02,unix," + sw.ctl)
    assert (st, out) == (0, "OK \n"), (st, out, err)
    assert umltest.wait_for(lambda: sw.log().count("new client") == 2, 10)
    a.sh("ifconfig eth0 10.0.0.1 netmask 255.255.255.0 up")
    b.sh("ifconfig eth0 10.0.0.2 netmask 255.255.255.0 up")
    out = b.sh("ping -c 2 -W 5 10.0.0.1", 30)
    assert "2 packets received" in out, out
    b.sh("ifconfig eth0 down")
    st, out, err = th.mconsole(b.umid, "remove", "eth0")
    assert (st, out) == (0, "OK \n"), (st, out, err)
    assert umltest.wait_for(lambda: "client left" in sw.log(), 10), sw.log()


def test_mac_table_flood():
    # a client claiming 30000 source addresses fills the address table;
    # it stays bounded and the switch keeps learning and forwarding
    sw = Switch()
    a, b, c = (SwitchClient(sw.ctl, n) for n in (1, 2, 3))
    rss0 = sw.rss_kb()
    for i in range(30000):
        src = bytes([0x02, 0x55, (i >> 16) & 0xff, (i >> 8) & 0xff,
                     i & 0xff, 0x01])
        a.send_raw(th.frame(b"\x02\x99\x00\x00\x00\x01", src))
        if i % 1000 == 0:
            b.recv_all(0.001)
            c.recv_all(0.001)
    b.recv_all(0.2)
    c.recv_all(0.2)
    assert sw.alive()
    assert sw.rss_kb() < rss0 + 2048, (rss0, sw.rss_kb())
    b.send(BROADCAST, b"b-again")
    c.send(BROADCAST, b"c-again")
    a.recv_all(0.2)
    b.recv_all(0.2)
    c.recv_all(0.2)
    b.send(c.mac, b"learnt")
    assert [f[14:] for f in c.recv_all()] == [b"learnt"]
    assert a.recv_all(0.2) == [], "unicast leaked after relearning"


def _cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])
