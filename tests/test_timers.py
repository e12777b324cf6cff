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
import time

import umltest
from umltest import TOP, boot_shell
from test_boot import _bad

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
    return {m.group(1): tuple(int(m.group(i)) for i in (2, 3, 5))
            for m in re.finditer(
                r"^sleep: (\w+) mean (-?\d+) median (-?\d+) p99 (-?\d+) "
                r"early (\d+)$", out, re.M)}


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


# how much later than the host's a guest sleep may end, at the median:
# today about 10 us (the ptrace round trips of the sleep's system call),
# 50 to 70 us before the host timer was set early (arch/um/kernel/time.c).
# A saturated host (load average many times its CPUs) delays the guest's
# two wake-ups (kernel thread, then guest process) far more than the
# host program's one: rounds are repeated until one is calm enough.
CLOSE_TO_HOST_US = 30


def sleep_gap(tmp_path, *args, rounds=5):
    """Guest minus host median overshoot of 1 ms sleeps with 1 ns of
    slack (the median over nanosleep, poll, select and pselect), the
    best of ROUNDS rounds of guest then host on a kernel booted with
    ARGS; (gap in us, what was measured)."""
    best, seen = None, []
    c = boot_shell("mem=128M", *args)
    for _ in range(rounds):
        st, gout = c.sh("timer-check sleep 300 1", timeout=120)
        assert st == 0, gout
        hst, hout = host_timer_check(tmp_path, "sleep", "300", "1")
        assert hst == 0, hout
        guest, host = overshoots(gout), overshoots(hout)
        gaps = sorted(guest[k][1] - host[k][1] for k in guest)
        assert len(gaps) == 4, gout
        gap = (gaps[1] + gaps[2]) / 2
        seen.append((gap, gout, hout))
        best = gap if best is None else min(best, gap)
        if best <= CLOSE_TO_HOST_US:
            break
    assert c.poweroff() == 0
    return best, seen


def test_sleeps_end_about_when_the_hosts_do(tmp_path):
    # LTP's nanosleep01, poll02, pselect01, select02 and prctl09 failed
    # "slept for too long": a guest sleep ended 40 to 60 us later than
    # the host's; now it is within CLOSE_TO_HOST_US of it
    gap, seen = sleep_gap(tmp_path)
    assert gap <= CLOSE_TO_HOST_US, "guest later by %d us\n%s" % (
        gap, "\n".join("%s\n%s" % (g, h) for _, g, h in seen))


def test_timer_advance_is_an_option():
    # a bad value is refused before boot, with the option named
    _bad("timer_advance=2000", "at most 1000 us")
    _bad("timer_advance=soon", "not a number of microseconds")
    # with no advance the kernel still sleeps correctly
    c = boot_shell("mem=128M", "timer_advance=0")
    st, out = c.sh("timer-check sleep 50 1", timeout=60)
    assert st == 0 and len(overshoots(out)) == 4, out
    assert c.poweroff() == 0


def test_successive_readings_of_every_clock_never_go_back():
    # LTP's clock_gettime04 reads CLOCK_REALTIME, _COARSE, CLOCK_MONOTONIC,
    # _COARSE, _RAW and CLOCK_BOOTTIME through the vDSO and the system call
    # (and gettimeofday both ways) in turn: no reading may come before the
    # one just taken, also after settimeofday moved the wall clock
    c = boot_shell("mem=128M")
    st, out = c.sh("timer-check successive 2000 && "
                   "timer-check successive 2000 3600 && date +%Y", timeout=120)
    assert st == 0, out
    assert out.count("successive: ok") == 2, out
    clocks = re.findall(r"^successive: (\w+) max \d+ over1ms \d+ back 0$",
                        out, re.M)
    assert len(clocks) == 12 and "BOOTTIME" in clocks, out
    # the wall clock was set back after the shift
    assert out.split()[-1] == str(time.gmtime().tm_year), out
    assert c.poweroff() == 0
