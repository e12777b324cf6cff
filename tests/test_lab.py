# SPDX-License-Identifier: GPL-2.0
"""tools/uml-lab on the busybox image: a 4-machine lab (tests/labs/four:
two hosts, two routers, three collision domains, static routes in startup
files, a lab.dep), two labs at once, what is left after halt and crash,
and malformed lab.conf/lab.dep files.

Each test has its own state directory (UML_LAB_DIR) and its own copy of
the lab; `uml-lab wipe` runs at the end whatever happens."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

import umltest

TIMEOUT = 600
TOOL = os.path.join(umltest.TOP, "tools", "uml-lab")
FOUR = os.path.join(umltest.TOP, "tests", "labs", "four")


class Labs:
    """uml-lab with a private state directory."""

    def __init__(self):
        self.state = umltest.tmpdir()
        self.env = dict(os.environ, UML_LAB_DIR=self.state)

    def run(self, *args, timeout=300):
        p = subprocess.run([sys.executable, TOOL] + list(args),
                           env=self.env, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr

    def ok(self, *args, timeout=300):
        rc, out, err = self.run(*args, timeout=timeout)
        assert rc == 0, "uml-lab %s: status %d\n%s\n%s" % (
            " ".join(args), rc, out, err)
        return out

    def copy(self, src=FOUR, name="lab"):
        dst = os.path.join(umltest.tmpdir(), name)
        shutil.copytree(src, dst)
        return dst

    def pids(self):
        """Processes started from our kernel with this state directory."""
        out = []
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if self.state.encode() in cmd:
                out.append(int(d))
        return out


@pytest.fixture
def labs():
    if not os.access(os.environ.get("UML_LAB_KERNEL", umltest.LINUX), os.X_OK):
        pytest.fail("./linux is not built (make linux)")
    sw = os.path.join(umltest.TOP, "tools", "uml_switch", "uml_switch")
    if not os.access(sw, os.X_OK):
        pytest.fail("tools/uml_switch is not built (make tools)")
    lb = Labs()
    yield lb
    lb.run("wipe", timeout=60)
    for pid in lb.pids():
        os.kill(pid, signal.SIGKILL)


def leftovers(lb, lab):
    """What a lab left behind: processes, files under the state directory,
    the lab's .uml-lab/."""
    left = ["pid %d" % p for p in lb.pids()]
    for root, dirs, files in os.walk(lb.state):
        left += [os.path.join(root, f) for f in files + dirs]
    if os.path.exists(os.path.join(lab, ".uml-lab")):
        left.append(os.path.join(lab, ".uml-lab"))
    return left


def test_lab_four_machines(labs):
    lab = labs.copy()
    with open(os.path.join(lab, "pc1.shutdown"), "w") as f:
        f.write("echo pc1 went down cleanly > /shared/pc1-down\n")
    t0 = time.monotonic()
    out = labs.ok("lstart", "-d", lab, "--noterminals")
    assert "4 of 4 machines ready" in out, out
    print("lab of 4 started in %.1f s" % (time.monotonic() - t0))

    # lab.dep: r1 before r2 and pc1, r2 before pc2
    order = open(os.path.join(lab, "shared", "order")).read().split()
    assert sorted(order) == ["pc1", "pc2", "r1", "r2"], order
    assert order.index("r1") < order.index("r2") < order.index("pc2"), order
    assert order.index("r1") < order.index("pc1"), order

    # the startup files' effects, the machine directory copied over /
    assert "default via 10.0.1.1" in labs.ok("exec", "-d", lab, "pc1",
                                             "ip", "route")
    assert labs.ok("exec", "-d", lab, "pc2", "cat /etc/lab-marker") == \
        "copied from the lab's pc2/ directory\n"
    assert labs.ok("exec", "-d", lab, "r2", "cat", "/etc/motd") == \
        "startup of r2\n"
    assert labs.ok("exec", "-d", lab, "pc2", "hostname").strip() == "pc2"
    assert "02:00:00:00:0c:0a" in labs.ok("exec", "-d", lab, "pc2",
                                           "ip link show eth0")

    # exec: output, error output and exit status kept apart
    rc, out, err = labs.run("exec", "-d", lab, "pc1",
                            "echo out; echo err >&2; exit 7")
    assert (rc, out, err) == (7, "out\n", "err\n")

    # end to end across both routers, and back
    labs.ok("exec", "-d", lab, "pc1", "ping -c 2 -W 5 10.0.3.10")
    labs.ok("exec", "-d", lab, "pc2", "ping -c 2 -W 5 10.0.1.10")
    trace = labs.ok("exec", "-d", lab, "pc1",
                    "traceroute -n -w 2 -q 1 10.0.3.10")
    assert "10.0.1.1" in trace and "10.0.2.2" in trace, trace

    info = labs.ok("linfo", "-d", lab)
    assert info.count("running") == 4, info

    # a halt inside r2 and a crash of pc2's kernel
    st = labs.ok("list")
    # halt through init answers (status 0) before the machine goes
    t0 = time.monotonic()
    rc, out, err = labs.run("exec", "-d", lab, "r2", "halt", timeout=30)
    assert (rc, out, err) == (0, "", ""), (rc, out, err)
    assert time.monotonic() - t0 < 10
    pid = None
    import json
    for d in os.listdir(labs.state):
        f = os.path.join(labs.state, d, "lab.json")
        if os.path.exists(f):
            pid = json.load(open(f))["machines"]["pc2"]["pid"]
    assert pid, st
    os.kill(pid, signal.SIGKILL)
    assert umltest.wait_for(lambda: "stopped" in labs.ok("linfo", "-d", lab)
                            and labs.ok("linfo", "-d", lab).count("stopped")
                            == 2, timeout=30), labs.ok("linfo", "-d", lab)
    # r1 lost r2: no way to pc2 any more
    rc, _, _ = labs.run("exec", "-d", lab, "pc1", "ping -c 1 -W 2 10.0.3.10")
    assert rc != 0

    labs.ok("lclean", "-d", lab)
    assert open(os.path.join(lab, "shared", "pc1-down")).read() == \
        "pc1 went down cleanly\n"
    assert umltest.wait_for(lambda: not leftovers(labs, lab), timeout=10), \
        leftovers(labs, lab)


def test_two_labs_at_once(labs):
    """The same lab twice (same machine names, same addresses), started
    in parallel: each runs on its own switches."""
    small = labs.copy(name="small")
    for f in os.listdir(small):
        if f not in ("pc1.startup", "r1.startup", "shared.startup"):
            p = os.path.join(small, f)
            shutil.rmtree(p) if os.path.isdir(p) else os.unlink(p)
    with open(os.path.join(small, "lab.conf"), "w") as f:
        f.write("pc1[0]=A\npc1[mem]=40m\nr1[0]=A\nr1[1]=B\nr1[mem]=40m\n")
    a = labs.copy(small, "a")
    b = labs.copy(small, "b")
    with open(os.path.join(b, "shared.startup"), "a") as f:
        f.write("echo lab-b > /etc/which\n")
    res = {}

    def start(d):
        res[d] = labs.run("lstart", "-d", d, "--noterminals")

    ts = [threading.Thread(target=start, args=(d,)) for d in (a, b)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    for d in (a, b):
        assert res[d][0] == 0, res[d]
    for d in (a, b):
        labs.ok("exec", "-d", d, "pc1", "ping -c 1 -W 5 10.0.1.1")
    assert labs.ok("exec", "-d", b, "pc1", "cat /etc/which") == "lab-b\n"
    rc, _, _ = labs.run("exec", "-d", a, "pc1", "cat /etc/which")
    assert rc == 1
    assert labs.ok("list").count("running") == 4
    labs.ok("lclean", "-d", a)
    labs.ok("exec", "-d", b, "r1", "ping -c 1 -W 5 10.0.1.10")
    labs.ok("lclean", "-d", b)
    assert not leftovers(labs, a) and not leftovers(labs, b), \
        leftovers(labs, a) + leftovers(labs, b)


BAD = [
    # (file, contents, message expected)
    ("lab.conf", "pc1[0]=A\npc1[0 = A\n", "lab.conf:2: cannot read"),
    ("lab.conf", "pc1[0]=A\n\npc1[32]=B\n",
     "lab.conf:3: interface number 32 of pc1 is out of range"),
    ("lab.conf", "pc1[0]=\"A\n", "lab.conf:1: unterminated \" quote"),
    ("lab.conf", "pc1[0]=A\npc1[mem]=lots\n",
     "lab.conf:2: memory 'lots' is not a size"),
    ("lab.conf", "pc1[0]=A\npc1[0]=B\n", "lab.conf:2: pc1[0] given twice"),
    ("lab.conf", "pc1[0]=A B\n", "lab.conf:1: value 'A B' has blanks"),
    ("lab.dep", "pc1: r1\nr1: r2\nr2: pc1\n",
     "lab.dep:3: cycle in the start order: pc1 -> r1 -> r2 -> pc1"),
    ("lab.dep", "pc1 r1\n", "lab.dep:1: expected 'MACHINE: MACHINE...'"),
    ("lab.dep", "pc1: nobody\n", "lab.dep:1: nobody is not a machine"),
]


@pytest.mark.parametrize("fname,text,msg", BAD)
def test_lab_malformed(fname, text, msg):
    lb = Labs()
    lab = os.path.join(umltest.tmpdir(), "bad")
    os.makedirs(lab)
    with open(os.path.join(lab, "lab.conf"), "w") as f:
        f.write("pc1[0]=A\nr1[0]=A\nr2[0]=A\n")
    with open(os.path.join(lab, fname), "w") as f:
        f.write(text)
    for cmd in (["lstart", "--noterminals"], ["lstart", "--print"]):
        rc, out, err = lb.run(*cmd, "-d", lab)
        assert rc == 1, (rc, out, err)
        assert msg in err, err
        assert lab in err, err
    assert not os.listdir(lb.state) and not lb.pids()


def test_lab_directory_without_entry():
    lb = Labs()
    lab = os.path.join(umltest.tmpdir(), "bad")
    os.makedirs(os.path.join(lab, "pc9", "etc"))
    os.makedirs(os.path.join(lab, "shared"))
    with open(os.path.join(lab, "lab.conf"), "w") as f:
        f.write("pc1[0]=A\n")
    rc, out, err = lb.run("lstart", "--noterminals", "-d", lab)
    assert rc == 1
    assert "lab.conf:1: directory pc9/ is a machine's but lab.conf has no " \
        "pc9[...] line" in err, err
    assert not os.listdir(lb.state) and not lb.pids()
    # listed in machines= it is a machine (with no interface)
    with open(os.path.join(lab, "lab.conf"), "a") as f:
        f.write('machines="pc1 pc9"\npc9[cpus]=2\npc9[colour]=red\n')
    rc, out, err = lb.run("lstart", "--print", "-d", lab)
    assert rc == 0, err
    assert "pc9: " in out
    assert "lab.conf:3: pc9[cpus] ignored" in err, err
    assert "lab.conf:4: unknown option pc9[colour] ignored" in err, err


def test_lab_bad_options():
    lb = Labs()
    for args, msg in ((["lstart", "-o", "mem"], "-o mem: not OPTION=VALUE"),
                      (["exec", "-d", "/", "pc1"], "exec: no COMMAND"),
                      (["vstart", "-n", "x", "--eth", "40:A"],
                       "interface number out of range"),
                      (["frobnicate"], "invalid choice")):
        rc, out, err = lb.run(*args)
        assert rc == 2, (args, rc, out, err)
        assert msg in err, (args, err)


def _ns(ns, *cmd):
    subprocess.run(["ip", "netns", "exec", ns] + list(cmd), check=True,
                   capture_output=True)


def test_lab_domain_across_two_hosts(labs):
    """Collision domain X spread over two 'hosts' (network namespaces
    joined by a veth pair, standing in for a wire between two machines):
    on each, lab.ext joins X to a VXLAN device of the host kernel (VNI
    42), and the VMs of the two labs ping each other over it."""
    if os.geteuid() != 0:
        pytest.fail("this test needs root (network namespaces)")
    tag = "%05d" % (os.getpid() % 100000)
    hosts = ["ulA" + tag, "ulB" + tag]
    try:
        for h in hosts:
            subprocess.run(["ip", "netns", "add", h], check=True)
        subprocess.run(["ip", "link", "add", "ulva" + tag, "mtu", "1600",
                        "netns", hosts[0], "type", "veth", "peer", "name",
                        "ulvb" + tag, "mtu", "1600", "netns", hosts[1]],
                       check=True)
        dirs = []
        for i, h in enumerate(hosts):
            dev = ("ulva", "ulvb")[i] + tag
            _ns(h, "ip", "addr", "add", "192.0.2.%d/24" % (i + 1), "dev",
                dev)
            _ns(h, "ip", "link", "set", dev, "up")
            _ns(h, "ip", "link", "set", "lo", "up")
            _ns(h, "ip", "link", "add", "vx42", "type", "vxlan", "id", "42",
                "remote", "192.0.2.%d" % (2 - i), "dstport", "4789", "dev",
                dev)
            d = os.path.join(umltest.tmpdir(), "lab%d" % i)
            os.makedirs(d)
            name = "m%d" % (i + 1)
            with open(os.path.join(d, "lab.conf"), "w") as f:
                f.write("%s[0]=X\n%s[mem]=40m\n" % (name, name))
            with open(os.path.join(d, "lab.ext"), "w") as f:
                f.write("X vx42\n")
            with open(os.path.join(d, name + ".startup"), "w") as f:
                f.write("ip addr add 10.9.0.%d/24 dev eth0\n"
                        "ip link set eth0 up\n" % (i + 1))
            dirs.append(d)
        res = {}

        def start(i):
            res[i] = subprocess.run(
                ["ip", "netns", "exec", hosts[i], sys.executable, TOOL,
                 "lstart", "--noterminals", "-d", dirs[i]],
                env=labs.env, capture_output=True, text=True, timeout=300)

        ts = [threading.Thread(target=start, args=(i,)) for i in (0, 1)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        for i in (0, 1):
            assert res[i].returncode == 0, res[i].stdout + res[i].stderr
        labs.ok("exec", "-d", dirs[0], "m1", "ping -c 3 -W 5 10.9.0.2")
        labs.ok("exec", "-d", dirs[1], "m2", "ping -c 1 -W 5 10.9.0.1")
        for i in (0, 1):
            subprocess.run(["ip", "netns", "exec", hosts[i], sys.executable,
                            TOOL, "lclean", "-d", dirs[i]], env=labs.env,
                           check=True, capture_output=True, timeout=120)
        for i in (0, 1):
            links = subprocess.run(["ip", "-n", hosts[i], "-o", "link"],
                                   capture_output=True,
                                   text=True).stdout
            names = sorted(ln.split(":")[1].strip().split("@")[0]
                           for ln in links.splitlines())
            assert names == sorted(["lo", "vx42", ("ulva", "ulvb")[i] + tag]),\
                names
            assert not leftovers(labs, dirs[i]), leftovers(labs, dirs[i])
    finally:
        for h in hosts:
            for pid in subprocess.run(["ip", "netns", "pids", h],
                                      capture_output=True,
                                      text=True).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["ip", "netns", "del", h], capture_output=True)


def test_lab_vstart_vclean(labs):
    """Two machines of vstart on one collision domain, reached with exec -v
    and removed with vclean."""
    labs.ok("vstart", "-n", "v1", "--eth", "0:X", "--mem", "40m",
            "--noterminals", "-e", "ip addr add 10.6.0.1/24 dev eth0",
            "ip link set eth0 up")
    labs.ok("vstart", "-n", "v2", "--eth", "0:X/02:00:00:00:06:02",
            "--mem", "40m", "--noterminals",
            "-e", "ip addr add 10.6.0.2/24 dev eth0", "ip link set eth0 up")
    labs.ok("exec", "-v", "v1", "ping -c 1 -W 5 10.6.0.2")
    assert "02:00:00:00:06:02" in labs.ok("exec", "-v", "v2",
                                          "ip link show eth0")
    rc, out, err = labs.run("vstart", "-n", "v1", "--noterminals")
    assert rc == 1 and "already running" in err
    # a machine that goes at once (halt -f) ends exec with status 255
    t0 = time.monotonic()
    rc, out, err = labs.run("exec", "-v", "v2", "halt -f", timeout=30)
    assert rc == 255 and "went away" in err, (rc, out, err)
    assert time.monotonic() - t0 < 10
    labs.ok("vclean", "-n", "v1")
    labs.ok("vclean", "-n", "v2")
    assert not labs.pids()
    left = [os.path.join(r, f) for r, d, fs in os.walk(labs.state)
            for f in fs]
    assert not left, left


def session_wakeups(pid):
    """Context switches of every host task of the VM whose kernel is PID
    (its session: the kernel, its helper threads, the guest processes)."""
    sid, n = os.getsid(pid), 0
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            if os.getsid(int(d)) != sid:
                continue
            for t in os.listdir("/proc/%s/task" % d):
                with open("/proc/%s/task/%s/status" % (d, t)) as f:
                    n += sum(int(line.split()[1]) for line in f
                             if "ctxt_switches" in line)
        except OSError:
            continue
    return n


def _settle_wakeups(pid):
    """Host wake-ups a second of @pid's session, per 10 s window, until a
    window has fewer than one (at most six windows)."""
    rates = []
    for _ in range(6):
        w0 = session_wakeups(pid)
        time.sleep(10)
        rates.append((session_wakeups(pid) - w0) / 10)
        if rates[-1] < 1:
            break
    return rates


def test_lab_idle_vm_does_not_wake(labs):
    """An idle lab VM (console and command line on host ptys nobody has
    open) wakes the host seldom: the lines learn of pty clients from the
    host's watch, not by looking ten times a second.  Then a client
    still finds it at once, and its leaving is seen (the command server
    answers again), and the VM is idle again after the exec."""
    import json
    labs.ok("vstart", "-n", "idle", "--mem", "40m", "--noterminals")
    st = [os.path.join(r, "lab.json") for r, d, f in os.walk(labs.state)
          if "lab.json" in f]
    pid = json.load(open(st[0]))["machines"]["idle"]["pid"]
    # the boot's last work (journal commits, writeback) settles within
    # about 15 s: then 10 s windows with (nearly) nothing; ptys polled
    # without a client made 22 wake-ups/s, kcompactd 2/s
    rates = _settle_wakeups(pid)
    print("idle lab VM, host wake-ups/s per 10 s:", rates)
    assert rates[-1] < 1, rates
    for i in range(3):
        t0 = time.monotonic()
        assert labs.ok("exec", "-v", "idle", "echo $((%d * 7))" % i) == \
            "%d\n" % (i * 7)
        assert time.monotonic() - t0 < 10
    # and it goes back to sleep after serving them: the 1 s deferrable
    # works (vmstat's shepherd, the TSC check) no longer feed each other
    # through the fair server's timer (it stayed at 2-3 wake-ups/s)
    rates = _settle_wakeups(pid)
    print("lab VM after exec, host wake-ups/s per 10 s:", rates)
    assert rates[-1] < 1, rates
    labs.ok("vclean", "-n", "idle")


def test_lab_warns_without_inotify(labs):
    """A VM started when its user has no inotify instance left (here a user
    namespace whose limit is 0) polls its pty lines: lstart says so,
    naming the machine and the sysctl, and the machine still works."""
    import json
    lab = os.path.join(umltest.tmpdir(), "lab")
    os.makedirs(lab)
    with open(os.path.join(lab, "lab.conf"), "w") as f:
        f.write("w1[0]=A\n")
    limit = "echo 0 > /proc/sys/user/max_inotify_instances && exec \"$@\""
    p = subprocess.run(["unshare", "-U", "-r", "sh", "-c", limit, "sh",
                        sys.executable, TOOL, "lstart", "--noterminals",
                        "-d", lab], env=labs.env, stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, (p.stdout, p.stderr)
    assert "warning: w1: no inotify instance left" in p.stderr, p.stderr
    assert "fs.inotify.max_user_instances" in p.stderr, p.stderr
    st = [os.path.join(r, "lab.json") for r, d, f in os.walk(labs.state)
          if "lab.json" in f]
    pid = json.load(open(st[0]))["machines"]["w1"]["pid"]
    links = [os.readlink("/proc/%d/fd/%s" % (pid, fd))
             for fd in os.listdir("/proc/%d/fd" % pid)]
    assert "anon_inode:inotify" not in links, links
    assert labs.ok("exec", "-d", lab, "w1", "echo polled") == "polled\n"
    labs.ok("lclean", "-d", lab)
    # with an instance to spare, no warning
    rc, out, err = labs.run("lstart", "--noterminals", "-d", lab)
    assert rc == 0 and "inotify" not in out + err, (out, err)
    labs.ok("lclean", "-d", lab)
    assert not leftovers(labs, lab), leftovers(labs, lab)


def test_lab_console_in_tmux(labs):
    """--terminals: a tmux window per machine runs `uml-lab connect`; what
    is typed there reaches the VM's console shell.  The tmux server is the
    test's own (TMUX_TMPDIR)."""
    if not shutil.which("tmux"):
        pytest.fail("tmux is missing (scripts/install-deps.sh installs it)")
    labs.env["TMUX_TMPDIR"] = labs.state
    labs.env.pop("TMUX", None)
    out = labs.ok("vstart", "-n", "t1", "--mem", "40m", "--terminals")
    assert "tmux attach -t uml-lab-" in out, out
    session = out.split("tmux attach -t ")[1].split()[0]

    def tmux(*a):
        return subprocess.run(["tmux"] + list(a), env=labs.env,
                              capture_output=True, text=True).stdout

    assert "t1" in tmux("list-windows", "-t", session)
    assert umltest.wait_for(lambda: "root@t1" in tmux(
        "capture-pane", "-p", "-t", session + ":t1"), timeout=20)
    tmux("send-keys", "-t", session + ":t1", "echo $((6*7))-from-tmux",
         "Enter")
    assert umltest.wait_for(lambda: "42-from-tmux" in tmux(
        "capture-pane", "-p", "-t", session + ":t1"), timeout=20), \
        tmux("capture-pane", "-p", "-t", session + ":t1")
    labs.ok("vclean", "-n", "t1")
    assert umltest.wait_for(lambda: not tmux("list-sessions"), timeout=10)


# What arch/um/configs/defconfig gives lab exercises (docs/labs.md)
LAB_FEATURES = (
    "VLAN_8021Q", "DUMMY", "VXLAN", "NET_IPGRE", "NET_IPIP",
    "BRIDGE", "BRIDGE_VLAN_FILTERING", "IP_MULTIPLE_TABLES",
    "IP_ROUTE_MULTIPATH", "IP_MROUTE", "IP_PIMSM_V2", "IPV6_MULTIPLE_TABLES",
    "IPV6_MROUTE", "MPLS", "MPLS_ROUTING", "MPLS_IPTUNNEL", "NET_SCHED",
    "NET_SCH_NETEM", "NET_SCH_TBF", "NET_SCH_HTB", "NET_SCH_PRIO",
    "NET_SCH_FQ_CODEL", "NET_SCH_INGRESS", "NET_CLS_U32", "NET_CLS_FW",
    "NET_CLS_BASIC", "NET_CLS_ACT", "NET_ACT_GACT", "NET_ACT_MIRRED",
    "NF_TABLES", "NFT_COMPAT", "NFT_REJECT", "NFT_LOG", "NF_TABLES_BRIDGE",
    "NETFILTER_XT_MATCH_CONNTRACK", "NETFILTER_XT_MATCH_STATE",
    "NETFILTER_XT_MATCH_MULTIPORT", "NETFILTER_XT_TARGET_LOG",
    "IP_NF_TARGET_REJECT", "IP6_NF_IPTABLES", "IP6_NF_FILTER")


def host_tools(dst, names=("ip", "tc")):
    """The host's iproute2 programs with their libraries in DST, and a
    wrapper DST/NAME for each that runs it through the copied dynamic
    loader (busybox's ip and tc know no netem, VXLAN or MPLS)."""
    os.makedirs(os.path.join(dst, "lib"))
    libs = set()
    for n in names:
        exe = shutil.which(n) or os.path.join("/usr/sbin", n)
        shutil.copy(exe, os.path.join(dst, "lib", n + ".bin"))
        out = subprocess.run(["ldd", exe], capture_output=True,
                             text=True).stdout
        for line in out.splitlines():
            path = line.split("=>")[-1].split("(")[0].strip()
            if path.startswith("/"):
                libs.add(path)
    loader = None
    for lib in libs:
        shutil.copy(lib, os.path.join(dst, "lib", os.path.basename(lib)))
        if "ld-linux" in lib:
            loader = os.path.basename(lib)
    for n in names:
        with open(os.path.join(dst, n), "w") as f:
            f.write("#!/bin/sh\nd=/hostlab/shared/tools/lib\n"
                    "exec $d/%s --library-path $d $d/%s.bin \"$@\"\n"
                    % (loader, n))
        os.chmod(os.path.join(dst, n), 0o755)


def test_lab_kernel_features(labs):
    """Two machines on one domain use what lab exercises need from the
    kernel: an 802.1Q VLAN, a VXLAN, a dummy interface with policy
    routing, ECMP and MPLS routes, a GRE tunnel and a VLAN-filtering
    bridge, netem's delay in ping's round trip; every feature of
    LAB_FEATURES is built in (/proc/config.gz)."""
    lab = os.path.join(umltest.tmpdir(), "feat")
    os.makedirs(lab)
    host_tools(os.path.join(lab, "shared", "tools"))
    with open(os.path.join(lab, "lab.conf"), "w") as f:
        f.write("a[0]=X\na[mem]=48m\nb[0]=X\nb[mem]=48m\n")
    ip = "/hostlab/shared/tools/ip"
    for m, me in (("a", 1), ("b", 2)):
        with open(os.path.join(lab, m + ".startup"), "w") as f:
            f.write("ip addr add 10.0.0.%d/24 dev eth0\n"
                    "ip link set eth0 up\n" % me)
    labs.ok("lstart", "-d", lab, "--noterminals")

    def ex(m, cmd):
        return labs.ok("exec", "-d", lab, m, cmd)

    config = ex("a", "zcat /proc/config.gz")
    missing = [f for f in LAB_FEATURES
               if "CONFIG_%s=y\n" % f not in config]
    assert not missing, missing

    for m, me in (("a", 1), ("b", 2)):
        # 802.1Q: VLAN 10 on eth0; VXLAN 42 over eth0
        ex(m, "%s link add link eth0 name eth0.10 type vlan id 10 && "
              "%s addr add 10.10.0.%d/24 dev eth0.10 && "
              "%s link set eth0.10 up" % (ip, ip, me, ip))
        ex(m, "%s link add vx42 type vxlan id 42 remote 10.0.0.%d "
              "dstport 4789 dev eth0 && %s addr add 10.42.0.%d/24 dev vx42 "
              "&& %s link set vx42 up" % (ip, 3 - me, ip, me, ip))
    ex("a", "ping -c 1 -W 5 10.10.0.2")
    ex("a", "ping -c 1 -W 5 10.42.0.2")
    # the VLAN's frames carry tag 10: b's untagged eth0 never sees 10.10/24
    assert "10.10.0.0/24 dev eth0.10" in ex("b", "%s route" % ip)

    # a dummy interface and policy routing: only traffic from a's dummy
    # address finds b's dummy address (table 100)
    ex("b", "%s link add d0 type dummy && %s addr add 198.51.100.1/32 "
            "dev d0 && %s link set d0 up && "
            "%s route add 192.0.2.1/32 via 10.0.0.1" % (ip, ip, ip, ip))
    ex("a", "%s link add d0 type dummy && %s addr add 192.0.2.1/32 dev d0 "
            "&& %s link set d0 up && "
            "%s rule add from 192.0.2.1 lookup 100 && "
            "%s route add 198.51.100.0/24 via 10.0.0.2 table 100"
       % (ip, ip, ip, ip, ip))
    rc, _, _ = labs.run("exec", "-d", lab, "a",
                        "ping -c 1 -W 2 198.51.100.1")
    assert rc != 0
    ex("a", "ping -c 1 -W 5 -I 192.0.2.1 198.51.100.1")
    assert "from 192.0.2.1 lookup 100" in ex("a", "%s rule" % ip)

    # ECMP, MPLS, GRE, a VLAN-filtering bridge: the kernel takes them
    ex("a", "%s route add 203.0.113.0/24 nexthop via 10.0.0.2 "
            "nexthop via 10.10.0.2" % ip)
    assert ex("a", "%s route show 203.0.113.0/24" % ip).count("nexthop") \
        == 2
    ex("a", "sysctl -w net.mpls.platform_labels=1000 >/dev/null && "
            "%s -f mpls route add 100 via inet 10.0.0.2 && "
            "%s route add 203.0.114.0/24 encap mpls 200 via 10.0.0.2"
       % (ip, ip))
    assert "100 via inet 10.0.0.2" in ex("a", "%s -f mpls route" % ip)
    ex("a", "%s link add gre1 type gre remote 10.0.0.2 local 10.0.0.1 && "
            "%s link add br0 type bridge vlan_filtering 1 && "
            "%s link set br0 up" % (ip, ip, ip))
    assert "vlan_filtering 1" in ex("a", "%s -d link show br0" % ip)

    # netem: a delay of 200 ms on a's eth0 shows in the round trip
    def rtt():
        out = ex("a", "ping -c 1 -W 5 10.0.0.2")
        return float(out.split("time=")[1].split()[0])
    assert rtt() < 150
    ex("a", "/hostlab/shared/tools/tc qdisc add dev eth0 root netem delay 200ms")
    assert "netem" in ex("a", "/hostlab/shared/tools/tc qdisc show dev eth0")
    assert 200 <= rtt() < 1000
    labs.ok("lclean", "-d", lab)
    assert not leftovers(labs, lab), leftovers(labs, lab)
