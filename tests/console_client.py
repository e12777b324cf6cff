#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Terminal clients driven by pexpect, for tests/test_console.py.

Debian's pexpect is seen only by /usr/bin/python3, so test_console.py runs
this file with it:
  console_client.py pty /dev/pts/N      log in through a pty with microcom
                                        (busybox), run a command, log out,
                                        log in again, leave (printing
                                        "WAIT hang-up"), then reconnect
                                        once a line comes on stdin
  console_client.py telnet PORT         two concurrent Linux telnet
                                        sessions on one port, each on its
                                        own line
Prints one "OK ..." line per step and exits 0, or fails with a traceback.
"""
import sys
import time

import pexpect

PROMPT = r"root@uml:[^\r\n]*# "


def login(p, prompted=False):
    if not prompted:
        p.expect("login: ")
    p.sendline("root")
    p.expect("Password: ")
    p.sendline("root")
    p.expect(PROMPT)


def microcom_login(path):
    """Attach microcom to the pty at @path and log in on it."""
    p = pexpect.spawn("busybox", ["microcom", path], timeout=20,
                      encoding="utf-8")
    p.send("\r")
    login(p)
    return p


def pty_client(path):
    p = microcom_login(path)
    p.sendline("echo $((6 * 7)) $(tty)")
    p.expect(r"42 /dev/ttyS0")
    print("OK logged in and ran a command")
    p.sendline("exit")
    login(p)
    print("OK logged in again after logout")
    # the client going away hangs the line up; a new client gets a login.
    # First prove the session's sleep runs (without job control it is in
    # the shell's process group, the one the hang-up signals).
    p.sendline("set +m; sleep 1000 & i=0; until ps | grep -q '[s]leep 1000'"
               " || [ $i -ge 200 ]; do i=$((i + 1)); done;"
               " echo running $(ps | grep -c '[s]leep 1000'); wait")
    p.expect(r"running (\d+)\r\n")
    assert p.match.group(1) == "1", p.match.group(1)
    p.terminate(force=True)
    # the line looks for its client every 500 ms (a pty's client leaving
    # raises no IRQ): a client attached sooner would find the old session.
    # The test sees the hang-up on the guest's console, then says "go".
    print("WAIT hang-up", flush=True)
    sys.stdin.readline()
    p = microcom_login(path)
    # "[s]leep" does not match the grep itself, which ps may or may not
    # list yet; the hung-up session's sleep got SIGHUP and is gone
    p.sendline("ps | grep -c '[s]leep 1000'")
    p.expect(r"\r\n(\d+)\r\n")
    assert p.match.group(1) == "0", p.match.group(1)
    print("OK hang-up ended the old session, new client logged in")
    p.sendline("exit")
    p.expect("login: ")
    p.terminate(force=True)


def telnet_client(port):
    sessions = []
    for _ in range(2):
        t = pexpect.spawn("telnet", ["127.0.0.1", port], timeout=20,
                          encoding="utf-8", dimensions=(33, 111))
        login(t)
        sessions.append(t)
    ttys = set()
    for t in sessions:
        t.sendline("tty; stty size")
        t.expect(r"(/dev/ttyS\d)\r\n(\d+) (\d+)")
        ttys.add(t.match.group(1))
        assert t.match.group(2, 3) == ("33", "111"), t.match.group(2, 3)
    assert ttys == {"/dev/ttyS0", "/dev/ttyS1"}, ttys
    print("OK two telnet sessions on", " ".join(sorted(ttys)))
    # a resize of the client's terminal reaches the guest (NAWS, SIGWINCH)
    t = sessions[1]
    t.sendline("sh -c 'trap \"echo winch; stty size; exit\" WINCH; "
               "echo ready; while :; do sleep 0.1; done'")
    t.expect("ready\r\n")      # the output, not the echoed command
    t.setwinsize(44, 99)
    t.expect(r"winch\r\n44 99\r\n")
    t.expect(PROMPT)
    print("OK window size change")
    # a third client finds no free line
    x = pexpect.spawn("telnet", ["127.0.0.1", port], timeout=20,
                      encoding="utf-8")
    x.expect("No free line")
    x.expect(pexpect.EOF)
    print("OK third client refused")
    sessions[0].sendline("exit")
    sessions[0].expect("login: ")
    sessions[0].terminate(force=True)
    # its line is free once the kernel saw the connection close: until
    # then a new client is refused, so try again (at most 10 s)
    for _ in range(100):
        t = pexpect.spawn("telnet", ["127.0.0.1", port], timeout=20,
                          encoding="utf-8")
        if t.expect(["login: ", "No free line"]) == 0:
            break
        t.expect(pexpect.EOF)
        time.sleep(0.1)
    else:
        raise AssertionError("the closed session's line never came free")
    login(t, prompted=True)
    print("OK a new connection logs in again")
    for t in sessions[1:] + [t]:
        t.terminate(force=True)


if __name__ == "__main__":
    {"pty": pty_client, "telnet": telnet_client}[sys.argv[1]](sys.argv[2])
