# SPDX-License-Identifier: GPL-2.0
"""Reading a lab directory: lab.conf, lab.dep and the machine directories.

The format is Netkit's and Kathara's, as published labs use it:

    LAB_DESCRIPTION="two hosts, two routers"    metadata (any LAB_* key)
    machines="pc1 pc2 r1"                       Netkit's list of machines
    pc1[0]=A                                    eth0 of pc1 on domain A
    pc1[1]="B/02:00:00:00:00:01"                eth1 on B, with a MAC
    pc1[mem]=64m                                per-machine options
    pc1[image]="kathara/frr"

Every fault is a LabError whose text names the file and line.  Nothing is
started before the whole lab has been read.
"""
import os
import re

MAX_IFACES = 32         # eth0..eth31: what the kernel's ethN= accepts

NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*$")
DOMAIN_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.:-]*$")
MAC_RE = re.compile(r"([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")
ENTRY_RE = re.compile(r"(?P<m>[^\s\[\]=]+)\[(?P<a>[^\]]*)\]\s*=\s*(?P<v>.*)$")
META_RE = re.compile(r"(?P<k>LAB_[A-Za-z0-9_]+)\s*=\s*(?P<v>.*)$")
MACHINES_RE = re.compile(r"machines\s*=\s*(?P<v>.*)$")

# Options of Kathara's lab.conf that do not apply to a UML VM: accepted
# with a warning.
IGNORED = {
    "cpus": "a VM has one CPU",
    "bridged": "no host bridge: use a collision domain joined to a TAP",
    "port": "no port mapping",
    "ulimit": "limits are the guest's own",
    "privileged": "a VM is always privileged inside",
    "entrypoint": "the image's own init runs",
    "args": "the image's own init runs",
    "volume": "use /hostlab or /shared",
}
# Docker image names that are the busybox image; any other name is taken
# as a Kathara image and mapped to the Debian image.
BUSYBOX_IMAGES = {"busybox", "uml/busybox"}


class LabError(Exception):
    """A fault in the lab's files; str() is the message to print."""


class Machine:
    """One VM of a lab, as lab.conf describes it."""

    def __init__(self, name, where):
        self.name = name
        self.where = where              # "lab.conf:LINE" of its first entry
        self.ifaces = {}                # N -> (domain, mac or None)
        self.mem = None                 # MiB
        self.image = None               # as written in lab.conf
        self.exec_cmds = []
        self.sysctls = []
        self.envs = []
        self.shell = None
        self.num_terms = 1
        self.options = {}               # every option as written

    def __repr__(self):
        return "Machine(%s, %s)" % (self.name, sorted(self.ifaces.items()))


class Lab:
    """A parsed lab directory."""

    def __init__(self, path):
        self.path = path
        self.meta = {}
        self.machines = {}              # name -> Machine, in lab.conf order
        self.deps = {}                  # name -> [names it waits for]
        self.ext = {}                   # domain -> (host interface, vlan)
        self.warnings = []

    @property
    def name(self):
        return self.meta.get("LAB_NAME") or os.path.basename(self.path)

    def domains(self, names=None):
        """Collision domains used by the machines NAMES (default all)."""
        out = []
        for m in self.machines.values():
            if names is not None and m.name not in names:
                continue
            for n in sorted(m.ifaces):
                if m.ifaces[n][0] not in out:
                    out.append(m.ifaces[n][0])
        return out


def _unquote(raw, where):
    v = raw.strip()
    if v[:1] in ('"', "'"):
        q = v[0]
        end = v.find(q, 1)
        if end < 0:
            raise LabError("%s: unterminated %s quote" % (where, q))
        rest = v[end + 1:].strip()
        if rest and not rest.startswith("#"):
            raise LabError("%s: text after the closing quote: %r"
                           % (where, rest))
        return v[1:end]
    v = v.split("#", 1)[0].strip() if " #" in v else v
    if re.search(r"\s", v):
        raise LabError("%s: value %r has blanks: quote it" % (where, v))
    return v


def parse_mem(value, where):
    """'64', '64m', '64M', '64MB', '1g' -> MiB."""
    m = re.fullmatch(r"(\d+)\s*([kKmMgG]?)[bB]?", value.strip())
    if not m:
        raise LabError("%s: memory %r is not a size (e.g. 64m, 1g)"
                       % (where, value))
    n, unit = int(m.group(1)), m.group(2).lower()
    mib = {"k": n // 1024, "": n, "m": n, "g": n * 1024}[unit]
    if mib < 16:
        raise LabError("%s: memory %r is below 16 MiB" % (where, value))
    return mib


def _option(lab, mach, key, value, where):
    mach.options[key] = value
    if key == "mem":
        mach.mem = parse_mem(value, where)
    elif key == "image":
        mach.image = value
    elif key == "exec":
        mach.exec_cmds.append(value)
    elif key == "sysctl":
        if "=" not in value:
            raise LabError("%s: sysctl %r is not KEY=VALUE" % (where, value))
        mach.sysctls.append(value)
    elif key == "env":
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", value):
            raise LabError("%s: env %r is not NAME=VALUE" % (where, value))
        mach.envs.append(value)
    elif key == "ipv6":
        if value.lower() not in ("true", "false"):
            raise LabError("%s: ipv6 must be true or false, not %r"
                           % (where, value))
        mach.sysctls.append("net.ipv6.conf.all.disable_ipv6=%d"
                            % (value.lower() == "false"))
    elif key == "shell":
        mach.shell = value
    elif key == "num_terms":
        if not value.isdigit() or not 0 <= int(value) <= 8:
            raise LabError("%s: num_terms %r is not 0..8" % (where, value))
        mach.num_terms = int(value)
    elif key in IGNORED:
        lab.warnings.append("%s: %s[%s] ignored (%s)"
                            % (where, mach.name, key, IGNORED[key]))
    else:
        lab.warnings.append("%s: unknown option %s[%s] ignored"
                            % (where, mach.name, key))


def _machine(lab, name, where):
    if not NAME_RE.match(name):
        raise LabError("%s: %r is not a machine name (letters, digits, "
                       "_ . -)" % (where, name))
    if name not in lab.machines:
        lab.machines[name] = Machine(name, where)
    return lab.machines[name]


def parse_conf(lab, conf):
    rel = os.path.basename(conf)
    try:
        with open(conf, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise LabError("%s: cannot read: %s" % (conf, e.strerror))
    for no, raw in enumerate(lines, 1):
        where = "%s:%d" % (rel, no)
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        m = ENTRY_RE.match(line)
        if m:
            name, arg = m.group("m"), m.group("a").strip()
            value = _unquote(m.group("v"), where)
            mach = _machine(lab, name, where)
            if arg.isdigit():
                n = int(arg)
                if n >= MAX_IFACES:
                    raise LabError("%s: interface number %d of %s is out of "
                                   "range (0..%d)"
                                   % (where, n, name, MAX_IFACES - 1))
                if n in mach.ifaces:
                    raise LabError("%s: %s[%d] given twice" % (where, name, n))
                dom, _, mac = value.partition("/")
                if not DOMAIN_RE.match(dom):
                    raise LabError("%s: %r is not a collision domain name"
                                   % (where, dom))
                if mac and not MAC_RE.match(mac):
                    raise LabError("%s: %r is not a MAC address" % (where, mac))
                if mac and int(mac[:2], 16) & 1:
                    raise LabError("%s: %s is a multicast MAC address"
                                   % (where, mac))
                mach.ifaces[n] = (dom, mac.lower() or None)
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", arg):
                _option(lab, mach, arg, value, where)
            else:
                raise LabError("%s: %r is neither an interface number nor an "
                               "option name" % (where, arg))
            continue
        m = META_RE.match(line)
        if m:
            lab.meta[m.group("k")] = _unquote(m.group("v"), where)
            continue
        m = MACHINES_RE.match(line)
        if m:
            for name in _unquote(m.group("v"), where).split():
                _machine(lab, name, where)
            continue
        raise LabError("%s: cannot read %r: expected MACHINE[N]=DOMAIN, "
                       "MACHINE[OPTION]=VALUE, LAB_*=VALUE or machines=..."
                       % (where, raw.strip()))


def parse_dep(lab, dep):
    """lab.dep: lines 'MACHINE...: MACHINE...' (make's syntax)."""
    rel = os.path.basename(dep)
    try:
        with open(dep, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise LabError("%s: cannot read: %s" % (dep, e.strerror))
    edge_line = {}
    for no, raw in enumerate(lines, 1):
        where = "%s:%d" % (rel, no)
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.count(":") != 1:
            raise LabError("%s: expected 'MACHINE: MACHINE...', got %r"
                           % (where, raw.strip()))
        left, right = line.split(":")
        targets, needs = left.split(), right.split()
        if not targets:
            raise LabError("%s: no machine before ':'" % where)
        for name in targets + needs:
            if name not in lab.machines:
                raise LabError("%s: %s is not a machine of lab.conf"
                               % (where, name))
        for t in targets:
            for n in needs:
                if n == t:
                    raise LabError("%s: cycle: %s waits for itself"
                                   % (where, t))
                lab.deps.setdefault(t, [])
                if n not in lab.deps[t]:
                    lab.deps[t].append(n)
                    edge_line[(t, n)] = no
    # a cycle: depth-first search, reported at the line of its last edge
    state = {}

    def visit(node, stack):
        state[node] = 1
        stack.append(node)
        for n in lab.deps.get(node, []):
            if state.get(n) == 1:
                cyc = stack[stack.index(n):] + [n]
                raise LabError("%s:%d: cycle in the start order: %s "
                               "(each waits for the next)"
                               % (rel, edge_line[(node, n)], " -> ".join(cyc)))
            if not state.get(n):
                visit(n, stack)
        stack.pop()
        state[node] = 2

    for node in list(lab.deps):
        if not state.get(node):
            visit(node, [])


def parse_ext(lab, ext):
    """lab.ext (Kathara): lines 'DOMAIN HOSTIF[.VLAN]' join a collision
    domain to a host interface (a VXLAN device for a domain spread over
    several hosts, a physical port, a VLAN of one)."""
    rel = os.path.basename(ext)
    with open(ext, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    used = lab.domains()
    for no, raw in enumerate(lines, 1):
        where = "%s:%d" % (rel, no)
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if len(words) != 2:
            raise LabError("%s: expected 'DOMAIN HOST_INTERFACE[.VLAN]', got "
                           "%r" % (where, raw.strip()))
        dom, ifname = words
        vlan = None
        if "." in ifname:
            ifname, v = ifname.rsplit(".", 1)
            if not v.isdigit() or not 1 <= int(v) <= 4094:
                raise LabError("%s: VLAN %r is not 1..4094" % (where, v))
            vlan = int(v)
        if not re.fullmatch(r"[A-Za-z0-9_.:-]{1,15}", ifname) or \
                (vlan and len("%s.%d" % (ifname, vlan)) > 15):
            raise LabError("%s: %r is not a host interface name"
                           % (where, words[1]))
        if dom not in used:
            raise LabError("%s: no machine is on collision domain %s"
                           % (where, dom))
        if dom in lab.ext:
            raise LabError("%s: %s is joined to a host interface twice"
                           % (where, dom))
        lab.ext[dom] = (ifname, vlan)


def check_dirs(lab):
    """A directory next to lab.conf is a machine's: it must have an entry."""
    for entry in sorted(os.listdir(lab.path)):
        full = os.path.join(lab.path, entry)
        if entry.startswith((".", "_")) or entry == "shared":
            continue
        if os.path.isdir(full) and entry not in lab.machines:
            raise LabError("lab.conf:1: directory %s/ is a machine's but "
                           "lab.conf has no %s[...] line (add one, or list "
                           "it in machines=)" % (entry, entry))
    for entry in sorted(os.listdir(lab.path)):
        for suffix in (".startup", ".shutdown"):
            base = entry[:-len(suffix)]
            if entry.endswith(suffix) and base != "shared" and \
                    base not in lab.machines:
                lab.warnings.append("%s: no machine %s in lab.conf: file "
                                    "not used" % (entry, base))


def read_lab(path, force=False):
    """Read the lab directory PATH.  FORCE: a lab without lab.conf is
    made of its machine directories (Kathara's -F)."""
    path = os.path.realpath(path)
    if not os.path.isdir(path):
        raise LabError("%s: no such lab directory" % path)
    lab = Lab(path)
    conf = os.path.join(path, "lab.conf")
    if os.path.exists(conf):
        parse_conf(lab, conf)
    elif force:
        for entry in sorted(os.listdir(path)):
            if os.path.isdir(os.path.join(path, entry)) and \
                    not entry.startswith((".", "_")) and entry != "shared":
                _machine(lab, entry, entry + "/")
    else:
        raise LabError("%s: no lab.conf (use -F to start the machine "
                       "directories alone)" % conf)
    check_dirs(lab)
    dep = os.path.join(path, "lab.dep")
    if os.path.exists(dep):
        parse_dep(lab, dep)
    ext = os.path.join(path, "lab.ext")
    if os.path.exists(ext):
        parse_ext(lab, ext)
    if not lab.machines:
        raise LabError("%s: the lab has no machines" % conf)
    return lab


def parse_opts(opts, where="-o"):
    """-o OPT... of lstart: 'mem=128m', 'image=NAME', 'exec=CMD', ..."""
    out = []
    for o in opts or []:
        k, eq, v = o.partition("=")
        if not eq or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
            raise LabError("%s %s: not OPTION=VALUE" % (where, o))
        out.append((k, v))
    return out


def apply_opts(lab, opts, where="-o"):
    for name, m in lab.machines.items():
        for k, v in opts:
            _option(lab, m, k, v, "%s %s=%s" % (where, k, v))


def start_order(lab, names):
    """Waves of machines among NAMES: each only waits for earlier waves."""
    left = [n for n in lab.machines if n in names]
    done, waves = set(), []
    while left:
        wave = [n for n in left
                if all(d in done or d not in names
                       for d in lab.deps.get(n, []))]
        waves.append(wave)
        done.update(wave)
        left = [n for n in left if n not in done]
    return waves
