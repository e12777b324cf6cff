# SPDX-License-Identifier: GPL-2.0
"""Starting and stopping a lab's VMs and switches, and the state that
lets later commands (exec, linfo, lclean, wipe) find them.

State of one lab: STATE_ROOT/LABID/ (STATE_ROOT is $UML_LAB_DIR, default
/tmp/uml-lab-UID; LABID a hash of the lab directory's path), mode 0700:

    lab.json        the lab's path and name, its machines and switches
    lock            flock()ed while the state changes
    uml/MACHINE/    the VM's umid directory (uml_dir=), mconsole socket, pid
    cow/MACHINE.cow its COW file over the shared read-only image
    sw/N.ctl        the control socket of collision domain N's uml_switch
    log/            the kernel's and the switches' output
    agent/MACHINE   the lock file of its command server

Every VM and switch runs in a session of its own: stopping one kills
whatever is left in that session, so nothing outlives the lab.
"""
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time

from . import channels
from .labconf import BUSYBOX_IMAGES, LabError

HERE = os.path.dirname(os.path.abspath(__file__))


class Paths:
    """Where the kernel, images and switch are: environment variables, then
    the checkout this tool lives in, then PREFIX/lib/uml-lab (installed)."""

    def __init__(self):
        env = os.environ.get
        top = os.path.dirname(os.path.dirname(HERE))
        if os.path.exists(os.path.join(top, "arch", "um")):
            kernel = os.path.join(top, "linux")
            busybox = os.path.join(top, "root.img")
            debian = os.path.join(top, "build", "debian.img")
            switch = os.path.join(top, "tools", "uml_switch", "uml_switch")
        else:
            lib = os.path.dirname(HERE)
            kernel = os.path.join(lib, "linux")
            busybox = os.path.join(lib, "root.img")
            debian = os.path.join(lib, "debian.img")
            switch = os.path.join(lib, "uml_switch")
        self.kernel = env("UML_LAB_KERNEL") or kernel
        self.busybox = env("UML_LAB_IMAGE") or busybox
        self.debian = env("UML_LAB_DEBIAN_IMAGE") or debian
        self.switch = env("UML_LAB_SWITCH") or switch


def state_root():
    return os.environ.get("UML_LAB_DIR") or "/tmp/uml-lab-%d" % os.getuid()


def lab_id(path):
    return hashlib.sha256(os.path.realpath(path).encode()).hexdigest()[:10]


class State:
    def __init__(self, dirpath):
        self.dir = dirpath
        self.file = os.path.join(dirpath, "lab.json")
        self.data = {"machines": {}, "switches": {}}
        if os.path.exists(self.file):
            with open(self.file) as f:
                self.data = json.load(f)

    @classmethod
    def of(cls, path):
        return cls(os.path.join(state_root(), lab_id(path)))

    def p(self, *parts):
        return os.path.join(self.dir, *parts)

    def save(self):
        tmp = self.file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(self.data, f, indent=1)
        os.replace(tmp, self.file)

    def lock(self):
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        f = open(self.p("lock"), "a")
        fcntl.flock(f, fcntl.LOCK_EX)
        return f

    def machines(self):
        return self.data["machines"]


def alive(pid):
    if not pid:
        return False
    try:
        with open("/proc/%d/stat" % pid) as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rindex(")") + 2] not in "ZX"


def session_procs(sids):
    """{session: [pid, ...]} of the live processes (zombies are dead: only
    their parent's reaping is left) of every session in SIDS, from one walk
    of /proc."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st[st.rindex(")") + 2:].split()
        if int(fields[3]) in sids and fields[0] not in "ZX":
            out.setdefault(int(fields[3]), []).append(int(d))
    return out


def session_pids(sid):
    return session_procs({sid}).get(sid, [])


def kill_sessions(sids, sig=signal.SIGKILL):
    """Kill every process of the sessions SIDS (VMs or switches and their
    children)."""
    for pids in session_procs(set(sids)).values():
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass


def kill_session(sid, sig=signal.SIGKILL):
    kill_sessions({sid}, sig)


def wait_sessions_gone(sids, timeout):
    """True once no live process is left in the sessions SIDS."""
    sids = set(sids)
    deadline = time.monotonic() + timeout
    while session_procs(sids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def wait_gone(pid, timeout):
    return wait_sessions_gone({pid}, timeout)


def has_pty_watch(pid):
    """True when kernel PID holds its inotify instance: its pty lines learn
    of clients from it.  Without one (the user had all of
    fs.inotify.max_user_instances) they look ten times a second."""
    try:
        fds = os.listdir("/proc/%d/fd" % pid)
    except OSError:
        return True
    for fd in fds:
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == \
                    "anon_inode:inotify":
                return True
        except OSError:
            pass
    return False


def image_for(m, paths, default_image):
    """The disk image of machine M: lab.conf's [image] (a file, 'busybox'
    or any Kathara image name, which means the Debian image), or the
    default."""
    img = m.image
    if not img:
        return default_image, None
    if os.path.isfile(img):
        return os.path.realpath(img), None
    if img in BUSYBOX_IMAGES:
        return paths.busybox, None
    return paths.debian, "%s[image]=%s: the Debian image %s" % (
        m.name, img, paths.debian)


def mac_check(lab):
    seen = {}
    for m in lab.machines.values():
        for n, (_, mac) in m.ifaces.items():
            if mac and mac in seen:
                raise LabError("lab.conf: MAC %s of %s[%d] is also %s's"
                               % (mac, m.name, n, seen[mac]))
            if mac:
                seen[mac] = "%s[%d]" % (m.name, n)


class Runner:
    def __init__(self, lab, state, paths, out=print):
        self.lab = lab
        self.st = state
        self.paths = paths
        self.out = out

    # ---- switches -----------------------------------------------------
    def domain_ctl(self, dom):
        sw = self.st.data["switches"]
        if dom not in sw:
            sw[dom] = {"n": len(sw), "pid": 0}
        return self.st.p("sw", "%d.ctl" % sw[dom]["n"])

    def start_switch(self, dom):
        ent = self.st.data["switches"].setdefault(dom, {"n": len(
            self.st.data["switches"]), "pid": 0})
        ctl = self.domain_ctl(dom)
        if alive(ent["pid"]) and os.path.exists(ctl):
            return
        log = open(self.st.p("log", "switch-%d.log" % ent["n"]), "ab")
        argv = [self.paths.switch, "-unix", ctl, "-quiet"]
        if dom in self.lab.ext:
            argv += ["-tap", self.join_host(dom, ent)]
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT,
                             start_new_session=True)
        log.close()
        ent["pid"] = p.pid
        deadline = time.monotonic() + 5
        while not os.path.exists(ctl):
            if p.poll() is not None or time.monotonic() > deadline:
                raise LabError("the switch of collision domain %s did not "
                               "start (%s)" % (dom, self.st.p("log")))
            time.sleep(0.01)

    def join_host(self, dom, ent):
        """lab.ext: a TAP for the switch, bridged with the host interface
        (made as a VLAN of it when one is named).  Returns the TAP."""
        ifname, vlan = self.lab.ext[dom]
        if os.geteuid() != 0:
            raise LabError("lab.ext: joining collision domain %s to %s "
                           "needs root" % (dom, ifname))
        tag = os.path.basename(self.st.dir)[:8]
        tap = "u%st%d" % (tag, ent["n"])
        br = "u%sb%d" % (tag, ent["n"])
        links = ent.setdefault("links", [])
        if vlan:
            sub = "%s.%d" % (ifname, vlan)
            if not os.path.exists("/sys/class/net/" + sub):
                ip("link", "add", "link", ifname, "name", sub, "type",
                   "vlan", "id", str(vlan))
                links.append(sub)
            ifname = sub
        if not os.path.exists("/sys/class/net/" + ifname):
            raise LabError("lab.ext: no host interface %s (for collision "
                           "domain %s)" % (ifname, dom))
        ip("tuntap", "add", "dev", tap, "mode", "tap")
        links.append(tap)
        ip("link", "add", br, "type", "bridge")
        links.append(br)
        ip("link", "set", tap, "master", br, "up")
        ip("link", "set", ifname, "master", br, "up")
        ip("link", "set", br, "up")
        return tap

    # ---- VMs ------------------------------------------------------------
    def argv(self, m, opts):
        image, _ = image_for(m, self.paths, opts.image or self.paths.busybox)
        mem = m.mem or opts.mem
        argv = [self.paths.kernel,
                "ubd0=%s,%s" % (self.st.p("cow", m.name + ".cow"), image),
                "umid=" + m.name, "uml_dir=" + self.st.p("uml"),
                "mem=%dM" % mem, "con0=pts", "ssl1=pts", "getty=no",
                "hostfs=" + (opts.hostfs_root or self.lab.path),
                "umllab=" + m.name, "umllabrel=" + opts.rel,
                # a console nobody reads holds its writers once its
                # buffer is full: keep boot chatter off it
                "quiet", "systemd.show_status=0",
                # an idle VM wakes for nothing: kcompactd's proactive
                # compaction looks every 500 ms otherwise
                "sysctl.vm.compaction_proactiveness=0",
                # and the vmstat shepherd's look once a second, deferred
                # to when the CPU wakes anyway, kept an idle VM waking
                # ~2 times a second: each run's kworker arms the fair
                # server's 1 s timer, whose wake-up runs the next look
                "sysctl.vm.stat_interval=10"]
        if opts.shared:
            argv.append("umllabshared=1")
        if opts.hosthome:
            argv.append("umllabhome=1")
        for n in sorted(m.ifaces):
            dom, mac = m.ifaces[n]
            argv.append("eth%d=daemon,%s,unix,%s"
                        % (n, mac or "", self.domain_ctl(dom)))
        for n in ["default"] + ["eth%d" % i for i in sorted(m.ifaces)]:
            # an IPv6 host asks for a router forever (RFC 7559 backoff,
            # up to an hour apart): on a domain with no router every
            # solicitation wakes every other VM of the domain, which kept
            # idle labs busy for many minutes.  Three, as Linux did
            # before 4.9 (default: for the interfaces made later, as
            # VLANs and bridges); a lab's [sysctl] can set -1 again
            argv.append("sysctl.net.ipv6.conf.%s.router_solicitations=3"
                        % n)
        return argv

    def write_meta(self, m):
        """lab.conf's exec, sysctl and env of M, for the guest's set-up."""
        meta = os.path.join(self.lab.path, ".uml-lab")
        os.makedirs(meta, exist_ok=True)
        for suffix, lines in (("exec", m.exec_cmds), ("sysctl", m.sysctls),
                              ("env", m.envs)):
            f = os.path.join(meta, "%s.%s" % (m.name, suffix))
            if lines:
                with open(f, "w") as fh:
                    fh.write("\n".join(lines) + "\n")
            elif os.path.exists(f):
                os.unlink(f)

    def start_vm(self, m, opts):
        ms = self.st.machines()
        old = ms.get(m.name)
        if old and alive(old["pid"]):
            raise LabError("%s is already running (pid %d)"
                           % (m.name, old["pid"]))
        if old:
            self.clean_vm(m.name)
        self.write_meta(m)
        argv = self.argv(m, opts)
        log = open(self.st.p("log", m.name + ".log"), "wb")
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log,
                             stderr=subprocess.STDOUT,
                             start_new_session=True, cwd=self.st.dir)
        log.close()
        ms[m.name] = {"pid": p.pid, "argv": argv, "started": time.time(),
                      "console": None, "agent": None,
                      "ifaces": {str(n): list(v)
                                 for n, v in m.ifaces.items()},
                      "mem": m.mem or opts.mem, "shell": m.shell}
        return p

    def find_ptys(self, name, p, timeout):
        """The host ptys of NAME's console and command line, from its
        management console once it answers."""
        sock = self.st.p("uml", name, "mconsole")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if p.poll() is not None:
                raise LabError("%s ended at boot (status %d); its output is "
                               "in %s" % (name, p.returncode,
                                          self.st.p("log", name + ".log")))
            if os.path.exists(sock):
                try:
                    ok1, con = channels.mconsole(sock, "config con0", 2)
                    ok2, ssl = channels.mconsole(sock, "config ssl1", 2)
                except channels.ChannelError:
                    ok1 = ok2 = False
                if ok1 and ok2 and ":/dev/" in con and ":/dev/" in ssl:
                    return con.split(":", 1)[1], ssl.split(":", 1)[1]
            time.sleep(0.05)
        raise LabError("%s: no management console after %ds" % (name,
                                                                timeout))

    def start(self, names, opts):
        """Start the machines NAMES in lab.dep's order, each wave in
        parallel; returns {name: error or None}."""
        from .labconf import start_order
        for d in ("uml", "cow", "sw", "log", "agent"):
            os.makedirs(self.st.p(d), mode=0o700, exist_ok=True)
        self.st.data["path"] = self.lab.path
        self.st.data["name"] = self.lab.name
        with self.st.lock():
            try:
                for dom in self.lab.domains(names):
                    self.start_switch(dom)
            finally:
                self.st.save()
        result = {}
        mutex = threading.Lock()

        def one(m):
            try:
                with mutex:
                    p = self.start_vm(self.lab.machines[m], opts)
                    self.st.save()
                con, agent = self.find_ptys(m, p, opts.timeout)
                ag = channels.Agent(agent, self.st.p("agent", m))
                if not ag.ready(opts.timeout):
                    raise LabError("%s did not finish its set-up in %ds "
                                   "(see %s)" % (m, opts.timeout,
                                                 self.st.p("log",
                                                           m + ".log")))
                with mutex:
                    ent = self.st.machines()[m]
                    ent["console"], ent["agent"] = con, agent
                    ent["ready"] = time.time()
                    self.st.save()
                result[m] = None
            except (LabError, channels.ChannelError, OSError) as e:
                result[m] = str(e)

        for wave in start_order(self.lab, names):
            threads = []
            for m in wave:
                deps = self.lab.deps.get(m, [])
                bad = [d for d in deps if result.get(d)]
                if bad:
                    result[m] = "not started: %s failed" % ", ".join(bad)
                    continue
                t = threading.Thread(target=one, args=(m,))
                t.start()
                threads.append(t)
            for t in threads:
                t.join()
        with self.st.lock():
            self.st.save()
        return result

    # ---- stopping -------------------------------------------------------
    def clean_vm(self, name, killed=False):
        """Kill what is left of NAME (unless KILLED says it is gone) and
        remove its files."""
        ent = self.st.machines().pop(name, None)
        if ent and not killed:
            kill_session(ent["pid"])
            wait_gone(ent["pid"], 5)
        shutil.rmtree(self.st.p("uml", name), ignore_errors=True)
        for f in (self.st.p("cow", name + ".cow"),
                  self.st.p("agent", name)):
            try:
                os.unlink(f)
            except FileNotFoundError:
                pass

    def halt(self, name, timeout=30, keep_cow=False):
        """Shut NAME down cleanly: its shutdown files, then poweroff in the
        guest; mconsole halt, then SIGKILL, for a VM that does not go."""
        ent = self.st.machines().get(name)
        if not ent:
            return
        pid = ent["pid"]
        lab_path = self.st.data.get("path")
        if alive(pid) and ent.get("agent"):
            cmd = ""
            if lab_path:
                cmd = ("for f in /hostlab/%s.shutdown "
                       "/hostlab/shared.shutdown; do "
                       "[ -f $f ] && sh $f >/dev/null 2>&1; done; " % name)
            cmd += "sync; (sleep 0.2; poweroff) >/dev/null 2>&1 &"
            try:
                channels.Agent(ent["agent"], self.st.p("agent", name)).run(
                    cmd, timeout=20, ready_timeout=3)
            except (channels.ChannelError, OSError):
                pass
        if not wait_gone(pid, timeout):
            try:
                channels.mconsole(self.st.p("uml", name, "mconsole"),
                                  "halt", 2)
            except channels.ChannelError:
                pass
            wait_gone(pid, 5)
        if keep_cow:
            ent = self.st.machines().pop(name)
            kill_session(ent["pid"])
            shutil.rmtree(self.st.p("uml", name), ignore_errors=True)
        else:
            self.clean_vm(name)

    def stop(self, names, timeout=30):
        names = [n for n in self.st.machines() if n in names]
        threads = [threading.Thread(target=self.halt, args=(n, timeout))
                   for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with self.st.lock():
            self.stop_unused_switches()
            self.st.save()
            if not self.st.machines():
                remove_state(self.st)

    def stop_unused_switches(self):
        used = set()
        for ent in self.st.machines().values():
            used.update(v[0] for v in ent["ifaces"].values())
        for dom, ent in list(self.st.data["switches"].items()):
            if dom in used:
                continue
            if alive(ent["pid"]):
                os.kill(ent["pid"], signal.SIGTERM)
                if not wait_gone(ent["pid"], 3):
                    kill_session(ent["pid"])
            kill_session(ent["pid"])
            unlink_host(ent)
            try:
                os.unlink(self.st.p("sw", "%d.ctl" % ent["n"]))
            except FileNotFoundError:
                pass
            del self.st.data["switches"][dom]


def ip(*args):
    p = subprocess.run(["ip"] + list(args), capture_output=True, text=True)
    if p.returncode:
        raise LabError("ip %s: %s" % (" ".join(args), p.stderr.strip()))


def unlink_host(ent):
    """Remove the host links join_host() made (the TAP, bridge, VLAN)."""
    for link in reversed(ent.get("links", [])):
        subprocess.run(["ip", "link", "del", link], capture_output=True)
    ent["links"] = []


def remove_state(st):
    """Everything of a lab that is not running any more."""
    kill_sessions([ent["pid"] for kind in ("machines", "switches")
                   for ent in st.data.get(kind, {}).values()])
    for ent in st.data.get("switches", {}).values():
        unlink_host(ent)
    path = st.data.get("path")
    if path:
        shutil.rmtree(os.path.join(path, ".uml-lab"), ignore_errors=True)
    shutil.rmtree(st.dir, ignore_errors=True)


def all_states():
    root = state_root()
    if not os.path.isdir(root):
        return []
    out = []
    for d in sorted(os.listdir(root)):
        if os.path.exists(os.path.join(root, d, "lab.json")):
            out.append(State(os.path.join(root, d)))
    return out
