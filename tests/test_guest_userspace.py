# SPDX-License-Identifier: GPL-2.0
"""Guest userspace: the vDSO, /proc, the features a distribution expects,
conformance bugs, and real programs from the distro image.

Each test boots ./linux and drives guest programs (rootfs/tests/uml-vdso.c,
uml-conform.c, uml-features.c) or the distro image's own binaries through
the console, checking their output and status from the host.
"""
import os
import re

import umltest
from umltest import TOP, boot_shell, wait_for

DISTRO_IMG = os.path.join(TOP, "build", "distro.img")


def host_time_is_tsc():
    """Whether this host's own clock reads the TSC, so the guest's can too:
    the host clocksource is tsc, or kvm-clock / Hyper-V's TSC page over an
    invariant TSC (the host kernel shows CPUID 0x80000007 EDX bit 8 as the
    flags constant_tsc and nonstop_tsc).  On any other host the kernel keeps
    the host-monotonic clocksource and the vDSO makes the system call."""
    d = "/sys/devices/system/clocksource/clocksource0/current_clocksource"
    with open(d) as f:
        cs = f.read().strip()
    if cs == "tsc":
        return True
    with open("/proc/cpuinfo") as f:
        m = re.search(r"^flags\s*:(.*)$", f.read(), re.M)
    flags = m.group(1).split() if m else []
    return (cs in ("kvm-clock", "hyperv_clocksource_tsc_page")
            and "constant_tsc" in flags and "nonstop_tsc" in flags)


GUEST_CS = "/sys/devices/system/clocksource/clocksource0/current_clocksource"


def wait_tsc(c):
    """Wait until the kernel has measured the TSC and made it its clock."""
    ok = wait_for(lambda: c.sh("cat " + GUEST_CS)[1].strip() == "tsc",
                  timeout=5, step=0.2)
    return ok


def test_vdso_clock_gettime_makes_no_system_call():
    c = boot_shell("mem=128M")
    if not host_time_is_tsc():
        # elsewhere: no TSC clocksource, every vDSO call is a system call
        st, out = c.sh("cat %s; uml-vdso check" % GUEST_CS)
        assert "host-monotonic" in out, out
        assert "vdso: ok (system call fallback)" in out, out
        assert c.poweroff() == 0
        return
    assert wait_tsc(c), c.output()[-2000:]
    assert re.search(r"clocksource: host TSC at [\d.]+ MHz \(host clock \S+\)",
                     c.output()), c.output()[-2000:]
    st, out = c.sh("uml-vdso check")
    assert st == 0 and "vdso: ok\n" in out, out
    m = re.search(r"clock_gettime: vdso ([\d.]+) ns, system call ([\d.]+) ns",
                  out)
    assert m and float(m.group(1)) < 1000, out
    st, out = c.sh("grep -E '\\[(vdso|vvar)\\]' /proc/self/maps")
    assert "[vdso]" in out and "[vvar]" in out, out
    # the vvar page is read-only to the guest, the vDSO read-execute
    assert re.search(r"r--p .*\[vvar\]", out), out
    assert re.search(r"r-xp .*\[vdso\]", out), out
    assert c.poweroff() == 0


def guest_check(cmd, ok, *args, timeout=60):
    """Boot (mem=128M, then ARGS) and run CMD, which must exit 0 and print
    OK; then power off, which must exit 0.  Returns the console output from
    before the poweroff."""
    c = boot_shell("mem=128M", *args)
    st, out = c.sh(cmd, timeout=timeout)
    assert st == 0 and ok in out, out
    log = c.output()
    assert c.poweroff() == 0
    return log


def test_vdso_time_namespace():
    guest_check("uml-vdso timens", "timens: ok")


def test_vdso_falls_back_to_the_system_call():
    # a clocksource the vDSO cannot read: every call is a system call
    guest_check("sleep 0.5; uml-vdso check", "vdso: ok (system call fallback)",
                "clocksource=host-monotonic")


def test_conform_iouring_rings_map():
    guest_check("uml-conform iouring", "iouring: ok")


def test_conform_kernel_copy_grows_the_stack():
    log = guest_check("uml-conform stackgrow", "stackgrow: ok")
    assert "GUP no longer grows the stack" not in log


def test_conform_signal_stress_finishes():
    guest_check("time uml-conform sigstress 16 2000", "sigstress: ok",
                timeout=90)


def test_conform_core_dump_of_a_killed_child():
    # LTP's kill11: SIGQUIT to a child that has not run yet, and to one
    # asleep, dumps core and the parent reaps it
    guest_check("uml-conform coredump", "coredump: ok", timeout=150)


def test_core_dump_of_a_sleeping_child_follows_core_pattern():
    # the same with core_pattern naming a directory of its own, on two
    # CPUs and with mem=1G as the LTP run had: the shell's sleeping child
    # is killed by SIGQUIT, the core appears where the pattern says and
    # the shell sees the signal (128 + 3).  Not in a subshell: without
    # job control a shell starts background commands with SIGINT and
    # SIGQUIT ignored (POSIX), and the kill would do nothing
    log = guest_check(
        "mkdir -p /root/cores && "
        "echo /root/cores/core.%e.%p > /proc/sys/kernel/core_pattern && "
        "ulimit -c unlimited; sleep 100 & p=$!; usleep 300000; "
        "kill -QUIT $p; wait $p; echo status=$? pid=$p; "
        "ls -l /root/cores/", "status=131", "ncpus=2", "mem=1G",
        timeout=60)
    pid = re.search(r"status=131 pid=(\d+)", log).group(1)
    m = re.search(r" (\d+) \w+ +\d+ [\d:]+ core\.sleep\.%s" % pid, log)
    assert m and int(m.group(1)) >= 4096, log


def test_conform_x86_controls_answer_as_x86_64():
    # ioperm/iopl check ranges and privilege (EINVAL, EPERM), there is no
    # CPUID faulting (ENODEV), ioprio classes and levels
    guest_check("uml-conform x86ctl", "x86ctl: ok")


def test_conform_tsc_mode_as_on_the_host():
    # PR_SET_TSC(PR_TSC_SIGSEGV) is accepted and PR_GET_TSC reports it; rdtsc
    # then faults (SIGSEGV) in the thread, a forked child and after exec
    # exactly where a host program's does: the same program on the host
    # says "faults", or "not enforced" where the hypervisor ignores the
    # CPU's TSC-disable bit.  Processes after it read the TSC again.
    exe = os.path.join(umltest.tmpdir(), "uml-conform")
    st, out = umltest.run(["gcc", "-static", "-O2", "-Wall", "-o", exe,
                           os.path.join(TOP, "rootfs/tests/uml-conform.c")])
    assert st == 0, out
    st, host = umltest.run([exe, "tscctl"])
    m = re.search(r"tscctl: (faults|not enforced)", host)
    assert st == 0 and m, host
    guest_check("uml-conform tscctl", "tscctl: " + m.group(1))


def test_conform_many_forks():
    # LTP's fork13 forks a great many processes one after another; a fork,
    # exit and reap must cost milliseconds at most, not more
    out = guest_check("uml-conform forks 500", "forks: ok", timeout=120)
    m = re.search(r"forks: ok \(500 forks, (\d+) us each\)", out)
    assert m and int(m.group(1)) < 20000, out


def test_loop_device_mounts_an_image():
    # losetup and mount -o loop, as users mount an image in a VM
    c = boot_shell("mem=128M")
    st, out = c.sh("cd /tmp && dd if=/dev/zero of=img bs=1M count=8 2>/dev/null"
                   " && dev=$(losetup -f) && losetup $dev img && mke2fs -q $dev"
                   " && mkdir -p mnt && mount $dev mnt && echo hello > mnt/f"
                   " && umount mnt && losetup -d $dev && mount -o loop img mnt"
                   " && cat mnt/f && umount mnt && echo loop-ok",
                   timeout=60)
    assert st == 0 and "hello" in out and "loop-ok" in out, out
    assert c.poweroff() == 0


def _dmesg_before_init(c):
    """The kernel's log up to the start of init."""
    st, out = c.sh("dmesg")
    assert st == 0, out
    m = re.search(r"Run \S+ as init process", out)
    assert m, out
    return out[:m.start()]


def test_random_is_seeded_from_the_host_at_boot():
    # getrandom() never waits in the guest: the host's entropy seeds the
    # CRNG in setup_arch(), long before init (systemd-random-seed, Python
    # and ssh-keygen no longer wait seconds for it)
    c = boot_shell("mem=128M")
    assert "random: crng init done" in _dmesg_before_init(c)
    st, out = c.sh("head -c 16 /dev/random | wc -c")
    assert st == 0 and out.split()[-1] == "16", out
    assert c.poweroff() == 0
    # the generic switch for not trusting a boot seed still works: the
    # seed is mixed in but not counted
    c = boot_shell("mem=128M", "random.trust_bootloader=off")
    assert "random: crng init done" not in _dmesg_before_init(c)
    assert c.poweroff() == 0


def test_no_bsd_pty_devices():
    # as on distribution kernels: Unix 98 ptys only.  512 BSD pty devices
    # (ptyp0..., ttyp0...) made udev's coldplug and logind of a systemd
    # boot take seconds of host CPU for nothing
    c = boot_shell("mem=128M")
    st, out = c.sh("ls /sys/class/tty | grep -c '^[pt]ty[p-za-e][0-9a-f]$'; "
                   "ls -d /dev/ptmx /dev/pts/ptmx")
    assert out.splitlines()[0].strip() == "0", out
    assert "/dev/ptmx" in out and "/dev/pts/ptmx" in out, out
    assert c.poweroff() == 0


def test_distribution_features_work():
    c = boot_shell("mem=128M")
    st, out = c.sh("mkdir -p /root/ft && cd /root/ft && uml-features; "
                   "st=$?; cd /root; (exit $st)", timeout=90)
    bad = [l for l in out.splitlines() if "FAILED" in l]
    assert st == 0 and not bad, out
    for name in ("namespaces", "cgroup", "keys", "bpf", "inotify", "fanotify",
                 "userfaultfd", "aio", "mqueue", "xattr", "splice", "loop"):
        assert "%s: ok" % name in out, out
    assert c.poweroff() == 0


def test_proc_pid_files_and_cpuinfo():
    c = boot_shell("mem=128M")
    st, out = c.sh("cat /proc/cpuinfo")
    assert st == 0, out
    for field in ("processor", "vendor_id", "model name", "flags", "bogomips"):
        assert re.search(r"^%s\s*:" % field, out, re.M), out
    flags = re.search(r"^flags\s*:(.*)$", out, re.M).group(1).split()
    for f in ("fpu", "sse2", "syscall", "lm"):
        assert f in flags, flags
    st, out = c.sh("cat /proc/self/stat")
    fields = out.split(") ")[1].split()
    assert st == 0 and fields[0] == "R" and len(fields) >= 50, out
    st, out = c.sh("grep -E '^(Name|State|Pid|VmRSS|Threads|Cpus_allowed_list)' "
                   "/proc/self/status")
    assert "Name:\tgrep" in out and "Threads:\t1" in out and "VmRSS" in out, out
    st, out = c.sh("cat /proc/self/smaps | grep -c '^Rss:'")
    assert st == 0 and int(out) >= 3, out
    st, out = c.sh("cat /proc/1/stack")
    assert st == 0 and re.search(r"\] \w+\+0x", out), out
    # cat reading it: read(2) (0) on descriptor 3, then the other arguments
    st, out = c.sh("cat /proc/self/syscall")
    assert st == 0 and re.match(r"0 0x3 0x[0-9a-f]+ ", out), out
    # a sleeping task: its system call and arguments
    st, out = c.sh("sleep 5 & sleep 0.2; cat /proc/$!/syscall; kill $!")
    assert st == 0 and re.match(r"(35|230) 0x", out), out
    assert c.poweroff() == 0


# ---- the distro image ----

def boot_distro():
    assert os.path.exists(DISTRO_IMG), \
        "no build/distro.img (make distro; it needs the host packages " \
        "python3 perl strace gdb gcc binutils libc6-dev)"
    return umltest.boot(image=DISTRO_IMG, copy=False, readonly=True)


PY_SCRIPT = r'''
import hashlib, multiprocessing, subprocess, threading, zlib
def sq(x):
    return x * x
t = [threading.Thread(target=lambda: None) for _ in range(4)]
[x.start() for x in t]; [x.join() for x in t]
out = subprocess.run(["echo", "sub"], capture_output=True, text=True).stdout
with multiprocessing.Pool(2) as p:
    r = sum(p.map(sq, range(10)))
z = zlib.decompress(zlib.compress(b"uml" * 100))
print("py", out.strip(), r, len(z), hashlib.sha256(b"uml").hexdigest()[:12])
'''


def test_distro_python3():
    c = boot_distro()
    c.send("cat > /tmp/t.py <<'EOF'\n%sEOF\n" % PY_SCRIPT)
    st, out = c.sh("python3 /tmp/t.py", timeout=120)
    assert st == 0 and "py sub 285 300 3b79b5693e0d" in out, out
    assert c.poweroff() == 0


def test_distro_perl():
    c = boot_distro()
    st, out = c.sh("perl -MDigest::MD5=md5_hex -e "
                   "'print join(\",\", map { $_ * 2 } 1..3), \" \", "
                   "md5_hex(\"uml\"), \"\\n\"'")
    assert st == 0 and "2,4,6 34d5d911f0aacc6c3a70b4925cb35ca3" in out, out
    assert c.poweroff() == 0


C_PROG = r'''
#include <stdio.h>
#include <math.h>
int main(int argc, char **argv)
{
	printf("built in the guest: %d %.3f\n", argc * 21, sqrt(2.0));
	return 3;
}
'''


def test_distro_gcc_builds_and_runs_a_program():
    c = boot_distro()
    c.send("cat > /tmp/hello.c <<'EOF'\n%sEOF\n" % C_PROG)
    st, out = c.sh("cd /tmp && gcc -O2 -o hello hello.c -lm && ./hello x; "
                   "echo status=$?", timeout=120)
    assert "built in the guest: 42 1.414" in out and "status=3" in out, out
    st, out = c.sh("objdump -d /tmp/hello | grep -c '<main>:'")
    assert st == 0 and out.strip() == "1", out
    assert c.poweroff() == 0


def test_distro_strace_and_gdb():
    c = boot_distro()
    st, out = c.sh("strace -V | head -1; gdb --version | head -1")
    assert "strace -- version" in out and "GNU gdb" in out, out
    # bounded: without ptrace of guests strace waits forever
    st, out = c.sh("timeout -s KILL 15 strace -f -o /tmp/tr sh -c '/bin/true' && "
                   "grep -c execve /tmp/tr", timeout=60)
    # the kernel ships ptrace of guests: strace must work
    assert st == 0, "strace cannot trace in this kernel (ptrace of " \
        "guests): " + out.strip()[-200:]
    assert int(out.strip().splitlines()[-1]) >= 2, out
    assert c.poweroff() == 0


def test_vdso_agrees_after_stop_and_go():
    # the clock leaves out a management-console stop; so must the vDSO
    import time
    import tools_helpers as th
    th.need_tools()
    umid = th.unique("vdso")
    th._umids.append(umid)
    c = boot_shell("mem=128M", "umid=" + umid)
    if host_time_is_tsc():
        assert wait_tsc(c), c.output()[-2000:]
    st, out, err = th.mconsole(umid, "stop")
    assert st == 0 and out.startswith("OK"), (out, err)
    time.sleep(1.5)     # the point: time the stopped guest must not see
    st, out, err = th.mconsole(umid, "go")
    assert st == 0 and out.startswith("OK"), (out, err)
    st, out = c.sh("uml-vdso check")
    assert st == 0 and "vdso: ok\n" in out, out
    assert c.poweroff() == 0
