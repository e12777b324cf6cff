# SPDX-License-Identifier: GPL-2.0
"""Kernel interfaces a distribution kernel has and LTP expects: Landlock
and the LSM list, BSD process accounting, perf software counters,
userfaultfd (missing, kernel-access and shmem minor modes).

Each test boots ./linux and runs a guest check program from
rootfs/tests/ (uml-landlock.c, uml-acct.c, uml-perf.c, uml-uffd.c),
checking its output and status from the host; where it makes sense the
same program, built for the host, runs on the host too and the two
answers are compared.
"""
import os
import re

import umltest
from umltest import TOP, boot_shell


def host_program(name):
    """rootfs/tests/NAME.c built static for the host, in a scratch dir."""
    exe = os.path.join(umltest.tmpdir(), name)
    st, out = umltest.run(["gcc", "-static", "-O2", "-Wall", "-pthread",
                           "-o", exe,
                           os.path.join(TOP, "rootfs", "tests", name + ".c")])
    assert st == 0, out
    return exe


def guest_run(cmd, timeout=60):
    """Boot, run CMD, power off (which must exit 0); (status, output)."""
    c = boot_shell("mem=128M")
    st, out = c.sh(cmd, timeout=timeout)
    assert c.poweroff() == 0
    return st, out


def test_landlock_confines_a_program_to_a_directory():
    st, out = guest_run("mkdir -p /root/ll && cat /sys/kernel/security/lsm"
                        " && echo && uml-landlock /root/ll")
    assert st == 0, out
    # the LSM list LTP reads, with Landlock on it
    m = re.search(r"^lsm: (\S+)", out, re.M)
    assert m and "landlock" in m.group(1).split(","), out
    m = re.search(r"landlock: ok \(abi (\d+)\)", out)
    # 6.12: ABI 6 (scoped signals and abstract sockets)
    assert m and int(m.group(1)) >= 6, out
    # the same program on the host, whose kernel may know a later ABI
    d = umltest.tmpdir()
    hst, hout = umltest.run([host_program("uml-landlock"), d])
    if "no Landlock" not in hout:
        assert hst == 0 and "landlock: ok" in hout, hout


def test_process_accounting_records_the_command():
    # a busybox applet (comm is the link's name), then a program that
    # exits with status 2 (the record's exit code must say so)
    st, out = guest_run("uml-acct /root/pacct /bin/true && "
                        "uml-acct /root/pacct /usr/bin/uml-acct")
    assert st == 0, out
    assert "acct: ok" in out and "comm true" in out, out
    assert "comm uml-acct" in out, out


def test_perf_software_counters_count_and_hardware_is_refused():
    st, out = guest_run("uml-perf 1000 && uml-perf 3000")
    assert st == 0, out
    faults = [int(f) for f in re.findall(r"perf: ok \(faults (\d+),", out)]
    assert len(faults) == 2, out
    assert 1000 <= faults[0] <= 1064 and 3000 <= faults[1] <= 3064, out
    # no PMU in the kernel process: ENOENT, as x86_64 without one says
    assert "perf: cycles: No such file or directory" in out, out
    # the host counts the same loop the same way
    hst, hout = umltest.run([host_program("uml-perf"), "1000"])
    assert hst == 0 and "perf: ok (faults 10" in hout, hout


def test_userfaultfd_every_mode():
    modes = ("missing", "kernel", "minor", "wp", "wp-shmem")
    st, out = guest_run("uml-uffd " + " ".join(modes))
    for mode in modes:
        assert "uffd: %s: ok" % mode in out, out
    assert st == 0, out
    # the same program on the host, for comparison (a host kernel without
    # write-protect says "not supported" there, not here)
    hst, hout = umltest.run([host_program("uml-uffd")] + list(modes),
                            timeout=60)
    assert hst == 0 and "FAILED" not in hout, hout
