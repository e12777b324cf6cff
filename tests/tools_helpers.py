# SPDX-License-Identifier: GPL-2.0
"""Helpers for the host tool tests (uml_mconsole, uml_switch).

Guest: a reference (or our) kernel booted from a private copy of root.img,
with its console on pipes so a test can type shell commands and read the
answers.  SwitchClient: a synthetic client of the uml_switch protocol.
Everything started here is registered with umltest so cleanup() ends it
and removes the guests' ~/.uml/UMID directories.
"""
import os
import select
import signal
import socket
import struct
import subprocess
import time

import umltest

TOOLS = os.path.join(umltest.TOP, "tools")
MCONSOLE = os.path.join(TOOLS, "uml_mconsole", "uml_mconsole")
SWITCH = os.path.join(TOOLS, "uml_switch", "uml_switch")
CLASSIC_MCONSOLE = "/usr/bin/uml_mconsole"
CLASSIC_SWITCH = "/usr/bin/uml_switch"

# The kernel the guests boot: the reference one unless TOOLS_TEST_KERNEL
# names another (e.g. ./linux, once our kernel has the drivers).
KERNEL = os.environ.get("TOOLS_TEST_KERNEL") or umltest.REF_LINUX

MCONSOLE_MAGIC = 0xcafebabe
SWITCH_MAGIC = 0xfeedface

_seq = [0]
# the guests' umids, whose ~/.uml/UMID umltest.cleanup() removes
_umids = umltest._umids
_built = [False]


def unique(prefix):
    """A name no concurrently running test uses."""
    _seq[0] += 1
    return "%s%d-%d" % (prefix, os.getpid(), _seq[0])


def need_tools():
    """Build the tools if needed (a no-op when up to date)."""
    if not _built[0]:
        r = subprocess.run(["make", "-s", "-C", TOOLS], capture_output=True,
                           timeout=300)
        if r.returncode != 0:
            raise AssertionError("make -C tools failed:\n%s" %
                                 (r.stdout + r.stderr).decode())
        _built[0] = True


def need_ref_kernel(kernel=None):
    """The guests' kernel and root.img are there: the classic kernel comes
    with scripts/install-deps.sh, ours and root.img with make check, so a
    missing one is a failure."""
    kernel = kernel or KERNEL
    assert os.access(kernel, os.X_OK), \
        "kernel %s not available (make linux; scripts/install-deps.sh " \
        "for %s)" % (kernel, umltest.REF_LINUX)
    assert os.path.exists(umltest.ROOT_IMG), \
        "root.img not built (make root.img)"


def uml_dir(umid):
    return os.path.join(umltest.uml_dir(), umid)


def run_tool(argv, timeout=20, input=None):
    """Run a tool; returns (status, stdout, stderr).  status is None when
    the tool had to be killed after @timeout seconds."""
    p = umltest.spawn(argv, stdin=subprocess.PIPE if input else
                      subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(input=input, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out.decode(errors="replace"), err.decode(
            errors="replace")
    return p.returncode, out.decode(errors="replace"), err.decode(
        errors="replace")


class Guest(umltest.Console):
    """A UML kernel (umltest.kernel_argv()) on a copy of root.img (or on
    @image itself), console on pipes (the tests' console driver,
    umltest.Console), with a umid and the mconsole, run under @wrap."""

    def __init__(self, umid=None, args=(), kernel=None, mem="128M",
                 wrap=(), image=None, env=None):
        kernel = kernel or KERNEL
        need_ref_kernel(kernel)
        self.umid = umid or unique("tt")
        argv, self.img = umltest.kernel_argv(
            *(umltest.CLASSIC_ARGS + ("rw",) + tuple(args)), kernel=kernel,
            image=image or umltest.ROOT_IMG, copy=not image, mem=mem,
            umid=self.umid)
        super().__init__(list(wrap) + argv, env=env)

    @property
    def proc(self):
        return self.p

    def dir(self):
        """The machine's directory (pid, mconsole socket)."""
        return uml_dir(self.umid)

    def wait_output(self, text, timeout=30, start=0):
        """Wait until @text shows up on the console after offset @start."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            out = self.output()
            i = out.find(text, start)
            if i >= 0:
                return i
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("%r not seen on the console of %s; last "
                             "output:\n%s" % (text, self.umid,
                                              self.output()[-2000:]))

    def type(self, line):
        self.send(line + "\n")

    def sh(self, cmd, timeout=30):
        """Run @cmd in the guest shell; returns what it printed."""
        return super().sh(cmd, timeout)[1]

    def wait_ready(self, timeout=60):
        """Wait for the shell prompt of the last boot (a reboot starts
        over with a new banner) and for the mconsole socket."""
        end = time.monotonic() + timeout
        with self.lock:
            self.pos = max(self.pos, self.text.rfind("Linux version"))
        self.expect(self.PROMPT, timeout)
        sock = os.path.join(uml_dir(self.umid), "mconsole")
        if not umltest.wait_for(lambda: os.path.exists(sock),
                                max(1, end - time.monotonic())):
            raise AssertionError("no mconsole socket at %s" % sock)
        return self

    def wait_exit(self, timeout=30):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("guest %s still running after %ss" %
                                 (self.umid, timeout))

    def alive(self):
        return self.proc.poll() is None


def mconsole(umid, *cmd, classic=False, timeout=20, opts=()):
    """(status, stdout, stderr) of one uml_mconsole command."""
    tool = CLASSIC_MCONSOLE if classic else MCONSOLE
    return run_tool([tool] + list(opts) + [umid] + list(cmd),
                    timeout=timeout)


# ---- uml_switch protocol ----

def abstract_name(tag):
    """A full-length abstract socket name, as UML daemon devices use."""
    raw = b"\0" + tag.encode()
    return raw + b"\0" * (108 - len(raw))


def switch_request(name, magic=SWITCH_MAGIC, version=3, rtype=0,
                   family=socket.AF_UNIX):
    """A control request in the layout the kernel sends (124 bytes)."""
    return (struct.pack("=III", magic, version, rtype) +
            struct.pack("=H108s", family, name) + b"\0\0")


def mac(n):
    return bytes([0xfe, 0xfd, 0, 0, (n >> 8) & 0xff, n & 0xff])


def frame(dst, src, payload=b"x" * 46, ethertype=0x88b5):
    return dst + src + struct.pack("!H", ethertype) + payload


BROADCAST = b"\xff" * 6


class SwitchClient:
    """One port of a switch, spoken to the way a UML kernel does."""

    def __init__(self, ctl, n=0, connect_back=False, path=None):
        self.mac = mac(n)
        self.ctl = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.ctl.settimeout(5)
        self.ctl.connect(ctl)
        self.data = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.data.settimeout(5)
        if path:
            # a data socket with a file name instead of an abstract one
            self.data.bind(path)
            self.name = path.encode().ljust(108, b"\0")
        else:
            self.name = abstract_name(unique("swc"))
            self.data.bind(self.name)
        self.ctl.sendall(switch_request(self.name))
        ans = b""
        while len(ans) < 110:
            chunk = self.ctl.recv(110 - len(ans))
            if not chunk:
                raise AssertionError("switch closed the control "
                                     "connection instead of answering")
            ans += chunk
        family, = struct.unpack("=H", ans[:2])
        assert family == socket.AF_UNIX, family
        self.peer = ans[2:110]
        if self.peer[:1] != b"\0":
            self.peer = self.peer.split(b"\0")[0]
        if connect_back:
            self.data.connect(self.peer)

    def send(self, dst, payload=b"x" * 46):
        self.data.sendto(frame(dst, self.mac, payload), self.peer)

    def send_raw(self, raw):
        self.data.sendto(raw, self.peer)

    def recv_all(self, wait=0.3):
        """Frames that arrive within @wait seconds of the last one."""
        got = []
        while True:
            r, _, _ = select.select([self.data], [], [], wait)
            if not r:
                return got
            got.append(self.data.recv(65536))

    def close(self):
        self.ctl.close()
        self.data.close()


class Switch:
    """A switch process (ours or the classic one) on a fresh socket."""

    def __init__(self, args=(), classic=False, wrap=(), ctl=None):
        need_tools()
        self.dir = umltest.tmpdir()
        self.ctl = ctl or os.path.join(self.dir, "ctl")
        tool = CLASSIC_SWITCH if classic else SWITCH
        self.log_path = os.path.join(self.dir, "log")
        self.logf = open(self.log_path, "wb")
        self.proc = umltest.spawn(list(wrap) + [tool, "-unix", self.ctl] +
                                  list(args), stdout=self.logf,
                                  stderr=subprocess.STDOUT)
        if not umltest.wait_for(lambda: self._listening() or
                                self.proc.poll() is not None, 10):
            raise AssertionError("switch made no socket at %s" % self.ctl)
        if self.proc.poll() is not None:
            raise AssertionError("switch exited (%s): %s" %
                                 (self.proc.returncode, self.log()))

    def _listening(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(self.ctl)
            return True
        except OSError:
            return False
        finally:
            s.close()

    def log(self):
        self.logf.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()
