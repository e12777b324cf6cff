# SPDX-License-Identifier: GPL-2.0
"""uml-lab's command line: Kathara's subcommands and options."""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time

from . import channels, labconf, runner
from .labconf import LabError

DEFAULT_MEM = 64
VLAB = "_vlab"          # the pseudo-lab of vstart's devices


def die(msg, status=1):
    print("uml-lab: %s" % msg, file=sys.stderr)
    sys.exit(status)


def warn(msg):
    print("uml-lab: warning: %s" % msg, file=sys.stderr)


class Usage(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        print("uml-lab %s: %s" % (self.prog.split()[-1], message),
              file=sys.stderr)
        sys.exit(2)


def lab_dir(args):
    return os.path.realpath(args.directory or os.getcwd())


def read(path, force=False):
    try:
        return labconf.read_lab(path, force)
    except LabError as e:
        die("%s: %s" % (path, e), 1)


def open_state(path):
    st = runner.State.of(path)
    if not st.machines() and not st.data["switches"]:
        return None
    return st


def vlab_dir():
    d = os.path.join(runner.state_root(), VLAB + "-dir")
    os.makedirs(d, mode=0o700, exist_ok=True)
    return d


# ---- terminals -------------------------------------------------------------
def self_cmd():
    return [sys.executable, os.path.abspath(sys.argv[0])]


def open_terminals(st, names, how, xterm):
    """A tmux window (or an xterm) per machine, running `uml-lab connect`."""
    lab_path = st.data["path"]
    session = "uml-lab-" + os.path.basename(st.dir)
    for n in names:
        ent = st.machines().get(n)
        if not ent or not ent.get("console"):
            continue
        cmd = self_cmd() + ["connect", "-d", lab_path, n]
        if how == "xterm":
            term = xterm or "xterm"
            if not shutil.which(term):
                warn("no %s: no terminal for %s" % (term, n))
                continue
            subprocess.Popen([term, "-T", n, "-e"] + cmd,
                             stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL,
                             start_new_session=True)
            continue
        if not shutil.which("tmux"):
            warn("no tmux: terminals not opened (uml-lab connect %s)" % n)
            return
        line = " ".join(shlex.quote(c) for c in cmd)
        has = subprocess.run(["tmux", "has-session", "-t", session],
                             stderr=subprocess.DEVNULL).returncode == 0
        if has:
            subprocess.run(["tmux", "new-window", "-d", "-t", session,
                            "-n", n, line])
        else:
            subprocess.run(["tmux", "new-session", "-d", "-s", session,
                            "-n", n, line])
    if how == "tmux" and shutil.which("tmux"):
        st.data["tmux"] = session
        if os.environ.get("TMUX"):
            print("consoles: tmux session %s (tmux switch-client -t %s)"
                  % (session, session))
        else:
            print("consoles: tmux attach -t %s" % session)


def close_terminals(st):
    session = st.data.get("tmux")
    if session and shutil.which("tmux"):
        subprocess.run(["tmux", "kill-session", "-t", session],
                       stderr=subprocess.DEVNULL)


# ---- lstart ----------------------------------------------------------------
class StartOpts:
    pass


def start_opts(args, lab):
    o = StartOpts()
    o.mem = DEFAULT_MEM
    o.image = None
    o.timeout = args.timeout
    o.shared = not getattr(args, "no_shared", False)
    o.hosthome = bool(getattr(args, "hosthome", False))
    o.hostfs_root = None
    o.rel = "."
    if o.hosthome:
        home = os.path.realpath(os.path.expanduser("~"))
        rel = os.path.relpath(lab.path, home)
        if rel.startswith(".."):
            die("--hosthome: the lab %s is not below your home %s"
                % (lab.path, home), 2)
        if any(c.isspace() for c in rel):
            die("--hosthome: the lab's path has blanks", 2)
        o.hostfs_root, o.rel = home, rel
    if args.image:
        o.image = os.path.realpath(args.image)
        if not os.path.isfile(o.image):
            die("--image %s: no such file" % args.image, 2)
    return o


def check_files(lab, names, paths, o):
    """Refuse to start with a missing kernel, image or switch."""
    need = [("kernel", paths.kernel), ("switch", paths.switch)]
    for n in names:
        img, note = runner.image_for(lab.machines[n], paths,
                                     o.image or paths.busybox)
        if note:
            print("note: " + note)
        need.append(("image of %s" % n, img))
    for what, f in need:
        if not os.path.exists(f):
            hint = {"kernel": "make linux", "switch": "make tools"}.get(
                what, "make root.img, or make debian for the Debian image")
            die("the %s %s does not exist (%s)" % (what, f, hint))


def describe(lab, names, o, paths):
    r = runner.Runner(lab, runner.State.of(lab.path), paths)
    for wave_no, wave in enumerate(labconf.start_order(lab, names)):
        for n in wave:
            print("[%d] %s: %s" % (wave_no, n,
                                   " ".join(shlex.quote(a)
                                            for a in r.argv(lab.machines[n],
                                                            o))))


def cmd_lstart(args, force_terminals=None):
    try:
        opts = labconf.parse_opts(args.options)
    except LabError as e:
        die(str(e), 2)
    path = lab_dir(args)
    lab = read(path, args.force_lab)
    try:
        labconf.apply_opts(lab, opts)
        runner.mac_check(lab)
    except LabError as e:
        die(str(e), 1)
    for w in lab.warnings:
        warn(w)
    names = list(lab.machines)
    for d in args.devices:
        if d not in lab.machines:
            die("%s is not a machine of %s" % (d, path), 2)
    if args.devices:
        names = [n for n in names if n in args.devices]
    paths = runner.Paths()
    o = start_opts(args, lab)
    for k in ("LAB_DESCRIPTION", "LAB_VERSION", "LAB_AUTHOR", "LAB_EMAIL",
              "LAB_WEB"):
        if k in lab.meta:
            print("%s: %s" % (k[4:].capitalize(), lab.meta[k]))
    if args.dry_run:
        describe(lab, names, o, paths)
        print("lab.conf is correct (%d machines, %d collision domains)"
              % (len(lab.machines), len(lab.domains())))
        return 0
    check_files(lab, names, paths, o)
    if o.shared and not os.path.isdir(os.path.join(path, "shared")):
        os.makedirs(os.path.join(path, "shared"), exist_ok=True)
    st = runner.State.of(path)
    running = [n for n in names
               if runner.alive(st.machines().get(n, {}).get("pid"))]
    if running:
        die("already running: %s (uml-lab lclean -d %s)"
            % (" ".join(running), path))
    t0 = time.monotonic()
    r = runner.Runner(lab, st, paths)
    try:
        result = r.start(names, o)
    except LabError as e:
        r.stop(list(st.machines()), timeout=5)
        die(str(e))
    failed = {n: e for n, e in result.items() if e}
    for n in names:
        if result.get(n) is None:
            print("started %s" % n)
    for n, e in failed.items():
        print("uml-lab: %s: %s" % (n, e), file=sys.stderr)
    print("%d of %d machines ready in %.1f s"
          % (len(names) - len(failed), len(names), time.monotonic() - t0))
    poll = [n for n in names if not result.get(n) and
            not runner.has_pty_watch(st.machines()[n]["pid"])]
    if poll:
        warn("%s: no inotify instance left (fs.inotify.max_user_instances"
             "): their console lines poll, an idle VM costs host CPU; "
             "raise it, e.g. sysctl fs.inotify.max_user_instances=4096"
             % " ".join(poll))
    terms = args.terminals
    if force_terminals is not None:
        terms = force_terminals
    if terms is None:
        terms = sys.stdout.isatty() and sys.stdin.isatty()
    if terms or args.xterm:
        with st.lock():
            open_terminals(st, [n for n in names if not result.get(n)],
                           "xterm" if args.xterm else "tmux", args.xterm)
            st.save()
    if args.list:
        info(st)
    return 1 if failed else 0


# ---- lclean / lrestart / wipe ----------------------------------------------
def cmd_lclean(args):
    path = lab_dir(args)
    st = open_state(path)
    if not st:
        print("no running machines of %s" % path)
        return 0
    lab = labconf.Lab(path)
    r = runner.Runner(lab, st, runner.Paths())
    names = args.devices or list(st.machines())
    for d in args.devices:
        if d not in st.machines():
            die("%s is not running in %s" % (d, path), 2)
    if not args.devices:
        close_terminals(st)
    r.stop(names, timeout=args.timeout)
    for n in names:
        print("halted %s" % n)
    return 0


def cmd_lrestart(args):
    cmd_lclean(args)
    return cmd_lstart(args)


def cmd_wipe(args):
    n = 0
    states = runner.all_states()
    # every VM of every lab at once: one walk of /proc, not one a VM
    sids = [ent["pid"] for st in states for ent in st.machines().values()]
    runner.kill_sessions(sids)
    runner.wait_sessions_gone(sids, 10)
    for st in states:
        close_terminals(st)
        lab = labconf.Lab(st.data.get("path", "/"))
        r = runner.Runner(lab, st, runner.Paths())
        for name in list(st.machines()):
            r.clean_vm(name, killed=True)
            n += 1
        runner.remove_state(st)
    root = runner.state_root()
    shutil.rmtree(root, ignore_errors=True)
    print("wiped %d machines" % n)
    return 0


# ---- linfo / list ----------------------------------------------------------
def info(st, header=True):
    rows = []
    for name, ent in sorted(st.machines().items()):
        state = "running" if runner.alive(ent["pid"]) else "stopped"
        if state == "running" and not ent.get("agent"):
            state = "starting"
        ifs = " ".join("eth%s=%s" % (k, v[0])
                       for k, v in sorted(ent["ifaces"].items(),
                                          key=lambda kv: int(kv[0])))
        rows.append((st.data.get("name", "?"), name, state,
                     str(ent["pid"]), "%dM" % ent["mem"],
                     ent.get("console") or "-", ifs))
    if header:
        print("%-12s %-10s %-8s %-8s %-5s %-11s %s"
              % ("LAB", "DEVICE", "STATE", "PID", "MEM", "CONSOLE",
                 "INTERFACES"))
    for r in rows:
        print("%-12s %-10s %-8s %-8s %-5s %-11s %s" % r)
    return rows


def cmd_linfo(args):
    path = lab_dir(args)
    st = open_state(path)
    if not st:
        print("no running machines of %s" % path)
        return 0
    info(st)
    doms = st.data["switches"]
    print("collision domains: " + " ".join(
        "%s(%s)" % (d, "up" if runner.alive(e["pid"]) else "down")
        for d, e in sorted(doms.items())))
    return 0


def cmd_list(args):
    first = True
    for st in runner.all_states():
        info(st, header=first)
        first = False
    if first:
        print("no running machines")
    return 0


# ---- exec / connect --------------------------------------------------------
def find_machine(args, name):
    path = vlab_dir() if getattr(args, "vmachine", False) else lab_dir(args)
    st = open_state(path)
    ent = st.machines().get(name) if st else None
    if not ent:
        die("%s is not running in %s" % (name, path))
    if not runner.alive(ent["pid"]):
        die("%s has stopped (uml-lab lclean to clean up)" % name)
    if not ent.get("agent"):
        die("%s is still starting" % name)
    # the host pty of a line can change when the guest closes it (the
    # classic kernel makes a new one): ask the VM
    sock = st.p("uml", name, "mconsole")
    for key, dev in (("console", "con0"), ("agent", "ssl1")):
        try:
            ok, ans = channels.mconsole(sock, "config " + dev, 3)
        except channels.ChannelError:
            continue
        if ok and ":/dev/" in ans:
            ent[key] = ans.split(":", 1)[1]
    return st, ent


def cmd_exec(args):
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        die("exec: no COMMAND", 2)
    st, ent = find_machine(args, args.device)
    if len(args.command) == 1:
        cmd = args.command[0]
    else:
        cmd = " ".join(shlex.quote(c) for c in args.command)
    try:
        rc, out, err = channels.Agent(
            ent["agent"], st.p("agent", args.device)).run(
                cmd, timeout=args.timeout)
    except channels.MachineGone as e:
        die("%s: %s" % (args.device, e), 255)   # as ssh does
    except channels.ChannelError as e:
        die("%s: %s" % (args.device, e))
    if not args.no_stdout:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    if not args.no_stderr:
        sys.stderr.buffer.write(err)
        sys.stderr.flush()
    return rc


def cmd_connect(args):
    st, ent = find_machine(args, args.device)
    channels.connect(ent["console"], args.device)
    return 0


# ---- vstart / vclean ---------------------------------------------------------
def cmd_vstart(args):
    d = vlab_dir()
    lab = labconf.Lab(d)
    m = labconf.Machine(args.name, "vstart")
    if not labconf.NAME_RE.match(args.name):
        die("-n %s: not a machine name" % args.name, 2)
    try:
        for spec in args.eth or []:
            n, sep, rest = spec.partition(":")
            if not sep or not n.isdigit():
                raise LabError("--eth %s: not N:DOMAIN[/MAC]" % spec)
            if int(n) >= labconf.MAX_IFACES:
                raise LabError("--eth %s: interface number out of range "
                               "(0..%d)" % (spec, labconf.MAX_IFACES - 1))
            dom, _, mac = rest.partition("/")
            if not labconf.DOMAIN_RE.match(dom) or \
                    (mac and not labconf.MAC_RE.match(mac)):
                raise LabError("--eth %s: bad domain or MAC" % spec)
            m.ifaces[int(n)] = (dom, mac.lower() or None)
        if args.mem:
            m.mem = labconf.parse_mem(args.mem, "--mem")
        for e in args.exec_commands or []:
            m.exec_cmds.append(e)
    except LabError as e:
        die(str(e), 2)
    m.image = args.image_name
    lab.machines[m.name] = m
    st = runner.State.of(d)
    if runner.alive(st.machines().get(m.name, {}).get("pid")):
        die("%s is already running" % m.name)
    # the vlab's machines share it: keep the others' entries
    args.no_shared = True
    o = start_opts(args, lab)
    paths = runner.Paths()
    if args.dry_run:
        describe(lab, [m.name], o, paths)
        return 0
    check_files(lab, [m.name], paths, o)
    r = runner.Runner(lab, st, paths)
    err = r.start([m.name], o)[m.name]
    if err:
        die("%s: %s" % (m.name, err))
    print("started %s" % m.name)
    terms = args.terminals
    if terms is None:
        terms = sys.stdout.isatty() and sys.stdin.isatty()
    if terms or args.xterm:
        with st.lock():
            open_terminals(st, [m.name], "xterm" if args.xterm else "tmux",
                           args.xterm)
            st.save()
    return 0


def cmd_vclean(args):
    d = vlab_dir()
    st = open_state(d)
    if not st or args.name not in st.machines():
        die("%s is not running" % args.name)
    r = runner.Runner(labconf.Lab(d), st, runner.Paths())
    r.stop([args.name], timeout=args.timeout)
    print("halted %s" % args.name)
    return 0


# ---- ltest -------------------------------------------------------------------
# IPv4 only: IPv6 addresses carry flags (tentative) that change with time
BUILTIN = ("ip addr show | grep -E '^[0-9]+:|inet ' | "
           "sed -e 's/ *valid_lft.*//' -e 's/<.*//' -e 's/ qlen.*//'; "
           "echo ROUTES; ip route show | sort; "
           "echo PORTS; netstat -tuwln 2>/dev/null | tail -n +3 | sort")


def cmd_ltest(args):
    path = lab_dir(args)
    lab = read(path)
    test_dir = os.path.join(path, "_test")
    sig = os.path.join(test_dir, "signature")
    res = os.path.join(test_dir, "results")
    if not args.verify and os.path.exists(sig) and not args.rebuild_signature:
        die("%s exists (use -R to make it again, --verify to compare)" % sig)
    ns = argparse.Namespace(directory=path, force_lab=False, options=None,
                            devices=[], dry_run=False, terminals=False,
                            xterm=None, list=False, no_shared=True,
                            hosthome=False, image=args.image,
                            timeout=args.timeout)
    status = cmd_lstart(ns, force_terminals=False)
    if status:
        cmd_lclean(argparse.Namespace(directory=path, devices=[],
                                      timeout=args.timeout))
        die("the lab did not start")
    if args.wait:
        time.sleep(float(args.wait) * 60)
    st = open_state(path)
    outdir = res if args.verify else sig
    shutil.rmtree(outdir, ignore_errors=True)
    os.makedirs(outdir)
    passed = True
    for name in lab.machines:
        ag = channels.Agent(st.machines()[name]["agent"],
                            st.p("agent", name))
        checks = []
        if args.verify in (None, "builtin", "both"):
            checks.append(("builtin", BUILTIN))
        user = os.path.join(test_dir, name + ".test")
        if os.path.exists(user) and args.verify in (None, "user", "both"):
            checks.append(("user", "sh /hostlab/_test/%s.test" % name))
        for kind, cmd in checks:
            _, out, _ = ag.run(cmd, timeout=120)
            f = os.path.join(outdir, "%s.%s" % (name, kind))
            with open(f, "wb") as fh:
                fh.write(out)
            if args.verify:
                ref = os.path.join(sig, "%s.%s" % (name, kind))
                want = open(ref, "rb").read() if os.path.exists(ref) \
                    else None
                ok = want == out
                passed = passed and ok
                with open(os.path.join(res, name + ".diff"), "a") as fh:
                    fh.write("%s: %s\n" % (kind, "OK" if ok else
                                           "no signature" if want is None
                                           else "DIFFERS"))
                print("%s %s: %s" % (name, kind, "ok" if ok else "FAILED"))
    cmd_lclean(argparse.Namespace(directory=path, devices=[],
                                  timeout=args.timeout))
    if not args.verify:
        print("signature written to %s" % sig)
        return 0
    return 0 if passed else 1


# ---- the parser --------------------------------------------------------------
def parser():
    p = Usage(prog="uml-lab",
              description="Run Netkit/Kathara labs on User-mode Linux VMs.")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", parser_class=Usage)

    def common(sp, devices=False):
        sp.add_argument("-d", "--directory", metavar="DIR",
                        help="the lab directory (default: here)")
        sp.add_argument("--timeout", type=int, default=120,
                        help="seconds to wait for a machine")
        if devices:
            sp.add_argument("devices", nargs="*", metavar="DEVICE")

    def one_machine(sp):
        """DEVICE, of the lab in -d DIR or (-v) one of vstart."""
        g = sp.add_mutually_exclusive_group()
        g.add_argument("-d", "--directory", metavar="DIR")
        g.add_argument("-v", "--vmachine", action="store_true")
        sp.add_argument("device", metavar="DEVICE")

    def starting(sp, image=True):
        g = sp.add_mutually_exclusive_group()
        g.add_argument("--noterminals", dest="terminals",
                       action="store_const", const=False, default=None)
        g.add_argument("--terminals", "-t", dest="terminals",
                       action="store_const", const=True)
        sp.add_argument("--xterm", "--terminal-emu", metavar="PROGRAM",
                        help="an xterm per machine instead of tmux")
        if image:
            sp.add_argument("--image", metavar="FILE",
                            help="disk image for machines without [image]")
        h = sp.add_mutually_exclusive_group()
        h.add_argument("--hosthome", action="store_true")
        h.add_argument("--no-hosthome", "-H", dest="hosthome",
                       action="store_false")

    def lab_starting(sp):
        """What lstart and lrestart take."""
        common(sp, True)
        starting(sp)
        sp.add_argument("-F", "--force-lab", action="store_true")
        sp.add_argument("-l", "--list", action="store_true")
        sp.add_argument("-o", "--pass", dest="options", nargs="*",
                        metavar="OPTION")
        sp.add_argument("--print", "--dry-mode", "--dry-run",
                        dest="dry_run", action="store_true")
        s = sp.add_mutually_exclusive_group()
        s.add_argument("--no-shared", "-S", dest="no_shared",
                       action="store_true")
        s.add_argument("--shared", dest="no_shared", action="store_false")

    sp = sub.add_parser("lstart", help="start a lab")
    lab_starting(sp)
    sp.set_defaults(fn=cmd_lstart)

    sp = sub.add_parser("lclean", help="halt a lab's machines")
    common(sp, True)
    sp.set_defaults(fn=cmd_lclean)

    sp = sub.add_parser("lrestart", help="lclean, then lstart")
    lab_starting(sp)
    sp.set_defaults(fn=cmd_lrestart)

    sp = sub.add_parser("linfo", help="a lab's machines")
    common(sp)
    sp.set_defaults(fn=cmd_linfo)

    sp = sub.add_parser("list", help="all running machines of this user")
    sp.add_argument("-a", "--all", action="store_true")
    sp.set_defaults(fn=cmd_list)

    sp = sub.add_parser("wipe", help="kill every lab of this user")
    sp.add_argument("-f", "--force", action="store_true")
    sp.set_defaults(fn=cmd_wipe)

    sp = sub.add_parser("exec", help="run a command in a machine")
    one_machine(sp)
    sp.add_argument("--no-stdout", action="store_true")
    sp.add_argument("--no-stderr", action="store_true")
    sp.add_argument("--wait", action="store_true",
                    help="(always: a machine answers once set up)")
    sp.add_argument("--timeout", type=int, default=None)
    sp.add_argument("command", nargs=argparse.REMAINDER, metavar="COMMAND")
    sp.set_defaults(fn=cmd_exec)

    sp = sub.add_parser("connect", help="a machine's console")
    one_machine(sp)
    sp.add_argument("--shell", help="(ignored: the console's shell)")
    sp.set_defaults(fn=cmd_connect)

    sp = sub.add_parser("vstart", help="start one machine")
    sp.add_argument("-n", "--name", required=True)
    sp.add_argument("--eth", nargs="+", metavar="N:CD[/MAC]")
    sp.add_argument("--mem")
    sp.add_argument("-i", "--image", dest="image_name",
                    help="'busybox', a Kathara image name or a file")
    sp.add_argument("-e", "--exec", dest="exec_commands", nargs="*")
    sp.add_argument("--print", "--dry-run", dest="dry_run",
                    action="store_true")
    sp.add_argument("--timeout", type=int, default=120)
    starting(sp, image=False)
    sp.set_defaults(fn=cmd_vstart, image=None)

    sp = sub.add_parser("vclean", help="halt one machine of vstart")
    sp.add_argument("-n", "--name", required=True)
    sp.add_argument("--timeout", type=int, default=30)
    sp.set_defaults(fn=cmd_vclean)

    sp = sub.add_parser("ltest", help="a lab's tests (_test/)")
    sp.add_argument("-d", "--directory", metavar="DIR")
    sp.add_argument("-R", "--rebuild-signature", action="store_true")
    sp.add_argument("--verify", choices=["builtin", "user", "both"])
    sp.add_argument("--wait", metavar="MINUTES")
    sp.add_argument("--image", metavar="FILE")
    sp.add_argument("--timeout", type=int, default=120)
    sp.set_defaults(fn=cmd_ltest)
    return p


def main(argv=None):
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "fn", None):
        p.print_help()
        return 2
    if getattr(args, "wait", None) and args.cmd == "ltest":
        try:
            if float(args.wait) < 0:
                raise ValueError
        except ValueError:
            p.error("--wait %s: not a number of minutes" % args.wait)
    try:
        return args.fn(args)
    except KeyboardInterrupt:
        return 130
