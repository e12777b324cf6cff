# SPDX-License-Identifier: GPL-2.0
"""More than one virtual CPU (ncpus=N, docs/smp.md).

Each test boots ./linux and checks from the outside: the option's checks
before boot, what the guest sees of its CPUs (nproc, /proc/cpuinfo,
/proc/stat, sysfs), CPU hot-plug from the guest, the host threads of the
kernel process, and an idle SMP machine using no host CPU.
"""
import os
import time

from umltest import LINUX, boot_shell, run
from test_boot import _bad
from test_mm import complaints

TIMEOUT = 300

def test_bad_ncpus_stops_before_boot():
    _bad("ncpus=0", "at least one")
    _bad("ncpus=abc", "not a number")
    _bad("ncpus=", "not a number")
    _bad("ncpus=2x", "not a number")
    _bad("ncpus=-1", "not a number")
    _bad("ncpus=65", "NR_CPUS")
    _bad("ncpus=99999999999999999999", "NR_CPUS")


def test_help_lists_ncpus():
    status, out = run([LINUX, "--help"], timeout=30)
    assert status == 0 and "ncpus=N" in out, out


def _cpus_seen(c):
    st, nproc = c.sh("nproc --all")
    assert st == 0, nproc
    st, records = c.sh("grep -c '^processor' /proc/cpuinfo")
    assert st == 0, records
    st, stat = c.sh("grep -c '^cpu[0-9]' /proc/stat")
    assert st == 0, stat
    st, online = c.sh("cat /sys/devices/system/cpu/online")
    assert st == 0, online
    return int(nproc), int(records), int(stat), online.strip()


def test_default_is_one_cpu():
    c = boot_shell()
    assert _cpus_seen(c) == (1, 1, 1, "0")
    st, out = c.sh("grep '^processor' /proc/cpuinfo")
    assert out == "processor\t: 0\n", out
    assert c.poweroff() == 0
    assert not complaints(c.output()), complaints(c.output())


def _host_threads(pid):
    return sorted(int(t) for t in os.listdir("/proc/%d/task" % pid))


def test_two_cpus_boot_and_show():
    c = boot_shell("ncpus=2")
    assert _cpus_seen(c) == (2, 2, 2, "0-1")
    st, out = c.sh("grep '^processor' /proc/cpuinfo")
    assert out == "processor\t: 0\nprocessor\t: 1\n", out
    # the scheduler runs kernel threads on CPU 1: its per-CPU threads exist
    st, out = c.sh("ls /proc/*/comm | wc -l; cat /proc/*/comm | "
                   "grep -c -e '/1$' -e '/1:'")
    assert st == 0 and int(out.split()[-1]) >= 2, out
    # CPU 1 took timer interrupts of its own (per-CPU clock event)
    st, out = c.sh("grep timer /proc/interrupts")
    nums = [int(x) for x in out.split()[1:3]]
    assert st == 0 and len(nums) == 2 and nums[1] > 0, out
    # one host thread per virtual CPU in the kernel process (and helpers)
    assert len(_host_threads(c.p.pid)) >= 2
    st, out = c.sh("echo guest-ok")
    assert out == "guest-ok\n", out
    # guest processes run on CPU 0 until tasks can be handed over between
    # the CPUs' tracer threads (docs/smp.md): what they may run on says so
    st, out = c.sh("nproc; grep Cpus_allowed_list /proc/self/status")
    assert out.split() == ["1", "Cpus_allowed_list:", "0"], out
    assert c.poweroff() == 0
    assert not complaints(c.output()), complaints(c.output())


def test_cpu_hotplug_off_and_on():
    c = boot_shell("ncpus=2")
    online = "/sys/devices/system/cpu/cpu1/online"
    for _ in range(3):
        st, out = c.sh("echo 0 > %s && cat %s" % (online, online))
        assert (st, out) == (0, "0\n"), out
        assert _cpus_seen(c)[1:] == (1, 1, "0")
        st, out = c.sh("echo 1 > %s && cat %s" % (online, online))
        assert (st, out) == (0, "1\n"), out
        assert _cpus_seen(c) == (2, 2, 2, "0-1")
    # the boot CPU stays: it has no online file to write
    st, out = c.sh("test -e /sys/devices/system/cpu/cpu0/online")
    assert st != 0
    assert c.poweroff() == 0
    assert not complaints(c.output()), complaints(c.output())


def test_four_cpus_idle_use_no_host_cpu():
    c = boot_shell("ncpus=4")
    assert _cpus_seen(c) == (4, 4, 4, "0-3")
    pid = c.p.pid
    time.sleep(1)

    def cpu():
        total = 0
        for t in _host_threads(pid):
            try:
                with open("/proc/%d/task/%d/stat" % (pid, t)) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    c0 = cpu()
    time.sleep(10)
    used = cpu() - c0
    assert c.poweroff() == 0
    assert used < 0.2, "idle ncpus=4 VM used %.2f s of CPU in 10 s" % used
    assert not complaints(c.output()), complaints(c.output())


def test_reclaim_on_cpu1_keeps_guest_memory():
    """Reclaim run by CPU 1 (kswapd bound there) unmaps pages of guest
    processes: the host mappings must go before the pages are reused.
    CPU 0 makes the change for it (docs/smp.md, "Host work on guest
    processes"); a guest program checks its memory all the while."""
    c = boot_shell("ncpus=2", "mem=96M")
    st, out = c.sh("for p in $(pidof kswapd0 kcompactd0); do "
                   "taskset -p 2 $p >/dev/null || exit 1; done; "
                   "grep Cpus_allowed_list /proc/$(pidof kswapd0)/status")
    assert st == 0 and out.split()[-1] == "1", out
    st, before = c.sh("grep -E '^pgsteal_kswapd ' /proc/vmstat")
    c.send("uml-memcheck 16 25 > /tmp/memcheck.out 2>&1 &\n")
    # page cache, then anonymous memory past what is left: kswapd reclaims
    for _ in range(3):
        st, out = c.sh("dd if=/dev/ubda of=/dev/null bs=1M 2>/dev/null; "
                       "uml-bench fault 1 >/dev/null; "
                       "ls -R / >/dev/null 2>&1; echo done", timeout=120)
        assert out.endswith("done\n"), out
    st, after = c.sh("grep -E '^pgsteal_kswapd ' /proc/vmstat")
    assert int(after.split()[1]) > int(before.split()[1]), (before, after)
    st, out = c.sh("wait; cat /tmp/memcheck.out", timeout=120)
    assert out.startswith("memcheck OK"), out
    assert c.poweroff() == 0
    text = c.output()
    assert "cannot update the host mappings" not in text, text[-3000:]
    assert not complaints(text), complaints(text)
