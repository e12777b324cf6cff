# SPDX-License-Identifier: GPL-2.0
"""Networking: the ethN= device and its transports, checked from outside.

TAP (ping both ways, TCP both ways with checksums), two of our VMs through
our uml_switch and through the classic one, one of ours and a classic
linux.uml on one switch, two VMs on a multicast group, user networking
through passt (DHCP, an HTTP fetch from the host's loopback), a storm of
malformed frames through the switch, a switch that goes away and comes
back, and every kind of bad ethN= spec.

Tests that need root or namespaces make their own network namespace and
remove it; nothing leaves the machine, every wait is bounded.
"""
import contextlib
import hashlib
import os
import re
import socket
import subprocess
import time

import umltest
import tools_helpers as th

_seq = [0]


def need_root():
    if os.geteuid() != 0:
        umltest.skip("needs root (network namespaces, TAP devices)")


def host(cmd, timeout=20):
    """Run a host shell command; its output, or fail."""
    r = subprocess.run(["sh", "-c", cmd], capture_output=True, text=True,
                       timeout=timeout)
    if r.returncode:
        raise AssertionError("%s: %s%s" % (cmd, r.stdout, r.stderr))
    return r.stdout


class NetNS:
    def __init__(self):
        _seq[0] += 1
        self.name = "umlnet%d-%d" % (os.getpid(), _seq[0])
        host("ip netns add %s" % self.name)
        self.sh("ip link set lo up")

    def sh(self, cmd, timeout=20):
        return host("ip netns exec %s sh -c '%s'" % (self.name, cmd),
                    timeout)

    def argv(self, argv):
        return ["ip", "netns", "exec", self.name] + list(argv)

    def delete(self):
        subprocess.run(["ip", "netns", "del", self.name],
                       capture_output=True)


@contextlib.contextmanager
def netns():
    need_root()
    ns = NetNS()
    try:
        yield ns
    finally:
        umltest.cleanup()
        ns.delete()


def boot(*args, ns=None, mem="128M"):
    """Our kernel on a private image, to a shell prompt."""
    umid = th.unique("net")
    th._umids.append(umid)
    return umltest.boot("umid=" + umid, *args, mem=mem,
                        wrap=ns.argv([]) if ns else ())


def gsh(c, cmd, timeout=60):
    """Run @cmd in guest @c; its output, failing on a non-zero status."""
    st, out = c.sh(cmd, timeout)
    assert st == 0, "guest: %s -> %d\n%s\n%s" % (cmd, st, out,
                                                  c.output()[-2000:])
    return out


def up(c, addr, dev="eth0"):
    gsh(c, "ip addr add %s/24 dev %s && ip link set %s up" % (addr, dev, dev))


def received(out):
    m = re.search(r"(\d+) packets received", out)
    return int(m.group(1)) if m else 0


def counter(c, name, dev="eth0"):
    return int(gsh(c, "cat /sys/class/net/%s/statistics/%s" %
                   (dev, name)).split()[-1])


def need_nettool():
    st, out = umltest.run(["debugfs", "-R", "stat /usr/bin/nettool",
                           umltest.ROOT_IMG], timeout=10)
    assert "Inode:" in out, "root.img has no nettool (make root.img)"


# ---- bad specifications ----

BAD_SPECS = [
    ("eth0=", "no transport"),
    ("eth0=bogus,x", "unknown transport"),
    ("eth=tuntap,tap0", "interface number"),
    ("eth32=mcast", "too large"),
    ("eth0tuntap,tap0", "'='"),
    ("eth0=tuntap", "TAP device"),
    ("eth0=tuntap,tap0,zz:00:00:00:00:01", "MAC"),
    ("eth0=tuntap,tap0,01:00:00:00:00:01", "multicast"),
    ("eth0=tuntap,averyveryverylongname0", "too long"),
    ("eth0=tuntap,tap0,fe:fd:00:00:00:01,extra", "too many"),
    ("eth0=daemon,fe:fd:00:00:00:01,tcp,/tmp/x", "unix"),
    ("eth0=daemon,,unix," + "/x" * 60, "too long"),
    ("eth0=mcast,,300.1.1.1", "group address"),
    ("eth0=mcast,,10.0.0.1", "not a multicast"),
    ("eth0=mcast,,239.1.1.1,99999", "port"),
    ("eth0=mcast,,239.1.1.1,1102,256", "TTL"),
    ("eth0=user,fe:fd:00:00:00:01,more", "too many"),
]


def test_net_bad_specs_exit_2():
    for spec, word in BAD_SPECS:
        st, out = umltest.run_kernel(spec, "mem=64M", timeout=20)
        assert st == 2, (spec, st, out)
        assert "bad option '%s'" % spec in out, (spec, out)
        assert word in out, (spec, word, out)
    st, out = umltest.run_kernel("--help", timeout=20)
    assert "ethN=TRANSPORT" in out, out


def test_net_missing_host_side():
    """A missing TAP or switch: a message naming the interface, ifup fails,
    the machine runs on; a switch that appears later is joined."""
    d = umltest.tmpdir()
    ctl = os.path.join(d, "ctl")
    c = boot("eth0=tuntap,umlnotap0", "eth1=daemon,,unix," + ctl)
    st, out = c.sh("ip link set eth0 up 2>&1")
    assert st != 0, out
    st, out = c.sh("ip link set eth1 up 2>&1")
    assert st != 0, out
    log = gsh(c, "dmesg | grep eth")
    assert "eth0: no TAP device umlnotap0" in log, log
    assert "eth1: cannot reach the switch at %s" % ctl in log, log
    assert "hello" in gsh(c, "echo hello")
    # the switch comes up: ifup now joins it
    sw = th.Switch(ctl=ctl)
    gsh(c, "ip link set eth1 up")
    assert umltest.wait_for(lambda: "new client" in sw.log(), 5), sw.log()
    assert c.poweroff() == 0


# ---- TAP ----

def serve_once(ns, port, data=None, expect=0):
    """A one-shot TCP server in @ns: sends @data, or receives @expect
    bytes and prints their sha256."""
    if data is not None:
        code = ("import socket,sys\n"
                "s=socket.socket();s.setsockopt(1,2,1)\n"
                "s.bind(('0.0.0.0',%d));s.listen(1)\n"
                "c,_=s.accept();d=open(sys.argv[1],'rb').read()\n"
                "c.sendall(d);c.close()\n" % port)
        return listening(ns, port, umltest.spawn(
            ns.argv(["python3", "-c", code, data])))
    code = ("import socket,hashlib\n"
            "s=socket.socket();s.setsockopt(1,2,1)\n"
            "s.bind(('0.0.0.0',%d));s.listen(1)\n"
            "c,_=s.accept();h=hashlib.sha256();n=0\n"
            "while n<%d:\n"
            " b=c.recv(65536)\n"
            " if not b: break\n"
            " h.update(b);n+=len(b)\n"
            "c.close();print(n,h.hexdigest())\n" % (port, expect))
    return listening(ns, port, umltest.spawn(ns.argv(["python3", "-c", code])))


def listening(ns, port, proc):
    """@proc, once a socket in @ns listens on TCP @port."""
    def up():
        return subprocess.run(ns.argv(["ss", "-Hltn", "sport = :%d" % port]),
                              capture_output=True, text=True).stdout.strip()
    assert umltest.wait_for(up, 10), "nothing listens on port %d" % port
    return proc


def test_tap_ping_and_tcp():
    with netns() as ns:
        ns.sh("ip tuntap add dev umltap0 mode tap && "
              "ip addr add 192.168.77.1/24 dev umltap0 && "
              "ip link set umltap0 up")
        c = boot("eth0=tuntap,umltap0", ns=ns)
        up(c, "192.168.77.2")
        out = gsh(c, "ping -c 3 -W 5 192.168.77.1")
        assert received(out) == 3, out
        out = ns.sh("busybox ping -c 3 -W 5 192.168.77.2")
        assert " 0% packet loss" in out, out
        # TCP host -> guest, 4 MiB, compared by checksum
        d = umltest.tmpdir()
        path = os.path.join(d, "data")
        data = os.urandom(4 << 20)
        with open(path, "wb") as f:
            f.write(data)
        want = hashlib.sha256(data).hexdigest()
        srv = serve_once(ns, 5001, data=path)
        gsh(c, "nc 192.168.77.1 5001 > /tmp/got", 60)
        srv.wait(30)
        out = gsh(c, "sha256sum /tmp/got")
        assert want in out, (want, out)
        # and back, guest -> host
        srv = serve_once(ns, 5002, expect=len(data))
        c.sh("nc 192.168.77.1 5002 < /tmp/got", 60)
        out, _ = srv.communicate(timeout=30)
        assert ("%d %s" % (len(data), want)) in out.decode(), out
        assert counter(c, "rx_errors") == 0
        # offloads: with IFF_VNET_HDR the guest sends TSO frames, which
        # average well above the 1514 bytes of an MTU-sized frame
        srv = serve_once(ns, 5003, expect=1 << 40)
        p0, b0 = counter(c, "tx_packets"), counter(c, "tx_bytes")
        out = gsh(c, "nettool tx 192.168.77.1 5003 1")
        assert "Mbit/s" in out, out
        avg = (counter(c, "tx_bytes") - b0) / (counter(c, "tx_packets") - p0)
        assert avg > 4000, (avg, out)
        assert c.poweroff() == 0


# ---- the switch ----

def ping_pair(a, b):
    up(a, "10.0.7.1")
    up(b, "10.0.7.2")
    out = gsh(a, "ping -c 3 -W 5 10.0.7.2")
    assert received(out) == 3, out
    out = gsh(b, "ping -c 3 -W 5 -s 1400 10.0.7.1")
    assert received(out) == 3, out


def test_switch_two_vms():
    sw = th.Switch()
    a = boot("eth0=daemon,,unix," + sw.ctl)
    b = boot("eth0=daemon,,unix," + sw.ctl)
    ping_pair(a, b)
    assert sw.log().count("new client") == 2, sw.log()
    # the MACs were made from the machines' names: different, stable
    ma = gsh(a, "cat /sys/class/net/eth0/address").split()[-1]
    mb = gsh(b, "cat /sys/class/net/eth0/address").split()[-1]
    assert ma != mb and ma.startswith("fe:fd:"), (ma, mb)


def test_switch_classic_two_vms():
    assert os.access(th.CLASSIC_SWITCH, os.X_OK), \
        "no classic uml_switch (uml-utilities, scripts/install-deps.sh)"
    sw = th.Switch(classic=True)
    # the classic short form of a MAC (one hex digit per octet) works too
    a = boot("eth0=daemon,fe:fd:a:0:7:1,unix," + sw.ctl)
    b = boot("eth0=daemon,fe:fd:0a:00:07:02,unix," + sw.ctl)
    assert "fe:fd:0a:00:07:01" in gsh(a, "cat /sys/class/net/eth0/address")
    ping_pair(a, b)


def test_switch_with_classic_kernel():
    th.need_ref_kernel()
    sw = th.Switch()
    a = boot("eth0=daemon,fe:fd:0a:00:07:01,unix," + sw.ctl)
    g = th.Guest(kernel=umltest.REF_LINUX,
                 args=["eth0=daemon,fe:fd:0a:00:07:02,unix," + sw.ctl])
    g.sh("true", 60)
    g.sh("ip addr add 10.0.7.2/24 dev eth0; ip link set eth0 up")
    up(a, "10.0.7.1")
    out = gsh(a, "ping -c 3 -W 5 10.0.7.2")
    assert received(out) == 3, out
    out = g.sh("ping -c 3 -W 5 10.0.7.1", 40)
    assert "3 packets received" in out, out


def test_switch_storm_of_malformed_frames():
    """Frames a switch relays but no NIC should take (oversized, a
    multicast source address), and runts and garbage the switch drops,
    while two guests ping: the ping goes on, the error counter grows."""
    sw = th.Switch()
    a = boot("eth0=daemon,,unix," + sw.ctl)
    b = boot("eth0=daemon,,unix," + sw.ctl)
    up(a, "10.0.7.1")
    up(b, "10.0.7.2")
    before = counter(b, "rx_errors")
    a.send("ping -c 20 -i 0.1 -W 2 10.0.7.2 > /tmp/ping.out 2>&1 &\n")
    cl = th.SwitchClient(sw.ctl, n=99)
    bad = [th.frame(th.BROADCAST, cl.mac, b"\x00" * 1510),   # oversized
           th.frame(th.BROADCAST, b"\x01" * 6, b"x" * 46),   # bad source
           b"\xff" * 6,                                       # runt
           os.urandom(9)]                                     # garbage
    end = time.monotonic() + 2
    n = 0
    while time.monotonic() < end and n < 4000:
        for f in bad:
            try:
                cl.send_raw(f)
            except OSError:
                pass
        n += 1
        time.sleep(0.002)       # a storm, not a flood the host drops
    out = gsh(a, "wait; cat /tmp/ping.out")
    assert received(out) >= 18, out
    # the last bad frames may still be on their way through the switch
    assert umltest.wait_for(lambda: counter(b, "rx_errors") > before + 10,
                            10), (before, counter(b, "rx_errors"))
    assert counter(b, "rx_length_errors") > 0
    assert counter(b, "rx_frame_errors") > 0
    assert "eth0: dropped a" in b.output(), b.output()[-2000:]
    out = gsh(b, "ping -c 2 -W 5 10.0.7.1")
    assert received(out) == 2, out
    cl.close()


def test_switch_gone_and_back():
    """The switch dies under a running guest: the carrier drops, the
    machine runs on; when it is back the device joins it again."""
    d = umltest.tmpdir()
    ctl = os.path.join(d, "ctl")
    sw = th.Switch(ctl=ctl)
    a = boot("eth0=daemon,,unix," + ctl)
    b = boot("eth0=daemon,,unix," + ctl)
    ping_pair(a, b)
    sw.stop()
    a.sh("ping -c 2 -W 1 10.0.7.2")
    assert umltest.wait_for(lambda: "lost its host side" in a.output(), 10), \
        a.output()[-2000:]
    assert "hello" in gsh(a, "echo hello")
    sw = th.Switch(ctl=ctl)
    # both come back by themselves (the driver retries every second)
    b.sh("ping -c 1 -W 1 10.0.7.1")
    ok = umltest.wait_for(
        lambda: received(a.sh("ping -c 1 -W 1 10.0.7.2")[1]) == 1, 25, 0.5)
    assert ok, a.output()[-2000:] + sw.log()
    assert "host side back" in a.output()


# ---- multicast ----

def test_mcast_two_vms():
    with netns() as ns:
        # a multicast-capable interface and a route for the group
        ns.sh("ip link add umlmc0 type veth peer name umlmc1 && "
              "ip link set umlmc1 up && ip link set umlmc0 up && "
              "ip addr add 10.99.0.1/24 dev umlmc0 && "
              "ip route add 224.0.0.0/4 dev umlmc0")
        a = boot("eth0=mcast", ns=ns)
        b = boot("eth0=mcast,,239.192.168.1,1102,1", ns=ns)
        ping_pair(a, b)
        # our own frames come back from the group and are not errors
        assert counter(a, "rx_errors") == 0
        # any host program can send to the group: a runt, an oversized
        # datagram and one with a broadcast source address are dropped
        # and counted
        code = ("import socket\n"
                "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                "for d in (b'12345', bytes(3000),"
                " bytes(6)+bytes([255])*6+bytes(50)):\n"
                " s.sendto(d,('239.192.168.1',1102))\n")
        st, out = umltest.run(ns.argv(["python3", "-c", code]), timeout=20)
        assert st == 0, out
        assert umltest.wait_for(lambda: counter(a, "rx_errors") >= 3, 5)
        assert counter(a, "rx_length_errors") >= 2
        assert counter(a, "rx_frame_errors") >= 1
        out = gsh(a, "ping -c 2 -W 5 10.0.7.2")
        assert received(out) == 2, out


# ---- user networking (passt) ----

def need_passt():
    if not any(os.access(os.path.join(p, "passt"), os.X_OK)
               for p in os.environ.get("PATH", "").split(":")):
        raise AssertionError("passt not installed: eth0=user needs it "
                             "(scripts/install-deps.sh installs it)")


def passt_host(ns, port, name, text):
    """What a guest on eth0=user needs in @ns: a host interface with a
    route (for passt; nothing leaves it) and an HTTP server on the host's
    loopback, port @port, serving one file @name holding @text.  Returns
    the server process."""
    ns.sh("ip link add umlup0 type veth peer name umlup1 && "
          "ip link set umlup1 up && ip link set umlup0 up && "
          "ip addr add 192.168.250.1/24 dev umlup0 && "
          "ip route add default via 192.168.250.254 dev umlup0")
    d = umltest.tmpdir()
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
    return umltest.spawn(ns.argv(["python3", "-m", "http.server",
                                  "--bind", "127.0.0.1",
                                  "--directory", d, str(port)]))


def test_user_dhcp_and_http():
    need_passt()
    with netns() as ns:
        srv = passt_host(ns, 8765, "hello.txt",
                         "hello from the host loopback\n")
        c = boot("eth0=user", ns=ns)
        # udhcpc brings the interface up itself (its deconfig script)
        out = gsh(c, "udhcpc -i eth0 -n -q -t 5 -T 2 2>&1", 60)
        addr = gsh(c, "ip -4 addr show eth0")
        assert "10.0.2.15/24" in addr, out + addr
        route = gsh(c, "ip route")
        assert "default via 10.0.2.2" in route, route
        assert "nameserver" in gsh(c, "cat /etc/resolv.conf")
        out = gsh(c, "wget -q -O - http://10.0.2.2:8765/hello.txt", 60)
        assert "hello from the host loopback" in out, out
        srv.kill()
        assert c.poweroff() == 0


def test_user_ping_and_its_warning():
    """ICMP echo through passt: answered when the host's ping_group_range
    lets passt open ping sockets, and when it does not, the kernel says
    which setting is missing (the namespace's own sysctl, set by us)."""
    need_passt()
    for allow in (False, True):
        with netns() as ns:
            rng = "0 2147483647" if allow else "1 0"
            ns.sh("sysctl -q -w net.ipv4.ping_group_range=\"%s\"" % rng)
            passt_host(ns, 8767, "x", "x\n")
            c = boot("eth0=user", ns=ns)
            gsh(c, "udhcpc -i eth0 -n -q -t 5 -T 2", 60)
            st, out = c.sh("ping -c 2 -W 3 192.168.250.1", 60)
            warned = "ping_group_range to include group" in c.output()
            if allow:
                assert st == 0 and received(out) == 2, out
                assert not warned, c.output()[-2000:]
            else:
                assert received(out) == 0, out
                assert warned, c.output()[-2000:]
            assert c.poweroff() == 0


def test_user_passt_dies_and_is_restarted():
    """passt goes away under a running guest: the device says so, starts
    a new one, and the guest reaches the host's loopback again."""
    need_passt()
    with netns() as ns:
        passt_host(ns, 8766, "x", "still here\n")
        c = boot("eth0=user", ns=ns)
        gsh(c, "ip link set eth0 up && udhcpc -i eth0 -n -q -t 5 -T 2", 60)
        url = "http://10.0.2.2:8766/x"
        assert "still here" in gsh(c, "wget -q -O - " + url, 60)
        # the guest's passt (or passt.avx2): a child of our kernel process
        pids = subprocess.run(["pgrep", "-P", str(c.p.pid), "^passt"],
                              capture_output=True, text=True).stdout.split()
        assert len(pids) == 1, pids
        os.kill(int(pids[0]), 9)
        c.sh("ping -c 1 -W 1 10.0.2.2")
        assert umltest.wait_for(lambda: "host side back" in c.output(),
                                10), c.output()[-2000:]
        ok = umltest.wait_for(
            lambda: "still here" in c.sh("timeout 5 wget -q -O - " + url,
                                         30)[1], 60, 0.5)
        assert ok, c.output()[-2000:]
        assert c.poweroff() == 0


def test_net_hotplug_mconsole():
    """config/remove through the management console: the same hook as
    the boot path; a removed interface can be configured again (this is
    also how a VM rejoins a switch by hand)."""
    th.need_tools()
    sw = th.Switch()
    c = boot()
    umid = th._umids[-1]
    sock = os.path.join(th.uml_dir(umid), "mconsole")
    assert umltest.wait_for(lambda: os.path.exists(sock), 10), sock
    spec = "daemon,fe:fd:0a:00:09:01,unix," + sw.ctl
    st, out, err = th.mconsole(umid, "config", "eth1=" + spec)
    assert st == 0, (out, err)
    assert "fe:fd:0a:00:09:01" in gsh(c, "cat /sys/class/net/eth1/address")
    st, out, err = th.mconsole(umid, "config", "eth1")
    assert st == 0 and spec in out, out
    # a second config of the same interface, and a bad spec, are refused
    st, out, err = th.mconsole(umid, "config", "eth1=" + spec)
    assert st == 1 and "exists" in out, out
    st, out, err = th.mconsole(umid, "config", "eth2=tuntap")
    assert st == 1 and "TAP" in out, out
    gsh(c, "ip link set eth1 up")
    assert umltest.wait_for(lambda: "new client" in sw.log(), 5), sw.log()
    st, out, err = th.mconsole(umid, "remove", "eth1")
    assert st == 0, out
    assert "eth1" not in gsh(c, "ls /sys/class/net")
    st, out, err = th.mconsole(umid, "config", "eth1=" + spec)
    assert st == 0, out
    up(c, "10.0.9.1", "eth1")
    assert c.poweroff() == 0
