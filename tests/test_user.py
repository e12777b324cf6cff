# SPDX-License-Identifier: GPL-2.0
"""User mode: guest processes under ptrace, driven through the console.

Each test boots ./linux on a private copy of root.img to the busybox
shell, runs commands and guest test programs (rootfs/tests/) there, and
checks the output, the exit status and the disk afterwards.
"""
import os
import pty
import re
import select
import subprocess
import time

import umltest
from umltest import LINUX, boot_shell


def debugfs_cat(img, path):
    return subprocess.run(["debugfs", "-R", "cat " + path, img],
                          capture_output=True, text=True).stdout


def test_shell_runs_commands():
    c = boot_shell()
    assert c.sh("uname -m") == (0, "x86_64\n")
    st, out = c.sh("uname -r")
    assert st == 0 and out.startswith("6.12"), out
    assert c.sh("echo $((6 * 7))") == (0, "42\n")
    st, out = c.sh("ls /proc | grep -c '^[0-9]'")
    assert st == 0 and int(out) >= 2, out
    st, out = c.sh("false")
    assert st == 1
    st, out = c.sh("cat /proc/meminfo | head -1")
    assert re.match(r"MemTotal:\s+2\d{5} kB", out), out
    c.send("poweroff\n")
    assert c.wait() == 0


def test_guest_poweroff_keeps_data_on_disk():
    c = boot_shell()
    assert c.sh("echo persistent-data > /root/kept && sync && cat /root/kept") \
        == (0, "persistent-data\n")
    c.send("poweroff\n")
    assert c.wait() == 0
    assert "reboot: Power down" in c.output()
    assert debugfs_cat(c.img, "/root/kept") == "persistent-data\n"
    # the file system was unmounted cleanly: fsck finds nothing to do
    r = subprocess.run(["e2fsck", "-fn", c.img], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_guest_halt_exits_zero():
    c = boot_shell()
    c.send("halt\n")
    assert c.wait() == 0
    assert "System halted" in c.output()


def test_guest_reboot_starts_again():
    c = boot_shell()
    c.send("reboot\n")
    c.expect(r"reboot: Restarting system", 30)
    c.expect(r"Linux version 6\.12", 30)
    c.expect(umltest.Console.PROMPT, 60)
    c.send("poweroff\n")
    assert c.wait() == 0


def test_selftest_faults_signals_memory_fork_threads_cow():
    c = boot_shell()
    st, out = c.sh("uml-selftest", timeout=120)
    assert st == 0, out
    for name in ("segv", "signals", "mem", "fork", "threads", "cow",
                 "vsyscall"):
        assert "OK %s\n" % name in out, out
    c.send("poweroff\n")
    assert c.wait() == 0


def test_crashing_program_does_not_hurt_the_kernel():
    c = boot_shell()
    st, out = c.sh("sh -c 'kill -SEGV $$'")
    assert st == 139, (st, out)
    st, out = c.sh("dd if=/dev/zero bs=1M count=32 2>/dev/null | md5sum")
    assert out.startswith("58f06dd588d8ffb3beb46ada6309436b"), out
    st, out = c.sh("for i in $(seq 100); do /bin/true; done; echo loop-ok")
    assert out == "loop-ok\n", out
    st, out = c.sh("sleep 5 & p=$!; sleep 1; kill $p; wait $p")
    assert st == 143, (st, out)
    c.send("poweroff\n")
    assert c.wait() == 0
    assert "Oops" not in c.output()


def test_pipes_files_and_tmpfs():
    c = boot_shell()
    st, out = c.sh("mount -t tmpfs none /tmp && seq 1 20000 > /tmp/n && "
                   "sort -rn /tmp/n | head -1 && wc -l < /tmp/n")
    assert (st, out) == (0, "20000\n20000\n"), out
    st, out = c.sh("cat /etc/passwd | grep -c root")
    assert st == 0 and int(out) >= 1
    c.send("poweroff\n")
    assert c.wait() == 0


def test_ctrl_c_on_a_terminal_interrupts_the_guest_program():
    img = umltest.copy_image()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(LINUX, [LINUX, "ubd0=" + img, "mem=128M"])
    out = b""

    def read_until(pat, timeout=30):
        nonlocal out
        end = time.monotonic() + timeout
        while not re.search(pat, out):
            assert time.monotonic() < end, out.decode(errors="replace")[-2000:]
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    out += os.read(fd, 4096)
                except OSError:
                    break
        return out

    try:
        read_until(rb"root@uml:[^\n]*# ")
        # a busy guest program: the interrupt has to preempt it
        os.write(fd, b"sh -c 'echo loop\"\"ing; while :; do :; done'\r")
        read_until(rb"looping")
        os.write(fd, b"\x03")           # raw terminal: Ctrl-C goes to the guest
        # typed after the Ctrl-C, read by the shell once the loop is gone
        os.write(fd, b"echo after-loop-$?\r")
        read_until(rb"after-loop-130")
        os.write(fd, b"poweroff\r")
        read_until(rb"Power down")
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
        os.close(fd)
