# SPDX-License-Identifier: GPL-2.0
"""uml_mconsole against a running reference kernel, beside the classic client.

Every remote command (version, help, halt, reboot, config, remove, sysrq,
cad, stop, go, log, proc, stack) and every local one (help, quit, switch,
mconsole-version, log -f, int) is run and its answer checked; where the
classic client completes, its answer must be the same as ours.  Error
cases (no such VM, stale socket, timeout, error answers, malformed
answers) are checked through their exit statuses.
"""
import os
import pty
import select
import signal
import socket
import struct
import subprocess
import threading
import time

import umltest
import tools_helpers as th
from tools_helpers import Guest, mconsole

REMOTE_COMMANDS = ["version", "help", "halt", "reboot", "config", "remove",
                   "sysrq", "cad", "stop", "go", "log", "proc", "stack"]


def booted(*args, **kw):
    th.need_tools()
    return Guest(*args, **kw).wait_ready()


def ok(umid, *cmd, **kw):
    st, out, err = mconsole(umid, *cmd, **kw)
    assert st == 0, "%s: status %s, out %r, err %r" % (cmd, st, out, err)
    assert out.startswith("OK "), (cmd, out)
    return out


def same_as_classic(umid, *cmd):
    """Ours and the classic client print the same for @cmd."""
    st, out, err = mconsole(umid, *cmd)
    cst, cout, cerr = mconsole(umid, *cmd, classic=True, timeout=10)
    assert cst is not None, "classic client hung on %s" % (cmd,)
    assert out == cout, "%s:\nours    %r\nclassic %r" % (cmd, out, cout)
    return st, out


def test_version_help_proc_same_as_classic():
    g = booted()
    st, out = same_as_classic(g.umid, "version")
    assert st == 0 and out.startswith("OK Linux "), out
    assert os.uname().machine in out, out

    st, out, _ = mconsole(g.umid, "help")
    cst, cout, _ = mconsole(g.umid, "help", classic=True, timeout=10)
    # the VM's own list is the same; the local commands' text is ours
    part = out.split("\nAdditional")[0]
    assert st == 0 and part == cout.split("\nAdditional")[0], (out, cout)
    for c in REMOTE_COMMANDS:
        assert "    %s" % c in out, (c, out)
    # our local help is listed after the VM's
    for c in ["quit", "switch", "mconsole-version", "log -f", "int"]:
        assert c in out, (c, out)

    out = ok(g.umid, "proc", "meminfo")
    assert out.startswith("OK \nMemTotal:"), out[:200]
    total = int(out.split("MemTotal:")[1].split()[0])
    assert 64 * 1024 < total <= 128 * 1024, total
    st, out = same_as_classic(g.umid, "proc", "version")
    assert out.startswith("OK \nLinux version"), out
    out = ok(g.umid, "proc", "sys/kernel/hostname")
    assert out.strip().endswith(g.sh("hostname").strip()), out

    st, out = same_as_classic(g.umid, "proc", "no/such/file")
    assert st == 1 and out == "ERR Failed to open file\n", out
    st, out = same_as_classic(g.umid, "frobnicate")
    assert st == 1 and out == "ERR Unknown command\n", out
    st, out = same_as_classic(g.umid, "mconsole-version")
    assert out == "uml_mconsole client version 2\n", out


def test_config_remove():
    g = booted()
    extra = os.path.join(umltest.tmpdir(), "extra.img")
    with open(extra, "wb") as f:
        f.truncate(4 << 20)

    st, out = same_as_classic(g.umid, "config", "ubd0")
    assert st == 0 and out == "OK %s\n" % g.img, out
    st, out = same_as_classic(g.umid, "config")
    assert st == 1 and out == "ERR Bad configuration option\n", out
    st, out = same_as_classic(g.umid, "config", "eth0")
    assert st == 1 and "ERR " in out, out

    # hot-plug a disk, see it in the guest, unplug it
    out = ok(g.umid, "config", "ubd1=" + extra)
    assert th.umltest.wait_for(lambda: "ubdb" in g.sh("cat /proc/partitions"),
                               10), g.sh("cat /proc/partitions")
    st, out = same_as_classic(g.umid, "config", "ubd1")
    assert out == "OK %s\n" % extra, out
    ok(g.umid, "remove", "ubd1")
    assert "ubdb" not in g.sh("cat /proc/partitions")
    st, out = same_as_classic(g.umid, "remove", "ubd1")
    assert out.startswith("ERR "), out
    st, out, _ = mconsole(g.umid, "remove", "ubd7")
    assert st == 1 and out.startswith("ERR "), out
    st, out = same_as_classic(g.umid, "remove", "nonsense")
    assert out.startswith("ERR "), out


def test_log_and_log_file():
    g = booted()
    tag = th.unique("logtag")
    out = ok(g.umid, "log", tag + "-ours")
    assert out == "OK \n", out
    st, out, err = mconsole(g.umid, "log", tag + "-classic", classic=True,
                            timeout=10)
    assert st == 0, (st, out, err)
    lines = os.path.join(umltest.tmpdir(), "lines")
    with open(lines, "w") as f:
        f.write("%s-file-one\n%s-file-two\n" % (tag, tag))
    st, out, err = mconsole(g.umid, "log", "-f", lines)
    assert st == 0 and out == "OK \nOK \n", (st, out, err)
    dmesg = g.sh("dmesg | grep %s" % tag)
    assert tag + "-ours" in dmesg, dmesg
    assert tag + "-file-one" in dmesg and tag + "-file-two" in dmesg, dmesg
    st, out, err = mconsole(g.umid, "log", "-f", lines + ".missing")
    assert st == 2 and "No such file" in err, (st, err)


def test_sysrq_and_stack():
    g = booted()
    # sysrq output comes in many parts with 'more' set; ours must get all
    out = ok(g.umid, "sysrq", "m")
    assert "Show Memory" in out and "pages RAM" in out, out[-500:]
    out = ok(g.umid, "sysrq", "h")
    assert "HELP" in out or "help" in out, out
    out = ok(g.umid, "stack", "1")
    assert "Call Trace" in out or "Stack" in out, out
    st, out = same_as_classic(g.umid, "stack")
    assert st == 1 and out == "ERR Please specify a pid\n", out
    st, out = same_as_classic(g.umid, "stack", "99999")
    assert st == 1 and out == "ERR Couldn't find that pid\n", out
    # the classic client loses the end of a long answer (its socket queue
    # overflows, see docs/tools.md); when it does finish, the first line
    # must agree with ours
    cst, cout, _ = mconsole(g.umid, "sysrq", "m", classic=True, timeout=5)
    if cst is not None:
        assert cout.splitlines()[0] == out.splitlines()[0] or \
            "Show Memory" in cout, cout


def test_stop_go():
    g = booted()
    st, out = same_as_classic(g.umid, "go")
    assert st == 1 and out == "ERR Not stopped\n", out
    assert ok(g.umid, "stop") == "OK stopped\n"
    start = len(g.output())
    g.type("echo st$((20+3))op")
    # the point: 1.5 s of a stopped machine (ended early if it answers)
    umltest.wait_for(lambda: "st23op" in g.output()[start:], 1.5)
    assert "st23op" not in g.output()[start:], "guest ran while stopped"
    # a stopped kernel still answers the console
    assert "MemTotal" in ok(g.umid, "proc", "meminfo")
    st, out, _ = mconsole(g.umid, "stop")
    assert st == 1 and out == "ERR Already stopped\n", out
    assert ok(g.umid, "go") == "OK \n"
    g.wait_output("st23op", 10, start)
    # and with the classic client, the same
    st, out, _ = mconsole(g.umid, "stop", classic=True, timeout=10)
    assert st == 0 and out == "OK stopped\n", out
    st, out, _ = mconsole(g.umid, "go", classic=True, timeout=10)
    assert st == 0 and out == "OK \n", out
    assert "ok" in g.sh("echo ok")


def test_timeout_on_hung_vm():
    g = booted()
    pid = int(open(os.path.join(th.uml_dir(g.umid), "pid")).read())
    os.kill(pid, signal.SIGSTOP)
    try:
        t0 = time.monotonic()
        st, out, err = mconsole(g.umid, "version", opts=["-t", "1"])
        assert st == 5 and "no answer" in err, (st, out, err)
        assert time.monotonic() - t0 < 5
        # its socket queue fills up: later clients cannot even send, and
        # still give up in time instead of blocking
        t0 = time.monotonic()
        ps = [umltest.spawn([th.MCONSOLE, "-t", "1", g.umid, "version"],
                            stderr=subprocess.PIPE) for _ in range(16)]
        errs = []
        for p in ps:
            _, err = p.communicate(timeout=10)
            assert p.returncode == 5, (p.returncode, err)
            errs.append(err.decode())
        assert time.monotonic() - t0 < 8
        assert any("takes no requests" in e for e in errs), errs
    finally:
        os.kill(pid, signal.SIGCONT)
    # once it runs again it answers again
    assert ok(g.umid, "version").startswith("OK Linux")


def _live_in_group(pgid):
    """Processes of process group @pgid that are not zombies."""
    return [pid for pid, f in umltest.host_procs()
            if int(f[2]) == pgid and f[0] != "Z"]


def test_stale_socket_of_killed_vm():
    g = booted()
    pid = int(open(os.path.join(th.uml_dir(g.umid), "pid")).read())
    os.killpg(g.proc.pid, signal.SIGKILL)
    g.proc.wait(10)
    # the kernel's helper processes share its descriptors: the socket is
    # only dead once they are gone too
    assert umltest.wait_for(lambda: not _live_in_group(g.proc.pid), 10)
    # SIGKILL leaves the socket behind
    assert os.path.exists(os.path.join(th.uml_dir(g.umid), "mconsole"))
    st, out, err = mconsole(g.umid, "version")
    assert st == 4, (st, out, err)
    assert "stale socket" in err and "pid %d is gone" % pid in err, err
    cst, cout, cerr = mconsole(g.umid, "version", classic=True, timeout=10)
    assert cst != 0 and "Connection refused" in cerr + cout, (cst, cerr)


def test_halt():
    g = booted()
    h = booted()
    assert ok(g.umid, "halt") == "OK \n"
    st, out, _ = mconsole(h.umid, "halt", classic=True, timeout=10)
    assert (st, out) == (0, "OK \n"), (st, out)
    assert g.wait_exit(20) == 0
    assert h.wait_exit(20) == 0
    # the kernel removes its socket directory on the way out
    assert not os.path.exists(th.uml_dir(g.umid))
    st, out, err = mconsole(g.umid, "version")
    assert st == 3 and "no such VM" in err, (st, out, err)


def test_reboot():
    g = booted()
    start = len(g.output())
    assert ok(g.umid, "reboot") == "OK \n"
    # the kernel starts over: a second boot banner, then a shell again
    g.wait_output("Linux version", 30, start)
    g.wait_ready(60)
    assert ok(g.umid, "version").startswith("OK Linux")
    # the classic client says the same, and the machine reboots again
    start = len(g.output())
    st, out, _ = mconsole(g.umid, "reboot", classic=True, timeout=10)
    assert (st, out) == (0, "OK \n"), (st, out)
    g.wait_output("Linux version", 30, start)


def test_cad():
    g = booted()
    start = len(g.output())
    same = mconsole(g.umid, "cad")
    assert same[0] == 0 and same[1] == "OK \n", same
    # ctrl-alt-del with the default C_A_D=1 restarts the machine, which
    # comes back to its shell (a boot on a loaded host can take a while)
    g.wait_output("Restarting system", 60, start)
    g.wait_ready(120)


def test_int():
    g = booted()
    st, out, err = mconsole(g.umid, "int")
    assert (st, out) == (0, ""), (st, out, err)
    # SIGINT to the kernel process ends the VM
    g.wait_exit(20)


def test_errors_and_exit_status():
    th.need_tools()
    d = umltest.tmpdir()
    # no such VM, by name and by path
    st, out, err = mconsole(th.unique("nosuchvm"), "version")
    assert st == 3 and "no such VM" in err, (st, err)
    st, out, err = mconsole(os.path.join(d, "nope"), "version")
    assert st == 3 and "no such VM" in err, (st, err)

    # a stale socket: the file is there, nobody listens
    stale = os.path.join(d, "stale")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(stale)
    s.close()
    st, out, err = mconsole(stale, "version")
    assert st == 4 and "not running" in err, (st, err)

    # a server that never answers: timeout, not a hang
    mute = os.path.join(d, "mute")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    srv.bind(mute)
    t0 = time.monotonic()
    st, out, err = mconsole(mute, "version", opts=["-t", "1"], timeout=10)
    assert st == 5 and "no answer" in err, (st, err)
    assert time.monotonic() - t0 < 5
    # the request it got is a classic version 2 request
    req = srv.recv(1024)
    magic, version, n = struct.unpack("=III", req[:12])
    assert (magic, version, n) == (th.MCONSOLE_MAGIC, 2, 7), (magic, n)
    assert req[12:12 + n] == b"version" and len(req) == 524

    # usage errors
    st, out, err = mconsole(mute, "x" * 600, opts=["-t", "1"])
    assert st == 2 and "too long" in err, (st, err)
    st, _, err = th.run_tool([th.MCONSOLE, "-bogus", "vm", "version"])
    assert st == 2 and "-bogus" in err, (st, err)
    st, _, err = th.run_tool([th.MCONSOLE])
    assert st == 2 and "usage" in err, (st, err)
    st, _, err = mconsole(mute, "switch", "x")
    assert st == 2, (st, err)


def fake_vm(path, answer):
    """A datagram server that answers one request with @answer(packets)."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    srv.bind(path)

    def serve():
        srv.settimeout(10)
        try:
            _, peer = srv.recvfrom(1024)
            for pkt in answer:
                srv.sendto(pkt, peer)
        except OSError:
            pass
        srv.close()
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return t


def reply(text, err=0, more=0, nul=True, len_field=None):
    data = text.encode() + (b"\0" if nul else b"")
    n = len(data) if len_field is None else len_field
    return struct.pack("=III", err, more, n) + data


def test_protocol_edge_cases():
    th.need_tools()
    d = umltest.tmpdir()
    # a multi-part answer is joined in order
    p = os.path.join(d, "multi")
    fake_vm(p, [reply("one ", more=1), reply("two ", more=1),
                reply("three")])
    st, out, err = mconsole(p, "proc", "x", opts=["-t", "3"])
    assert (st, out) == (0, "OK one two three\n"), (st, out, err)
    # an error answer, with a negative errno as the classic kernels send
    p = os.path.join(d, "err")
    fake_vm(p, [reply("Device doesn't exist", err=(-19) & 0xffffffff)])
    st, out, err = mconsole(p, "remove", "ubd9", opts=["-t", "3"])
    assert (st, out) == (1, "ERR Device doesn't exist\n"), (st, out)
    # a runt packet is a protocol error, not a crash
    p = os.path.join(d, "runt")
    fake_vm(p, [b"\1\2\3"])
    st, out, err = mconsole(p, "version", opts=["-t", "3"])
    assert st == 6 and "malformed" in err, (st, err)
    # a length field beyond the packet is clipped to the packet
    p = os.path.join(d, "liar")
    fake_vm(p, [reply("short", len_field=400, nul=False)])
    st, out, err = mconsole(p, "version", opts=["-t", "3"])
    assert (st, out) == (0, "OK short\n"), (st, out, err)
    # an answer that stops half way: timeout with what came so far
    p = os.path.join(d, "half")
    fake_vm(p, [reply("part", more=1)])
    st, out, err = mconsole(p, "version", opts=["-t", "1"])
    assert st == 5 and out.startswith("OK part"), (st, out, err)
    assert "complete" in err, err


def test_interactive_pipe():
    g = booted()
    other = th.unique("other")
    script = ("version\n"
              "mconsole-version\n"
              "switch %s\n"
              "switch %s\n"
              "proc uptime\n"
              "help\n"
              "quit\n"
              "version\n") % (other, os.path.join(th.uml_dir(g.umid),
                                                  "mconsole"))
    st, out, err = th.run_tool([th.MCONSOLE, g.umid], timeout=30,
                               input=script.encode())
    assert st == 0, (st, out, err)
    lines = out.splitlines()
    assert lines[0].startswith("OK Linux"), out
    assert lines[1] == "uml_mconsole client version 2", out
    assert "no such VM '%s'" % other in err, err
    assert "Switched to" in out, out
    assert "Additional local commands" in out
    # nothing after quit ran
    assert out.count("OK Linux") == 1, out


def pty_session(umid, steps, timeout=30):
    """Type at an interactive prompt on a pseudo-terminal.  @steps is a
    list of (keys, expected): @keys are written once the prompt shows, then
    @expected (bytes, or None) must appear.  Returns all the terminal
    showed."""
    master, slave = pty.openpty()
    p = umltest.spawn([th.MCONSOLE, umid], stdin=slave, stdout=slave,
                      stderr=slave)
    os.close(slave)
    shown = b""
    end = time.monotonic() + timeout
    prompt = ("(%s) " % umid).encode()

    def read_until(text, start):
        nonlocal shown
        while shown.find(text, start) < 0:
            if time.monotonic() > end:
                raise AssertionError("waiting for %r; terminal shows: %r"
                                     % (text, shown))
            r, _, _ = select.select([master], [], [], 0.2)
            if r:
                try:
                    shown += os.read(master, 4096)
                except OSError:
                    raise AssertionError("terminal closed: %r" % shown)
        return shown.find(text, start) + len(text)

    pos = 0
    for keys, expected in steps:
        pos = read_until(prompt, pos)
        os.write(master, keys)
        if expected is not None:
            pos = read_until(expected, pos)
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        raise AssertionError("prompt did not quit: %r" % shown)
    while True:
        r, _, _ = select.select([master], [], [], 0.1)
        if not r:
            break
        try:
            shown += os.read(master, 4096)
        except OSError:
            break
    os.close(master)
    return shown.decode(errors="replace")


def test_interactive_line_editing():
    g = booted()
    up, left, right = b"\x1b[A", b"\x1b[D", b"\x1b[C"
    home, end = b"\x1b[H", b"\x1b[F"
    steps = [
        # "versoin", two steps left, ^T swaps: "version"
        (b"versoin" + left + left + b"\x14\r", b"OK Linux"),
        # Up recalls "version", ^U clears it; Home, insert, arrows, End
        (up + b"\x15" + b"rocmeminfo" + home + b"p" + right * 3 + b" " +
         end + b"\r", b"MemTotal"),
        # ^C abandons the line: the VM must not halt
        (b"halt now\x03", b"^C"),
        # ^W removes the word before the cursor
        (b"proc bogus\x17uptime\r", b"OK \r\n"),
        # Tab completes a unique command name; "st" is ambiguous: a second
        # Tab lists stack and stop; ^U drops the line
        (b"mcon\t\r", b"client version 2"),
        (b"st\t\t", b"stack  stop"),
        (b"\x15pro\tversion\r", b"Linux version"),
        # Up twice: back to "mconsole-version" through the history
        (up + up + b"\r", b"client version 2"),
        (b"\x04", None),
    ]
    shown = pty_session(g.umid, steps)
    assert shown.count("OK Linux") == 1, shown
    assert "Failed to open" not in shown, shown
    assert "Unknown command" not in shown, shown
    assert g.alive(), "the abandoned 'halt' was sent"
    assert "version" in ok(g.umid, "proc", "version")


def test_notify():
    th.need_tools()
    d = umltest.tmpdir()
    sock = os.path.join(d, "notify")
    listener = umltest.spawn([th.MCONSOLE, "-t", "60", "-c", "3",
                              "--notify", sock],
                             stderr=subprocess.PIPE)
    assert umltest.wait_for(lambda: os.path.exists(sock), 5)
    g = Guest(args=["mconsole=notify:" + sock]).wait_ready()
    g.sh("echo hello-from-guest > /proc/mconsole")
    # a crash through the console: the kernel announces its panic
    mconsole(g.umid, "sysrq", "c", opts=["-t", "2"], timeout=10)
    out, err = listener.communicate(timeout=20)
    lines = out.decode().splitlines()
    assert listener.returncode == 0, (out, err)
    assert lines[0] == "socket " + os.path.join(th.uml_dir(g.umid),
                                                "mconsole"), lines
    assert lines[1].startswith("user hello-from-guest"), lines
    assert lines[2].startswith("panic "), lines
    assert g.wait_exit(20) != 0
    assert not os.path.exists(sock)
