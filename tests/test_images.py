# SPDX-License-Identifier: GPL-2.0
"""What both images give a program: the loopback interface up, /dev/fd and
/dev/stdin, /dev/stdout, /dev/stderr, console programs with SIGINT and
SIGQUIT at their defaults (rootfs/init starts the shell through sigdfl);
and the distro image's /etc/services (netbase).
"""
import os

import umltest
from umltest import TOP

DISTRO_IMG = os.path.join(TOP, "build/distro.img")

# checks run in either image's shell (busybox applets in both)
ENV_CHECKS = [
    # lo is up with 127.0.0.1, and a server can bind and serve there
    ("ip addr show lo", ["LOOPBACK,UP", "inet 127.0.0.1/8"]),
    ("(echo served | nc -l -p 5555 127.0.0.1 &) ; "
     "i=0; while [ $i -lt 100 ] && ! netstat -ltn | grep -q :5555; do "
     "sleep 0.1; i=$((i+1)); done; nc 127.0.0.1 5555 </dev/null", ["served"]),
    ("for f in fd stdin stdout stderr; do readlink /dev/$f; done",
     ["/proc/self/fd\n/proc/self/fd/0\n/proc/self/fd/1\n/proc/self/fd/2"]),
    ("echo to-stderr >/dev/stderr; echo to-stdout >/dev/stdout; "
     "echo piped | cat /dev/stdin; ls /dev/fd/ | grep -c .",
     ["to-stderr", "to-stdout", "piped"]),
]


def sigignored(c, pid="$$"):
    """The shell's (or PID's) ignored-signal mask, as an integer."""
    st, out = c.sh("grep SigIgn /proc/%s/status" % pid)
    assert st == 0, out
    return int(out.split()[1], 16)


def check_environment(c):
    for cmd, wants in ENV_CHECKS:
        st, out = c.sh(cmd, timeout=30)
        assert st == 0, (cmd, out)
        for w in wants:
            assert w in out, (cmd, w, out)
    # what the console shell runs has SIGINT (2) and SIGQUIT (3) at their
    # defaults (an interactive shell ignores SIGQUIT itself, and catches
    # SIGINT, so only that one is checked in the shell)
    mask = sigignored(c, "self")
    assert not mask & (1 << 1) and not mask & (1 << 2), hex(mask)
    assert not sigignored(c, "$$") & (1 << 1)


def test_default_image_environment():
    c = umltest.boot_shell()
    check_environment(c)
    assert c.poweroff() == 0


def boot_distro():
    assert os.path.exists(DISTRO_IMG), "no build/distro.img (make distro)"
    return umltest.boot(image=DISTRO_IMG, copy=False, readonly=True)


def test_distro_image_environment_and_services():
    c = boot_distro()
    check_environment(c)
    st, out = c.sh("ls -l /usr/bin/sigdfl; grep -E '^(http|ssh)\\s' /etc/services")
    assert st == 0 and "80/tcp" in out and "22/tcp" in out, out
    st, out = c.sh("python3 -c 'import socket; "
                   "print(socket.getservbyname(\"http\", \"tcp\"), "
                   "socket.getprotobyname(\"udp\"))'", timeout=60)
    assert st == 0 and "80 17" in out.splitlines(), out
    assert c.poweroff() == 0
