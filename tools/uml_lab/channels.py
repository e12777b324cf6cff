# SPDX-License-Identifier: GPL-2.0
"""Talking to a running lab VM: its management console, the command server
on its second serial line (for exec), and its console (for connect)."""
import base64
import errno
import fcntl
import os
import select
import signal
import socket
import struct
import sys
import termios
import time
import tty

MCONSOLE_MAGIC = 0xcafebabe
MCONSOLE_VERSION = 2
MCONSOLE_MAX_DATA = 512


class ChannelError(Exception):
    pass


class MachineGone(ChannelError):
    """The VM's command channel closed before the command's answer: the
    machine halted at once (halt -f), or its kernel died."""


def mconsole(sock_path, command, timeout=5.0):
    """One mconsole request; returns (ok, text)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    try:
        # an abstract address the host picks (autobind): unique even for
        # the threads of one lstart asking many VMs at once
        s.bind("")
        data = command.encode()[:MCONSOLE_MAX_DATA - 1]
        req = struct.pack("=III", MCONSOLE_MAGIC, MCONSOLE_VERSION,
                          len(data)) + data.ljust(MCONSOLE_MAX_DATA, b"\0")
        try:
            s.sendto(req, sock_path)
        except OSError as e:
            raise ChannelError("mconsole %s: %s" % (sock_path, e.strerror))
        text, ok = b"", True
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                raise ChannelError("mconsole %s: no answer" % sock_path)
            rep = s.recv(12 + MCONSOLE_MAX_DATA)
            err, more, n = struct.unpack("=III", rep[:12])
            text += rep[12:12 + n].rstrip(b"\0")
            ok = ok and err == 0
            if not more:
                return ok, text.decode(errors="replace")
    finally:
        s.close()


def _open_pty(path):
    try:
        fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError as e:
        raise ChannelError("cannot open %s: %s" % (path, e.strerror))
    try:
        attrs = termios.tcgetattr(fd)
        tty.setraw(fd)
    except termios.error:
        attrs = None
    return fd, attrs


class Agent:
    """The command server of a VM (rootfs/usr/lib/uml-lab/guest) on the
    host pty PATH.  One client at a time: LOCK is a file flock()ed while
    talking."""

    def __init__(self, pty_path, lock_path):
        self.pty = pty_path
        self.lock_path = lock_path
        self.buf = b""

    def _lines(self, fd, deadline, hangup_after=None):
        """Lines from FD until DEADLINE.  A read error EIO means no guest
        side on the pty (yet, or any more): with HANGUP_AFTER set, EIO
        lasting that many seconds means the VM went away (it halted or
        its kernel died while a command ran) and raises ChannelError."""
        eio_since = None
        while True:
            nl = self.buf.find(b"\n")
            if nl >= 0:
                line, self.buf = self.buf[:nl], self.buf[nl + 1:]
                yield line.rstrip(b"\r").decode(errors="replace")
                continue
            left = deadline - time.monotonic() if deadline else None
            if left is not None and left <= 0:
                return
            r = select.select([fd], [], [], left)[0]
            if not r:
                return
            try:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise OSError(errno.EIO, "end of file")
            except OSError as e:
                if e.errno in (errno.EAGAIN, errno.EINTR):
                    continue
                if e.errno == errno.EIO:      # no guest side (yet)
                    now = time.monotonic()
                    eio_since = eio_since or now
                    if hangup_after is not None and \
                            now - eio_since >= hangup_after:
                        raise MachineGone("the machine went away before "
                                          "the command ended (it halted "
                                          "at once or its kernel died)")
                    time.sleep(0.05)
                    continue
                raise
            eio_since = None
            self.buf += chunk

    def _write(self, fd, data):
        while data:
            try:
                n = os.write(fd, data)
                data = data[n:]
            except BlockingIOError:
                select.select([], [fd], [], 1)

    def _ping(self, fd, deadline):
        tag = "p%d.%d" % (os.getpid(), int(time.monotonic() * 1000))
        while time.monotonic() < deadline:
            self._write(fd, ("PING %s\n" % tag).encode())
            for line in self._lines(fd, min(deadline,
                                            time.monotonic() + 0.5)):
                if line == "PONG " + tag:
                    return True
        return False

    def run(self, command, timeout=None, ready_timeout=10.0, background=False):
        """Run COMMAND (a shell command line) in the VM.
        Returns (status, stdout bytes, stderr bytes)."""
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            fd, attrs = _open_pty(self.pty)
            try:
                if not self._ping(fd, time.monotonic() + ready_timeout):
                    raise ChannelError("the VM's command server does not "
                                       "answer on %s" % self.pty)
                tag = "r%d.%d" % (os.getpid(), int(time.monotonic() * 1000))
                b64 = base64.b64encode(command.encode()).decode()
                verb = "BG" if background else "RUN"
                self._write(fd, ("%s %s %s\n" % (verb, tag, b64)).encode())
                out, err, cur = [], [], None
                deadline = time.monotonic() + timeout if timeout else None
                for line in self._lines(fd, deadline, hangup_after=2.0):
                    if line == "OUT " + tag:
                        cur = out
                    elif line == "ERR " + tag:
                        cur = err
                    elif line.startswith("END %s " % tag):
                        return (int(line.split()[2]),
                                base64.b64decode("".join(out)),
                                base64.b64decode("".join(err)))
                    elif cur is not None:
                        cur.append(line.strip())
                raise ChannelError("timed out after %ss" % timeout)
            finally:
                if attrs:
                    try:
                        termios.tcsetattr(fd, termios.TCSANOW, attrs)
                    except termios.error:
                        pass
                os.close(fd)

    def ready(self, timeout):
        """True once the command server answers (the machine is set up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with open(self.lock_path, "a") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)
                    fd, _ = _open_pty(self.pty)
                    try:
                        if self._ping(fd, min(deadline,
                                              time.monotonic() + 5)):
                            return True
                    finally:
                        os.close(fd)
            except (OSError, ChannelError):
                time.sleep(0.2)
        return False


def connect(pty_path, title):
    """Copy between this terminal and the VM's console pty until the user
    types Ctrl-] (or the VM ends)."""
    fd = os.open(pty_path, os.O_RDWR | os.O_NOCTTY)
    try:
        tty.setraw(fd)
    except termios.error:
        pass
    inp, out = sys.stdin.fileno(), sys.stdout.fileno()
    saved = None
    if os.isatty(inp):
        saved = termios.tcgetattr(inp)
        tty.setraw(inp)
    os.write(out, ("[uml-lab: console of %s, Ctrl-] leaves]\r\n"
                   % title).encode())
    os.write(fd, b"\n")          # a fresh prompt
    try:
        while True:
            r = select.select([inp, fd], [], [])[0]
            if fd in r:
                try:
                    data = os.read(fd, 65536)
                except OSError:
                    data = b""
                if not data:
                    break
                os.write(out, data)
            if inp in r:
                data = os.read(inp, 4096)
                if not data or b"\x1d" in data:
                    break
                os.write(fd, data)
    finally:
        if saved:
            termios.tcsetattr(inp, termios.TCSADRAIN, saved)
        os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
