# SPDX-License-Identifier: GPL-2.0
"""Memory management of guest address spaces: page tables, memory pressure.

Each test boots ./linux to the busybox shell, works the guest's memory
through the console and checks what /proc/meminfo and the kernel log say.
"""
import re

import umltest
from umltest import boot_shell

# what the kernel prints when one of its own checks fires
KERNEL_COMPLAINTS = re.compile(
    r"WARNING:|BUG[: ]|Bad page|Oops|kernel BUG|possible circular locking|"
    r"possible recursive locking|inconsistent lock state|lockdep|"
    r"sleeping function called from invalid context|list_(add|del) corruption|"
    r"------------\[ cut here \]")


def complaints(text):
    return [line for line in text.splitlines() if KERNEL_COMPLAINTS.search(line)]


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
