# SPDX-License-Identifier: GPL-2.0
"""Timers and clocks seen by guest programs: how late sleeps wake up,
compared with the host's own sleeps measured in the same test, the timer
slack of prctl(PR_SET_TIMERSLACK), and the vDSO and the system call
agreeing on the time.

rootfs/tests/timer-check.c runs in the guest (from root.img) and, built
here with the host's gcc, on the host.
"""
import os
import re
import subprocess

import umltest
from umltest import TOP, boot_shell

# LTP's allowance for one sleep beyond the request and the timer slack
# (context switches): the guest may be this much later than the host
ALLOWANCE_US = 400


def host_timer_check(tmp_path, *args):
    exe = str(tmp_path / "timer-check")
    if not os.path.exists(exe):
        src = os.path.join(TOP, "rootfs", "tests", "timer-check.c")
        subprocess.run(["gcc", "-O2", "-Wall", "-o", exe, src], check=True)
    r = subprocess.run([exe] + list(args), capture_output=True, text=True,
                       timeout=120)
    return r.returncode, r.stdout


def overshoots(out):
    """{call: (mean us, median us, early)} from timer-check sleep."""
    return {m.group(1): tuple(int(m.group(i)) for i in (2, 3, 4))
            for m in re.finditer(
                r"^sleep: (\w+) mean (-?\d+) median (-?\d+) early (\d+)$",
                out, re.M)}


def test_sleeps_wake_up_about_as_late_as_on_the_host(tmp_path):
    c = boot_shell("mem=128M")
    st, gout = c.sh("timer-check sleep 200", timeout=120)
    assert st == 0, gout
    hst, hout = host_timer_check(tmp_path, "sleep", "200")
    assert hst == 0, hout
    guest, host = overshoots(gout), overshoots(hout)
    assert set(guest) == {"nanosleep", "poll", "select", "pselect"}, gout
    for call, (mean, median, early) in guest.items():
        hmedian = host[call][1]
        # never early, and late by about what the host itself is
        assert early == 0, gout
        assert median <= hmedian + ALLOWANCE_US, \
            "%s: guest %d us, host %d us late\n%s\n%s" % (
                call, median, hmedian, gout, hout)
    assert "slack: 50000" in gout, gout
    assert c.poweroff() == 0


def test_timer_slack_is_the_tasks():
    # prctl(PR_SET_TIMERSLACK): a 200 us slack lets sleeps end up to 200
    # us late, and PR_GET_TIMERSLACK reads it back
    c = boot_shell("mem=128M")
    st, out = c.sh("timer-check sleep 50 200000", timeout=60)
    assert st == 0 and "slack: 200000" in out, out
    median = overshoots(out)["nanosleep"][1]
    assert 100 <= median <= 200 + ALLOWANCE_US, out
    assert c.poweroff() == 0


def test_vdso_and_system_call_agree_on_the_time():
    c = boot_shell("mem=128M")
    st, out = c.sh("timer-check clocks", timeout=60)
    assert st == 0 and "clocks: ok" in out, out
    assert c.poweroff() == 0
