# SPDX-License-Identifier: GPL-2.0
"""The Debian image (make debian, build/debian.img) under tools/uml-lab.

One lab (tests/labs/debian: two FRR routers, a bind9 server, a client;
every machine on the Debian image) is started once for the module, its
four VMs in parallel, and each test looks at it:
  - every VM booted with its own init (systemd) to a console login, with
    no failed unit;
  - OSPF (FRR, started by r1's and r2's startup files the two ways
    published labs do) learns the routes both ways, the neighbour is Full,
    and the client pings and traceroutes across both routers;
  - a DNS lookup from the client answered by bind9 on ns.
Without build/debian.img the tests fail and say how to make it."""
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

import umltest

# make check builds it beside the first tests (conftest.py): the Debian
# lab image
NEEDS_BUILD = ("debian",)

TIMEOUT = 900
TOOL = os.path.join(umltest.TOP, "tools", "uml-lab")
LAB = os.path.join(umltest.TOP, "tests", "labs", "debian")
IMAGE = os.environ.get("UML_LAB_DEBIAN_IMAGE") or \
    os.path.join(umltest.TOP, "build", "debian.img")
MACHINES = ("r1", "r2", "ns", "cl")


class DebLab:
    def __init__(self):
        # not umltest.tmpdir(): that is removed after each test, and the
        # lab lives for the module
        self.top = tempfile.mkdtemp(prefix="umltest-debian-")
        self.state = os.path.join(self.top, "state")
        self.env = dict(os.environ, UML_LAB_DIR=self.state,
                        UML_LAB_DEBIAN_IMAGE=IMAGE)
        self.dir = os.path.join(self.top, "debian")
        shutil.copytree(LAB, self.dir)

    def run(self, *args, timeout=300):
        p = subprocess.run([sys.executable, TOOL] + list(args),
                           env=self.env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def exec(self, machine, cmd, timeout=120):
        return self.run("exec", "-d", self.dir, machine, cmd,
                        timeout=timeout)

    def machine(self, name):
        for d in os.listdir(self.state):
            f = os.path.join(self.state, d, "lab.json")
            if os.path.exists(f):
                with open(f) as fh:
                    return json.load(fh)["machines"][name]
        return None


@pytest.fixture(scope="module")
def deb():
    if not os.path.exists(IMAGE):
        pytest.fail("%s is missing: `make debian` builds it from Debian's "
                    "archive with mmdebstrap (root and network needed; its "
                    "log is build/check-late/debian.log when make check ran it)"
                    % IMAGE)
    lab = DebLab()
    t0 = time.monotonic()
    rc, out, err = lab.run("lstart", "-d", lab.dir, "--noterminals",
                           "--timeout", "400", timeout=600)
    lab.start_time = time.monotonic() - t0
    try:
        assert rc == 0, out + err
        yield lab
    finally:
        try:
            lab.run("lclean", "-d", lab.dir, timeout=180)
        finally:
            lab.run("wipe", timeout=60)
            shutil.rmtree(lab.top, ignore_errors=True)


def test_debian_boots_to_login_without_failed_units(deb):
    print("4 Debian VMs ready in %.1f s" % deb.start_time)
    for m in MACHINES:
        rc, out, err = deb.exec(m, "systemctl is-system-running --wait; "
                                "systemctl --failed --no-legend --plain")
        assert out.splitlines()[0] == "running", \
            "%s: %s\n%s" % (m, out, err)
        rc, out, _ = deb.exec(m, "readlink /proc/1/exe")
        assert out.strip().endswith("systemd"), out
    # a login prompt on the console of one of them
    ent = deb.machine("cl")
    fd = os.open(ent["console"], os.O_RDWR | os.O_NOCTTY)
    try:
        os.write(fd, b"\r")
        seen = b""
        deadline = time.monotonic() + 30
        while b"login:" not in seen and time.monotonic() < deadline:
            if select.select([fd], [], [], 1)[0]:
                seen += os.read(fd, 4096)
        assert b"cl login:" in seen, seen[-500:]
    finally:
        os.close(fd)


def test_debian_ospf_learns_routes(deb):
    routes = back = ""
    t0 = time.monotonic()
    deadline = t0 + 300
    while time.monotonic() < deadline:
        _, routes, _ = deb.exec("r1", "ip route show 10.0.3.0/24")
        _, back, _ = deb.exec("r2", "ip route show 10.0.1.0/24")
        if "proto ospf" in routes and "proto ospf" in back:
            break
        time.sleep(2)
    print("OSPF routes both ways %.0f s after the lab was ready"
          % (time.monotonic() - t0))
    if "proto ospf" not in routes or "proto ospf" not in back:
        diag = ""
        for m in ("r1", "r2"):
            _, out, err = deb.exec(m, "cat /var/log/uml-lab-startup.log; "
                                   "systemctl status frr --no-pager | "
                                   "head -5; ip -br addr; ip route; vtysh "
                                   "-c 'show ip ospf neighbor' -c 'show ip "
                                   "ospf interface'; journalctl -b "
                                   "--no-pager | grep -i 'frr\\|ospf\\|"
                                   "zebra\\|oom' | tail -30; free -m; "
                                   "uptime")
            diag += "\n== %s\n%s%s" % (m, out, err)
        pytest.fail("no OSPF route both ways in 300 s: r1 %r, r2 %r%s"
                    % (routes, back, diag))
    assert "via 10.0.2.2" in routes, routes
    assert "via 10.0.2.1" in back, back
    _, nb, _ = deb.exec("r1", "vtysh -c 'show ip ospf neighbor'")
    assert "2.2.2.2" in nb and "Full" in nb, nb
    rc, out, err = deb.exec("cl", "ping -c 3 -W 5 10.0.3.1")
    assert rc == 0, out + err
    rc, out, _ = deb.exec("cl", "traceroute -n -w 2 -q 1 10.0.3.1")
    assert "10.0.1.1" in out, out


def test_debian_dns_from_bind9(deb):
    rc, out, err = deb.exec("cl", "dig +short www.lab")
    assert rc == 0 and out.strip() == "10.0.1.80", out + err
    rc, out, err = deb.exec("cl", "host ns.lab 10.0.1.53")
    assert "10.0.1.53" in out, out + err
    rc, out, _ = deb.exec("ns", "systemctl is-active named")
    assert out.strip() == "active", out
