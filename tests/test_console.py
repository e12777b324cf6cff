# SPDX-License-Identifier: GPL-2.0
"""Consoles and serial lines on host channels (drivers/chan/).

Each test boots ./linux with con=/ssl= lines on pipes, ptys, telnet ports
or an xterm and checks from the host side what the guest's ttys do:
logins through getty, window sizes, hang-ups, back-pressure, bad specs.
The pexpect-driven terminal clients live in console_client.py (run with
Debian's /usr/bin/python3, which has pexpect).
"""
import contextlib
import fcntl
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import termios
import time
import pty

import umltest
from umltest import LINUX, run, run_kernel, spawn

HERE = os.path.dirname(os.path.abspath(__file__))
CLIENT = os.path.join(HERE, "console_client.py")
DEB_PYTHON = "/usr/bin/python3"


def boot(*args, **kw):
    return umltest.boot(*args, mem="128M", **kw)


def need_pexpect():
    assert subprocess.run([DEB_PYTHON, "-c", "import pexpect"],
                          capture_output=True).returncode == 0, \
        "pexpect missing for /usr/bin/python3 (python3-pexpect, " \
        "scripts/install-deps.sh)"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def poweroff(c):
    assert c.poweroff() == 0, c.output()[-2000:]


def test_scripted_stdin_is_kept_and_powers_off():
    img = umltest.copy_image()
    # input arrives long before the shell reads it: nothing may be lost
    p = spawn([LINUX, "ubd0=" + img, "mem=128M"], stdin=subprocess.PIPE)
    out, _ = p.communicate(b"echo hi-$((40 + 2))\npoweroff\n", timeout=60)
    out = out.decode(errors="replace").replace("\r", "")
    assert p.returncode == 0, out[-2000:]
    assert re.search(r"^hi-42$", out, re.M), out[-2000:]
    # end of input without poweroff: a hang-up once the shell read it all
    p = spawn([LINUX, "ubd0=" + img, "mem=128M"], stdin=subprocess.PIPE)
    out, _ = p.communicate(b"echo one-$((1))\necho two-$((2))\n",
                           timeout=60)
    out = out.decode(errors="replace").replace("\r", "")
    assert p.returncode == 0, out[-2000:]
    assert re.search(r"^one-1$", out, re.M) and \
        re.search(r"^two-2$", out, re.M), out[-2000:]


def test_pty_login_logout_and_login_again():
    need_pexpect()
    c = boot("ssl0=pty")
    m = re.search(r"ttyS0: on host pseudo-terminal (/dev/pts/\d+)",
                  c.output())
    assert m, c.output()
    cl = umltest.Console([DEB_PYTHON, CLIENT, "pty", m.group(1)])
    cl.expect(r"WAIT hang-up\n", 120)

    def sleeps():
        return c.sh("ps | grep -c '[s]leep 1000'")[1].strip()
    # the client left: the line hangs up, which ends the session's sleep
    assert umltest.wait_for(lambda: sleeps() == "0", 10, 0.1), \
        "the left session's sleep still runs: " + sleeps()
    cl.send("go\n")
    st, out = cl.wait(120), cl.output()
    assert st == 0 and out.count("OK ") == 3, out
    # the console shell was not disturbed
    assert c.sh("echo still-here") == (0, "still-here\n")
    poweroff(c)


def test_two_telnet_sessions_share_one_port():
    need_pexpect()
    assert shutil.which("telnet"), \
        "no telnet client (Debian telnet, scripts/install-deps.sh)"
    port = free_port()
    # the same port, once by number and once with the (loopback) address
    c = boot("ssl0=port:%d" % port, "ssl1=port:127.0.0.1:%d" % port)
    assert "ttyS0: telnet on 127.0.0.1:%d" % port in c.output()
    st, out = run([DEB_PYTHON, CLIENT, "telnet", str(port)], timeout=120)
    assert st == 0 and out.count("OK ") == 4, out
    # a plain socket client (as nc) gets the login prompt too
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        data = b""
        end = time.monotonic() + 15
        while b"login:" not in data and time.monotonic() < end:
            try:
                data += s.recv(4096)
            except socket.timeout:
                break
        assert b"login:" in data, data
    # the port is on the loopback address only
    assert c.sh("true")[0] == 0
    poweroff(c)


def _hi_fd(fd):
    return fcntl.fcntl(fd, fcntl.F_DUPFD, 100)


def boot_with_fds(fds, *args):
    """Boot with the descriptors FDS put at 3, 4, ... in the kernel."""
    hi = [_hi_fd(f) for f in fds]

    def place():
        for i, f in enumerate(hi):
            os.dup2(f, 3 + i)

    c = boot(*args, preexec_fn=place,
             pass_fds=tuple(range(3, 3 + len(fds))))
    for f in hi:
        os.close(f)
    return c


@contextlib.contextmanager
def con1_on_pipes():
    """A kernel booted with con1 on two new pipes; yields it, the host's end
    of the line's input and the host's end of its output (closed after)."""
    in_r, in_w = os.pipe()
    out_r, out_w = os.pipe()
    c = boot_with_fds([in_r, out_w], "con1=fd:3,fd:4")
    os.close(in_r)
    os.close(out_w)
    try:
        yield c, in_w, out_r
    finally:
        os.close(in_w)
        os.close(out_r)


def read_until(fd, pattern, timeout=15):
    data = b""
    end = time.monotonic() + timeout
    while not re.search(pattern, data) and time.monotonic() < end:
        if select.select([fd], [], [], 0.2)[0]:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            data += chunk
    assert re.search(pattern, data), data[-2000:]
    return data


def test_con1_on_pipes():
    with con1_on_pipes() as (c, to_guest_w, from_guest_r):
        assert c.sh("echo to-host-$((3 * 3)) > /dev/tty1") == (0, "")
        read_until(from_guest_r, rb"to-host-9\r\n")
        # input written before anyone reads the line is kept
        os.write(to_guest_w, b"from-host-1\nfrom-host-2\n")
        assert c.sh("head -n 2 /dev/tty1") == \
            (0, "from-host-1\nfrom-host-2\n")
        poweroff(c)


def test_con1_on_a_host_terminal_device():
    master, slave = pty.openpty()
    path = os.ttyname(slave)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 21, 71, 0, 0))
    os.close(slave)
    try:
        c = boot("con1=tty:" + path)
        assert c.sh("echo via-tty-$((2 + 2)) > /dev/tty1") == (0, "")
        read_until(master, rb"via-tty-4\r\n")
        os.write(master, b"typed-on-host\r")
        assert c.sh("head -n 1 /dev/tty1") == (0, "typed-on-host\n")
        # the device's window size is the line's
        assert c.sh("stty -F /dev/tty1 size") == (0, "21 71\n")
        poweroff(c)
    finally:
        os.close(master)


def test_window_size_and_its_change():
    img = umltest.copy_image()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execv(LINUX, [LINUX, "ubd0=" + img, "mem=128M"])
    try:
        read_until(fd, rb"root@uml:[^\n]*# ", 60)
        os.write(fd, b"stty size\r")
        read_until(fd, rb"\n30 100\r\n")
        os.write(fd, b"sh -c 'trap \"echo winch; stty size; exit\" WINCH; "
                     b"echo waiting; while :; do sleep 0.1; done'\r")
        read_until(fd, rb"\nwaiting\r\n")
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        read_until(fd, rb"winch\r\n40 120\r\n")
        os.write(fd, b"poweroff\r")
        read_until(fd, rb"Power down", 30)
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(fd)


def kernel_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_flood_to_an_unread_line_does_not_stall_the_guest():
    with con1_on_pipes() as (c, _, out_r):
        st, pid = c.sh("yes flood-line > /dev/tty1 & echo $!")
        assert st == 0
        pid = int(pid)

        def sleeping():
            st, out = c.sh("cat /proc/%d/stat" % pid)
            return st == 0 and out.split()[2] == "S"

        # the writer is held back, as by a tty whose reader is slow (once
        # the host pipe and the line's ring are full: seen asleep twice) ...
        assert umltest.wait_for(lambda: sleeping() and sleeping(), 30, 0.5)
        # ... and the rest of the guest goes on
        t0 = time.monotonic()
        st, out = c.sh("dd if=/dev/zero bs=64k count=64 2>/dev/null | "
                       "wc -c; echo $((7 * 6))")
        assert (st, out) == (0, "4194304\n42\n"), out
        assert time.monotonic() - t0 < 10
        # and the kernel does not spin while it waits for the reader
        cpu0 = kernel_cpu(c.p.pid)
        time.sleep(2)       # the point: two seconds of a held-back writer
        assert kernel_cpu(c.p.pid) - cpu0 < 0.5
        # nothing was dropped: the host reads whole lines when it reads
        data = read_until(out_r, rb"(flood-line\r\n){2000}")
        assert re.fullmatch(rb"(flood-line\r\n)+(f[a-z-]*)?", data[:20000]
                            .rsplit(b"\n", 1)[0] + b"\n"), data[:200]
        c.sh("kill %d" % pid)
        poweroff(c)


def _bad(arg, words, env=None):
    t0 = time.monotonic()
    st, out = run_kernel("mem=64M", arg, timeout=20, env=env)
    assert st == 2, "%s: exit %s\n%s" % (arg, st, out)
    assert arg in out and words in out, "%s: %s" % (arg, out)
    assert "Linux version" not in out
    assert time.monotonic() - t0 < 5


def test_bad_specs_stop_before_boot():
    _bad("con0=bogus", "unknown channel")
    _bad("ssl1=port:x", "port number")
    _bad("ssl0=port:70000", "port number")
    _bad("ssl0=port:1.2.3:9000", "not an IPv4 address")
    _bad("ssl0=tty:/no/such", "No such file")
    _bad("con9=null", "too large")
    _bad("ssl0=fd:77", "not open")
    _bad("ssl0=", "no channel")
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("UML_XTERM", None)
    _bad("ssl0=xterm", "DISPLAY", env=env)
    # a port in use is found before boot
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    try:
        _bad("ssl0=port:%d" % s.getsockname()[1], "in use")
    finally:
        s.close()
    # console= is not a line option
    st, out = run_kernel("--help", timeout=20)
    assert "conN=CHANNEL" in out and "sslN=CHANNEL" in out, out


def _xwd_bitmap(display, win):
    """The window's pixels as rows of '#' (dark) and '.' (light)."""
    data = subprocess.run(["xwd", "-silent", "-id", win],
                          env=dict(os.environ, DISPLAY=display),
                          capture_output=True).stdout
    if len(data) < 100:
        return None
    h = struct.unpack(">25I", data[:100])
    size, w, rows, bpl, ncolors = h[0], h[4], h[5], h[12], h[19]
    px = data[size + ncolors * 12:]
    return ["".join("#" if sum(px[y * bpl + 4 * x:y * bpl + 4 * x + 3]) < 200
                    else "." for x in range(w)) for y in range(rows)]


def _window(display, title, timeout=20):
    def find():
        out = subprocess.run(["xwininfo", "-root", "-tree"],
                             env=dict(os.environ, DISPLAY=display),
                             capture_output=True, text=True).stdout
        m = re.search(r"(0x[0-9a-f]+) \"%s\"" % re.escape(title), out)
        return m and m.group(1)
    return umltest.wait_for(find, timeout, 0.2)


def test_xterm_window_shows_the_login_prompt():
    for tool in ("Xvfb", "xterm", "xwd", "xwininfo"):
        assert shutil.which(tool), "%s missing (xvfb, xterm, x11-apps, " \
            "x11-utils: scripts/install-deps.sh)" % tool
    n = next(n for n in range(60, 100)
             if not os.path.exists("/tmp/.X11-unix/X%d" % n) and
             not os.path.exists("/tmp/.X%d-lock" % n))
    display = ":%d" % n
    spawn(["Xvfb", display, "-nolisten", "tcp", "-screen", "0",
           "1280x800x24"], stdout=subprocess.DEVNULL)
    assert umltest.wait_for(
        lambda: os.path.exists("/tmp/.X11-unix/X%d" % n), 10)
    env = dict(os.environ, DISPLAY=display)
    env.pop("UML_XTERM", None)
    c = boot("ssl0=xterm", env=env)
    assert re.search(r"ttyS0: xterm on /dev/pts/\d+", c.output())
    win = _window(display, "UML ttyS0")
    assert win, "no xterm window titled 'UML ttyS0'"
    # the same text drawn by an xterm of our own is the expected picture
    spawn(["xterm", "-T", "expected", "-geometry", "+600+0", "-e", "sh", "-c",
           "printf '\\numl login: '; sleep 60"], env=env)
    ref = _window(display, "expected")
    assert ref
    want = umltest.wait_for(lambda: _xwd_bitmap(display, ref), 10)
    got = umltest.wait_for(lambda: _xwd_bitmap(display, win) == want and
                           want, 20)
    assert got and sum(r.count("#") for r in want[1:-1]) > 100, \
        "the xterm does not show the login prompt"
    poweroff(c)


def test_terminal_command_replaces_xterm():
    # $UML_XTERM: any command attaching a terminal to the pty in $UML_PTY
    d = umltest.tmpdir()
    log = os.path.join(d, "terminal.log")
    env = dict(os.environ, UML_XTERM='exec cat "$UML_PTY" > %s' % log)
    env.pop("DISPLAY", None)
    c = boot("ssl0=xterm", env=env)
    assert umltest.wait_for(
        lambda: os.path.exists(log) and b"uml login:" in open(log, "rb").read(),
        20), "no login prompt reached the terminal command"
    poweroff(c)
    # the terminal is not our child: it ends when its pty goes away
    out = subprocess.run(["pgrep", "-f", "cat /dev/pts/.*%s" % log],
                         capture_output=True).stdout
    assert umltest.wait_for(lambda: not subprocess.run(
        ["pgrep", "-f", log], capture_output=True).stdout, 10), out


def _mconsole(umid, *cmd):
    tool = os.path.join(umltest.TOP, "tools/uml_mconsole/uml_mconsole")
    if not os.access(tool, os.X_OK):
        tool = "/usr/bin/uml_mconsole"
    st, out = run([tool, umid] + list(cmd), timeout=20)
    return st, out.strip()


def test_lines_configured_at_run_time():
    umid = "contest%d" % os.getpid()
    udir = os.path.join(os.path.expanduser("~"), ".uml", umid)
    c = boot("umid=" + umid, "ssl0=pty")
    try:
        # the kernel ships a management console: its socket must come
        assert umltest.wait_for(
            lambda: os.path.exists(os.path.join(udir, "mconsole")), 5), \
            "no management console socket in " + udir
        st, out = _mconsole(umid, "config", "ssl1=pty")
        m = re.search(r"(/dev/pts/\d+)", out)
        assert st == 0 and m, out
        pts = m.group(1)
        assert c.sh("test -c /dev/ttyS1 && echo yes") == (0, "yes\n")
        fd = os.open(pts, os.O_RDWR | os.O_NOCTTY)
        try:
            # kept in the line's ring until the line sees its client
            c.sh("echo hot-plugged > /dev/ttyS1")
            read_until(fd, rb"hot-plugged")
        finally:
            os.close(fd)
        st, out = _mconsole(umid, "config", "ssl1")
        assert st == 0 and "pty:" + pts in out, out
        # getty holds ttyS0 open: it cannot go
        st, out = _mconsole(umid, "remove", "ssl0")
        assert st != 0 and "in use" in out, out
        st, out = _mconsole(umid, "remove", "ssl1")
        assert st == 0, out
        assert c.sh("test -e /dev/ttyS1 || echo gone") == (0, "gone\n")
        st, out = _mconsole(umid, "config", "ssl2=bogus")
        assert st != 0 and "unknown channel" in out, out
        st, out = _mconsole(umid, "config", "con1=null")
        assert st == 0, out
        assert c.sh("echo x > /dev/tty1 && echo written") == \
            (0, "written\n")
        poweroff(c)
    finally:
        shutil.rmtree(udir, ignore_errors=True)


def test_closed_stdin_is_not_taken_by_another_file():
    # a closed fd 0 must not become con0's input by reuse (the memory file)
    img = umltest.copy_image()
    p = spawn([LINUX, "ubd0=" + img, "mem=128M"], stdin=subprocess.DEVNULL,
              preexec_fn=lambda: os.close(0))
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 0, out[-2000:]
    assert b"\0" not in out and b"Power down" in out, out[-2000:]
