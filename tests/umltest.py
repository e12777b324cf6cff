# SPDX-License-Identifier: GPL-2.0
"""Helpers shared by the tests (and bench/): paths, the one console
driver (Console: a kernel driven through its console on pipes; bench's
benchlib.Guest and tools_helpers.Guest are Consoles too), the one way to
start a kernel (start(): its command line from kernel_argv(), its
console a Console) and to boot it to its shell (boot(); boot_shell() is
boot() with its defaults), the one way to run a kernel that is to stop by
itself (run_kernel()), processes, scratch directories and machine
directories that cleanup() removes, and wait_for() to wait on a
condition instead of sleeping."""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINUX = os.path.join(TOP, "linux")
ROOT_IMG = os.path.join(TOP, "root.img")
REF_LINUX = "/usr/bin/linux.uml"
# what the classic kernel (and a guest on console pipes) needs to boot
# root.img: its root, our init, the first console on stdin/stdout
CLASSIC_ARGS = ("root=/dev/ubda", "init=/init", "con=null", "con0=fd:0,fd:1")

_procs = []
_dirs = []
_umids = []


try:
    import pytest
    Skip = pytest.skip.Exception

    def skip(reason):
        """This test cannot run here (a display, a host package): skipped."""
        pytest.skip(reason)
except ImportError:  # the helpers are also usable without pytest
    class Skip(Exception):
        """Raised by a test that cannot run here; counted as skipped."""

    def skip(reason):
        raise Skip(reason)


def tmpdir():
    d = tempfile.mkdtemp(prefix="umltest-")
    _dirs.append(d)
    return d


def spawn(argv, **kw):
    """Start a process that cleanup() kills if the test leaves it behind."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.STDOUT)
    kw.setdefault("start_new_session", True)
    p = subprocess.Popen(argv, **kw)
    _procs.append(p)
    return p


def run(argv, timeout=60, **kw):
    """Run to completion; returns (status, output as text)."""
    p = spawn(argv, **kw)
    try:
        out, _ = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        raise AssertionError("timed out after %ss: %s\n%s" %
                             (timeout, " ".join(argv),
                              (out or b"").decode(errors="replace")[-3000:]))
    return p.returncode, (out or b"").decode(errors="replace")


def copy_image(src=ROOT_IMG):
    """A private copy of a disk image, removed at cleanup."""
    d = tmpdir()
    dst = os.path.join(d, os.path.basename(src))
    shutil.copyfile(src, dst)
    return dst


def uml_dir():
    """Where a kernel started without uml_dir= makes its machine directory."""
    return os.path.join(os.path.expanduser("~"), ".uml")


def remove_dead_machine_dirs(pids, parent=None):
    """Remove the machine directories (UMID/ holding pid and mconsole) of
    our kernels (process ids @pids) that are gone: a kernel killed with
    SIGKILL cannot remove its own.  Other tests' directories, and those of
    live kernels, are left alone (a test may be looking at a dead one)."""
    parent = parent or uml_dir()
    try:
        names = os.listdir(parent)
    except OSError:
        return
    for name in names:
        d = os.path.join(parent, name)
        try:
            with open(os.path.join(d, "pid")) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            continue
        if pid not in pids:
            continue
        try:
            os.kill(pid, 0)
            continue
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        shutil.rmtree(d, ignore_errors=True)


def host_procs():
    """(pid, fields) of every host process: fields are those of
    /proc/PID/stat after the command name (0 state, 1 parent, 2 process
    group, 3 session, 11 utime, 12 stime)."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        yield int(d), st[st.rindex(")") + 2:].split()


def host_pids(root):
    """The host process @root and every process below it (a kernel: its
    I/O threads' processes, helpers and guest processes)."""
    parent = {pid: int(f[1]) for pid, f in host_procs()}
    pids, grew = {root}, True
    while grew:
        grew = False
        for p, pp in parent.items():
            if pp in pids and p not in pids:
                pids.add(p)
                grew = True
    return pids


def host_pss(root):
    """Host memory of process @root and those below it: their PSS summed,
    in bytes."""
    total = 0
    for p in host_pids(root):
        try:
            with open("/proc/%d/smaps_rollup" % p) as f:
                m = re.search(r"^Pss:\s+(\d+) kB", f.read(), re.M)
        except OSError:
            continue
        if m:
            total += int(m.group(1)) * 1024
    return total


def cleanup():
    pids = set()
    while _procs:
        p = _procs.pop()
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        pids.add(p.pid)
    while _dirs:
        shutil.rmtree(_dirs.pop(), ignore_errors=True)
    if pids:
        remove_dead_machine_dirs(pids)
    while _umids:
        shutil.rmtree(os.path.join(uml_dir(), _umids.pop()),
                      ignore_errors=True)


def wait_for(pred, timeout=10, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


class Console:
    """A booted kernel driven through its console (stdin/stdout pipes):
    the one console driver of the tests and of bench/ (benchlib.Guest).

    Output is collected by a thread, as text without carriage returns
    (output(), expect()) and as the bytes it was (raw(), search() with a
    bytes pattern); expect() waits for a regular expression, sh() runs a
    shell command and returns its output and status.
    """

    PROMPT = r"root@uml:[^\n]*[#$] "

    def __init__(self, argv, stdin=subprocess.PIPE, **kw):
        import threading
        self.p = spawn(argv, stdin=stdin, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, **kw)
        self.text = ""
        self.bytes = b""
        self.pos = 0
        self.lock = threading.Lock()
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()
        self.n = 0

    def _reader(self):
        while True:
            data = os.read(self.p.stdout.fileno(), 65536)
            if not data:
                return
            with self.lock:
                self.bytes += data
                self.text += data.decode(errors="replace").replace("\r", "")

    def output(self):
        with self.lock:
            return self.text

    def raw(self):
        """Everything the kernel printed, as bytes."""
        with self.lock:
            return self.bytes

    def search(self, pattern, timeout):
        """The first match of @pattern (bytes: in raw(), str: in
        output()) within @timeout seconds; None when it did not come or
        the kernel ended first."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.raw() if isinstance(pattern, bytes)
                          else self.output())
            if m or time.monotonic() > end or (self.p.poll() is not None
                                               and not self.t.is_alive()):
                return m
            time.sleep(0.05)

    def expect(self, pattern, timeout=30):
        """Wait for PATTERN after the last match; returns the match."""
        end = time.monotonic() + timeout
        rx = re.compile(pattern)
        while True:
            with self.lock:
                m = rx.search(self.text, self.pos)
                if m:
                    self.pos = m.end()
                    return m
            if time.monotonic() > end or (self.p.poll() is not None
                                          and not self.t.is_alive()):
                raise AssertionError("no %r in console output (exit %s):\n%s"
                                     % (pattern, self.p.poll(),
                                        self.output()[-3000:]))
            time.sleep(0.02)

    def settle(self, quiet=0.3, timeout=10):
        """Wait (up to @timeout seconds) until the output has not grown
        for @quiet seconds: what the kernel wrote has all come in.
        Returns the length of output() then."""
        last = [len(self.output()), time.monotonic()]

        def still():
            n = len(self.output())
            if n != last[0]:
                last[:] = [n, time.monotonic()]
            return time.monotonic() - last[1] >= quiet
        wait_for(still, timeout)
        return last[0]

    def send(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def sh(self, cmd, timeout=60):
        """Run CMD in the guest shell; returns (status, output)."""
        self.n += 1
        # the markers as printed differ from the command line's echo
        # (which the shell may also wrap), so only output matches them
        start, end = "__s%d__" % self.n, "__e%d__" % self.n
        self.send("echo __s%d\"\"__; %s; echo __e%d\"\"__ $?\n"
                  % (self.n, cmd, self.n))
        self.expect(re.escape(start) + r"\n", timeout)
        m = self.expect(r"(?s)(.*?)" + re.escape(end) + r" (\d+)\n", timeout)
        return int(m.group(2)), m.group(1)

    def wait(self, timeout=30):
        try:
            self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("kernel did not exit:\n" + self.output()[-3000:])
        self.t.join(5)
        return self.p.returncode

    def poweroff(self, timeout=30):
        """Type poweroff at the shell; returns the kernel's exit status."""
        self.send("poweroff\n")
        return self.wait(timeout)


def kernel_argv(*args, kernel=LINUX, image=ROOT_IMG, copy=True,
                readonly=False, mem="256M", umid=None):
    """The command line of @kernel with @args: ubd0= a private copy of
    @image (@image itself when not @copy; ubd0r= when @readonly) unless
    @args name a ubd0 of their own or @image is None, mem= @mem unless None, umid= @umid
    (its machine directory removed at cleanup), and CLASSIC_ARGS when
    @kernel is the classic one.  Returns (argv, the disk image or None)."""
    args = list(args)
    pre, img = [], None
    if image and not any(re.match(r"ubd0[a-z]*=", a) for a in args):
        img = copy_image(image) if copy else image
        pre.append(("ubd0r=" if readonly else "ubd0=") + img)
    if mem:
        pre.append("mem=" + mem)
    if kernel == REF_LINUX:
        pre += [a for a in CLASSIC_ARGS if a not in args]
    if umid:
        _umids.append(umid)
        pre.append("umid=" + umid)
    return [kernel] + pre + args, img


def start(*args, wrap=(), console=None, kernel=LINUX, image=ROOT_IMG,
          copy=True, readonly=False, mem="256M", umid=None, **popen):
    """Start a kernel (kernel_argv() of @args and the keywords it takes),
    run under @wrap (a command line prefix such as "ip netns exec NS"),
    driven through its console: a @console (Console or a subclass) whose
    .img is its disk and .umid its umid; @popen goes to the kernel's
    Popen (pass_fds, env, ...).  It does not wait for anything."""
    argv, img = kernel_argv(*args, kernel=kernel, image=image, copy=copy,
                            readonly=readonly, mem=mem, umid=umid)
    c = (console or Console)(list(wrap) + argv, **popen)
    c.img = img
    c.umid = umid
    return c


def boot(*args, timeout=60, **kw):
    """The one way the tests boot a kernel to its shell: start() with
    @args and @kw, then wait up to @timeout seconds for the prompt."""
    c = start(*args, **kw)
    c.expect(Console.PROMPT, timeout=timeout)
    return c


def run_kernel(*args, kernel=LINUX, wrap=(), timeout=60, **kw):
    """Run @kernel with exactly @args (under @wrap) to its end: a kernel
    that stops by itself (bad options, a panic, --help, init=/bin/true);
    returns (status, output)."""
    return run(list(wrap) + [kernel] + list(args), timeout=timeout, **kw)


def boot_shell(*args):
    """Boot ./linux on a private copy of root.img to a shell prompt."""
    return boot(*args)
