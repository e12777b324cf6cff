# SPDX-License-Identifier: GPL-2.0
"""Memory management of guest address spaces: page tables, memory pressure.

Each test boots ./linux to the busybox shell, works the guest's memory
through the console and checks what /proc/meminfo and the kernel log say.
"""
import os
import re

import umltest
from umltest import boot_shell

# what the kernel prints when one of its own checks fires
KERNEL_COMPLAINTS = re.compile(
    r"WARNING:|BUG[: ]|Bad page|Oops|kernel BUG|possible circular locking|"
    r"possible recursive locking|inconsistent lock state|lockdep|"
    r"sleeping function called from invalid context|list_(add|del) corruption|"
    r"------------\[ cut here \]")


# boot lines that name a check without reporting anything (SMP's tree RCU)
NOT_COMPLAINTS = re.compile(r"RCU lockdep checking is enabled")


def complaints(text):
    return [line for line in text.splitlines()
            if KERNEL_COMPLAINTS.search(line) and
            not NOT_COMPLAINTS.search(line)]


def meminfo_kb(c, field):
    st, out = c.sh("grep '^%s:' /proc/meminfo" % field)
    m = re.match(r"%s:\s+(\d+) kB" % field, out)
    assert st == 0 and m, out
    return int(m.group(1))


def test_page_tables_freed_after_fork_exec():
    """Tables freed while unmapping go back with their counter and type."""
    c = boot_shell("mem=128M")
    c.sh("for i in $(seq 20); do /bin/true; done")
    before = meminfo_kb(c, "PageTables")
    st, out = c.sh("for i in $(seq 300); do /bin/true; done; echo loop-ok",
                   timeout=120)
    assert out == "loop-ok\n", out
    after = meminfo_kb(c, "PageTables")
    # each exec used to leave ~50 kB of tables counted (15 MB here)
    assert after - before < 256, (before, after)
    assert after < 2048, after
    c.send("poweroff\n")
    assert c.wait() == 0
    assert not complaints(c.output()), complaints(c.output())


def _allowed(path):
    with open(path) as f:
        for line in f:
            if line.startswith("Cpus_allowed_list:"):
                return line.split()[1]
    return None


def _children(pid):
    return [k for k, f in umltest.host_procs() if int(f[1]) == pid]


def test_kernel_and_guests_on_one_host_cpu():
    """pin=on (default): the kernel thread and guest processes share a CPU."""
    if len(os.sched_getaffinity(0)) < 2:
        umltest.skip("one host CPU")
    for opt, pinned in (("pin=on", True), ("pin=off", False)):
        c = boot_shell(opt)
        st, out = c.sh("echo ok")
        assert (st, out) == (0, "ok\n")
        pid = c.p.pid
        main = _allowed("/proc/%d/task/%d/status" % (pid, pid))
        guests = [_allowed("/proc/%d/status" % k) for k in _children(pid)]
        assert guests, "no guest processes under %d" % pid
        if pinned:
            assert "," not in main and "-" not in main, main
            assert set(guests) == {main}, (main, guests)
        else:
            assert "," in main or "-" in main, main
        c.send("poweroff\n")
        assert c.wait() == 0


def test_two_pinned_vms_take_different_host_cpus():
    """Two VMs started from one shell (one UML_DIR) are pinned to two host
    CPUs, not both to the CPU the shell ran on (docs/user-mode.md)."""
    if len(os.sched_getaffinity(0)) < 2:
        umltest.skip("one host CPU")
    d = umltest.tmpdir()
    vms = [boot_shell("uml_dir=" + d) for _ in range(2)]
    cpus = []
    for c in vms:
        st, out = c.sh("echo ok")      # a guest ran: the kernel is pinned
        assert (st, out) == (0, "ok\n")
        pid = c.p.pid
        cpus.append(_allowed("/proc/%d/task/%d/status" % (pid, pid)))
    for c in vms:
        c.send("poweroff\n")
        assert c.wait() == 0
    assert all("," not in a and "-" not in a for a in cpus), cpus
    assert cpus[0] != cpus[1], cpus
