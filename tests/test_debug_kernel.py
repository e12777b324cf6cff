# SPDX-License-Identifier: GPL-2.0
"""The user-mode workloads on the debug kernel (./linux-debug, from
`make linux-debug`: defconfig plus arch/um/configs/debug-checks.config, with
DEBUG_VM, DEBUG_LIST, PROVE_LOCKING, DEBUG_ATOMIC_SLEEP and DEBUG_PAGEALLOC
on by default).

Each test boots it on a private copy of root.img, works the guest through
the console and then checks the whole console output for a report of the
kernel's own checks: a WARN, a BUG, "Bad page", a lockdep splat, a sleep in
atomic context, a list corruption.  Those are port bugs.
"""
import os

import umltest
from test_mm import complaints, meminfo_kb
from test_smp import thread_checks

# make check builds it beside the first tests (conftest.py): the debug kernel
NEEDS_BUILD = ("linux-debug",)

LINUX_DEBUG = os.path.join(umltest.TOP, "linux-debug")


def boot_debug(*args):
    assert os.access(LINUX_DEBUG, os.X_OK), \
        "no ./linux-debug (make linux-debug)"
    return umltest.boot(*args, kernel=LINUX_DEBUG, timeout=120)


def finish(c):
    c.send("poweroff\n")
    assert c.wait(120) == 0
    out = c.output()
    assert "Linux version" in out
    assert not complaints(out), "\n".join(complaints(out))


def test_debug_kernel_boot_shell_selftest():
    c = boot_debug("mem=128M")
    out = c.output()
    # the checks are really on: lockdep announced itself, debug_pagealloc on
    assert "Lock dependency validator" in out, out[-2000:]
    # the KUnit tests built into it (tests/test_kunit.py) stay off unless
    # the command line says kunit.enable=1
    assert "KTAP version" not in out, out[-2000:]
    st, out = c.sh("cat /proc/cmdline; uname -r")
    assert st == 0
    st, out = c.sh("uml-selftest", timeout=300)
    assert st == 0, out
    assert "OK threads\n" in out and "OK fork\n" in out, out
    finish(c)


def test_debug_kernel_fork_exec_loops():
    c = boot_debug("mem=128M")
    st, out = c.sh("for i in $(seq 100); do /bin/true; done; echo loop-ok",
                   timeout=300)
    assert out == "loop-ok\n", out
    st, out = c.sh("uml-bench fork 50 exec 50 pipe 500 futex 500",
                   timeout=300)
    assert st == 0 and out.count("bench ") == 4, out
    assert meminfo_kb(c, "PageTables") < 2048
    finish(c)


def test_debug_kernel_memory_pressure():
    """Page cache of the disk, then anonymous memory past what is free,
    then compaction: reclaim and page migration of buffer-head pages."""
    c = boot_debug("mem=96M")
    st, out = c.sh("dd if=/dev/ubda of=/dev/null bs=1M 2>/dev/null; "
                   "grep -E '^(Buffers|Cached):' /proc/meminfo")
    assert st == 0, out
    st, out = c.sh("uml-bench fault 2", timeout=300)
    assert st == 0 and "bench fault" in out, out
    st, out = c.sh("dd if=/dev/ubda of=/dev/null bs=1M 2>/dev/null; "
                   "echo 1 > /proc/sys/vm/compact_memory; "
                   "grep -E '^(pgsteal_file|pgmigrate_success) ' /proc/vmstat",
                   timeout=300)
    assert st == 0, out
    stat = dict(line.split() for line in out.splitlines())
    # the workload really reclaimed page cache and migrated pages
    assert int(stat["pgsteal_file"]) > 0, out
    assert int(stat["pgmigrate_success"]) > 0, out
    finish(c)


def test_debug_kernel_two_cpus():
    """ncpus=2 on the debug kernel (lockdep, DEBUG_ATOMIC_SLEEP and the
    SMP-only checks): the user-mode workloads, and CPU 1 taken offline and
    back, with no report from the checks (docs/smp.md)."""
    c = boot_debug("mem=128M", "ncpus=2")
    st, out = c.sh("cat /sys/devices/system/cpu/online")
    assert (st, out) == (0, "0-1\n"), out
    st, out = c.sh("uml-selftest", timeout=300)
    assert st == 0 and "OK threads\n" in out, out
    st, out = c.sh("uml-bench fork 50 exec 50 pipe 500 futex 500",
                   timeout=300)
    assert st == 0 and out.count("bench ") == 4, out
    # threads on both CPUs: hand-overs, futexes, signals, a tracer
    thread_checks(c, 4, 5000, 2, 20, timeout=300)
    online = "/sys/devices/system/cpu/cpu1/online"
    for v in ("0", "1", "0", "1"):
        st, out = c.sh("echo %s > %s && cat %s" % (v, online, online))
        assert (st, out) == (0, v + "\n"), out
    finish(c)
