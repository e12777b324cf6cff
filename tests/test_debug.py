# SPDX-License-Identifier: GPL-2.0
"""Debugging inside the guest: ptrace, seccomp, strace, gdb, fault bits,
syscall tracepoints and audit.

The ptrace, seccomp and fault tests run static guest programs of
root.img (rootfs/tests/ptrace-test.c, seccomp-test.c, fault-write.c,
audit-check.c) and
check what each of their checks printed.  The strace and gdb tests put
the host's own Debian binaries, with the shared libraries and data files
they open, into a copy of root.img (build_debug_image()) and run them as
a user would.
"""
import os
import re
import shutil
import subprocess

import umltest


def run_checks(c, cmd, names, timeout=60):
    st, out = c.sh(cmd, timeout=timeout)
    for n in names:
        assert re.search(r"^ok %s$" % re.escape(n), out, re.M), \
            "%s: no 'ok %s'\n%s" % (cmd, n, out)
    assert st == 0, "%s: status %d\n%s" % (cmd, st, out)
    return out


def host_watchpoints_fire(tmp_path):
    """Whether a hardware watchpoint fires on this host: ptrace-test's own
    watchpoint check, built and run on the host (some hypervisors accept
    debug registers and never raise their trap)."""
    exe = str(tmp_path / "ptrace-test")
    src = os.path.join(umltest.TOP, "rootfs", "tests", "ptrace-test.c")
    subprocess.run(["gcc", "-O2", "-o", exe, src], check=True)
    r = subprocess.run([exe, "watchpoint"], capture_output=True, text=True,
                       timeout=30)
    return r.returncode == 0 and "ok watchpoint" in r.stdout


def test_ptrace_guest_tracer(tmp_path, vm):
    fire = host_watchpoints_fire(tmp_path)
    c = vm
    out = run_checks(c, "ptrace-test",
                     ["syscall-regs", "sysemu", "int3-step", "breakpoint",
                      "fpregs", "watchpoint", "events", "attach"])
    log = c.output()
    c.send("poweroff\n")
    assert c.wait() == 0
    if fire:
        # the real path: the guest's watchpoint trapped (DR6, TRAP_HWBKPT)
        assert "refused" not in out, out
        assert "hardware watchpoints: the host's debug registers" in log
    else:
        # the kernel's boot probe found they never fire and refuses them
        assert "watchpoint: refused (ENOSPC)" in out, out
        assert "debug registers never fire" in log, log[-3000:]


def test_seccomp_filters(vm):
    c = vm
    run_checks(c, "seccomp-test",
               ["strict", "kill", "trap", "errno", "log-allow", "trace",
                "user-notif"])
    c.send("poweroff\n")
    assert c.wait() == 0


def test_syscall_tracepoints(vm):
    # the syscalls trace events of the kernel's tracer see guest calls,
    # with their arguments and return values
    c = vm
    t = "/sys/kernel/tracing"
    st, out = c.sh("mount -t tracefs nodev %s 2>/dev/null; "
                   "echo 1 > %s/events/syscalls/sys_enter_chdir/enable && "
                   "echo 1 > %s/events/raw_syscalls/sys_exit/enable && "
                   "(cd /no-such-dir-trace; cd /tmp); "
                   "echo 0 > %s/tracing_on; cat %s/trace" % ((t,) * 5),
                   timeout=30)
    assert st == 0, out
    # chdir is 80; -ENOENT is -2
    assert re.search(r"sys_chdir\(filename: [0-9a-f]+\)", out), out
    assert re.search(r"sys_exit: NR 80 = -2$", out, re.M), out
    assert re.search(r"sys_exit: NR 80 = 0$", out, re.M), out
    # and once disabled, the tracepoints cost the calls nothing they do
    st, out = c.sh("echo 0 > %s/events/enable; echo > %s/trace; "
                   "echo 1 > %s/tracing_on; cd /tmp; "
                   "grep -c sys_exit %s/trace" % ((t,) * 4))
    assert out.strip().endswith("0"), out
    c.send("poweroff\n")
    assert c.wait() == 0


def test_audit_syscall_records(vm):
    # audit-check takes the audit daemon's place, adds a chdir rule and
    # reads back the SYSCALL record of a failing chdir()
    c = vm
    st, out = c.sh("audit-check", timeout=30)
    assert st == 0 and "audit: ok" in out, out
    assert re.search(r"arch=c000003e syscall=80 success=no exit=-2 ", out), out
    c.send("poweroff\n")
    assert c.wait() == 0


def test_fault_knows_write(vm):
    c = vm
    run_checks(c, "fault-write /root/fault-write.dat",
               ["shared-read-mapped", "shared-read-clean",
                "private-read-not-copied", "anon-read-zero-page",
                "shared-write-dirty", "private-write-copied", "anon-write",
                "sse-across-fault", "avx-across-fault"])
    c.send("poweroff\n")
    assert c.wait() == 0


# ---- an image with the host's strace and gdb ----

TARGET_C = r"""
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

int counter;

int add(int a, int b)
{
	int r = a + b;

	counter += r;
	return r;
}

int main(int argc, char **argv)
{
	int total = 0, i;

	for (i = 0; i < 3; i++)
		total = add(total, i + 40);
	printf("total=%d\n", total);
	if (argc > 1 && argv[1][0] == 's') {
		for (;;) {
			add(1, 2);
			usleep(1000);
		}
	}
	if (argc > 1) {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/busybox", "/bin/busybox", "echo", "child-ran",
			      (char *)0);
			_exit(127);
		}
		waitpid(p, 0, 0);
	}
	return 0;
}
"""


def host_files_opened(argv, env=None):
    """Files (and their directories) ARGV opens on the host, via strace."""
    d = umltest.tmpdir()
    log = os.path.join(d, "trace")
    subprocess.run(["strace", "-f", "-qq", "-e", "trace=openat,open,execve",
                    "-e", "signal=none", "-o", log] + argv,
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, env=env, timeout=60)
    files = set()
    for line in open(log):
        m = re.search(r'(?:openat\(AT_FDCWD, |open\(|execve\()"([^"]+)"', line)
        if not m or re.search(r"= -1 E", line):
            continue
        p = m.group(1)
        if p.startswith(("/proc", "/sys", "/dev", "/tmp")) or \
                not os.path.isfile(p):
            continue
        files.add(os.path.abspath(p))
        # Python opens only the cached module; it finds it by its source
        m = re.match(r"(.*)/__pycache__/([^/.]+)\.cpython-\d+\.pyc$", p)
        if m:
            py = "%s/%s.py" % (m.group(1), m.group(2))
            if os.path.isfile(py):
                files.add(py)
    return files


def build_debug_image(tools):
    """A copy of root.img holding TOOLS (host paths), everything they
    open when run on the test program, and the test program itself
    (/usr/bin/dbg-target, static, with debug information)."""
    for t in tools:
        assert os.path.exists(t), \
            "%s is not installed on the host (scripts/install-deps.sh)" % t
    assert shutil.which("resize2fs") and shutil.which("debugfs"), \
        "e2fsprogs missing (scripts/install-deps.sh)"
    d = umltest.tmpdir()
    src = os.path.join(d, "dbg-target.c")
    target = os.path.join(d, "dbg-target")
    with open(src, "w") as f:
        f.write(TARGET_C)
    subprocess.run(["gcc", "-static", "-g", "-O0", "-o", target, src],
                   check=True)

    files = set()
    for t in tools:
        files.add(os.path.realpath(t))
        out = subprocess.run(["ldd", t], capture_output=True,
                             text=True).stdout
        for m in re.finditer(r"(/\S+) \(0x", out):
            files.add(m.group(1))
    env = dict(os.environ, LANG="C", LC_ALL="C", HOME="/root", TERM="dumb")
    if "/usr/bin/gdb" in tools:
        files |= host_files_opened(GDB_ARGV(target), env)
    if "/usr/bin/strace" in tools:
        files |= host_files_opened(["/usr/bin/strace", "-f", "-o",
                                    "/dev/null", target, "fork"], env)
    files.discard(target)
    # Python looks for this directory (a stat, not an open) to find its home
    extra_dirs = [q for q in ("/usr/lib/python3.11/lib-dynload",)
                  if "/usr/bin/gdb" in tools and os.path.isdir(q)]

    img = umltest.copy_image()
    subprocess.run(["truncate", "-s", "320M", img], check=True)
    subprocess.run(["resize2fs", "-f", img], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dirs = set()
    for p in list(files) + ["/usr/bin/dbg-target"] + \
            [q + "/x" for q in extra_dirs]:
        q = os.path.dirname(p)
        while q != "/":
            dirs.add(q)
            q = os.path.dirname(q)
    cmds = []
    for q in sorted(dirs, key=len):
        cmds.append('mkdir "%s"' % q)
    for p in sorted(files):
        real = os.path.realpath(p)
        cmds.append('rm "%s"' % p)
        cmds.append('write "%s" "%s"' % (real, p))
    for t in tools:
        if os.path.islink(t):
            cmds.append('rm "%s"' % t)
            cmds.append('write "%s" "%s"' % (os.path.realpath(t), t))
    cmds.append('write "%s" /usr/bin/dbg-target' % target)
    cmds.append('write "%s" /root/dbg-target.c' % src)
    cmdfile = os.path.join(d, "cmds")
    with open(cmdfile, "w") as f:
        f.write("\n".join(cmds) + "\n")
    subprocess.run(["debugfs", "-w", "-f", cmdfile, img], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return img


def GDB_ARGV(target):
    return ["/usr/bin/gdb", "-nx", "-batch",
            "-ex", "break add", "-ex", "run",
            "-ex", "print a", "-ex", "print b", "-ex", "bt",
            "-ex", "next", "-ex", "print r",
            "-ex", "info registers rip",
            "-ex", "continue", "-ex", "print counter",
            "-ex", "delete", "-ex", "continue", target]


def boot_image(img):
    return umltest.boot(image=img, copy=False)


def test_strace_f_shows_child_execve():
    img = build_debug_image(["/usr/bin/strace"])
    c = boot_image(img)
    st, out = c.sh("strace -f -o /tmp/trace dbg-target fork; echo rc=$?; "
                   "cat /tmp/trace", timeout=60)
    assert "total=123" in out and "child-ran" in out and "rc=0" in out, out
    # the child's execve, reported from the child's own pid
    # (strace splits the line in two when the parent's stop comes between)
    m = re.search(r'^(\d+) +execve\("/bin/busybox", \["/bin/busybox", '
                  r'"echo", "child-ran"\].*?(= 0|<unfinished \.\.\.>)$',
                  out, re.M)
    assert m, out
    if m.group(2) != "= 0":
        assert re.search(r'^%s +<\.\.\. execve resumed>.*= 0$' % m.group(1),
                         out, re.M), out
    child = m.group(1)
    first = re.search(r"^(\d+) +execve\(", out, re.M).group(1)
    assert child != first, out
    assert re.search(r"^%s +\+\+\+ exited with 0 \+\+\+$" % child, out, re.M), out
    assert re.search(r'^%s +write\(1, "total=123\\n", 10\) += 10$' % first,
                     out, re.M), out
    # the report: this never returned
    st, out = c.sh("strace -f -o /tmp/bb /bin/busybox true; echo rc=$?; "
                   "grep -c execve /tmp/bb", timeout=30)
    assert "rc=0" in out and out.strip().endswith("1"), out
    c.send("poweroff\n")
    assert c.wait() == 0


def test_gdb_batch_breakpoint_backtrace():
    img = build_debug_image(["/usr/bin/gdb"])
    c = boot_image(img)
    argv = GDB_ARGV("/usr/bin/dbg-target")
    cmd = " ".join("'%s'" % a if " " in a else a for a in argv)
    st, out = c.sh("cd /root && TERM=dumb LANG=C " + cmd + " 2>&1",
                   timeout=120)
    assert st == 0, out
    assert re.search(r"Breakpoint 1 at 0x[0-9a-f]+: file .*dbg-target\.c", out), out
    assert re.search(r"Breakpoint 1, add \(a=0, b=40\) at", out), out
    assert re.search(r"^\$1 = 0$", out, re.M), out
    assert re.search(r"^\$2 = 40$", out, re.M), out
    assert re.search(r"^#0  add \(a=0, b=40\) at .*dbg-target\.c:\d+", out, re.M), out
    assert re.search(r"^#1  0x[0-9a-f]+ in main \(argc=1, argv=0x[0-9a-f]+\)", out, re.M), out
    assert re.search(r"^\$3 = 40$", out, re.M), out      # r after `next`
    assert re.search(r"^rip +0x[0-9a-f]+ +0x[0-9a-f]+ <add\+\d+>", out, re.M), out
    assert re.search(r"Breakpoint 1, add \(a=40, b=41\)", out), out
    assert re.search(r"^\$4 = 40$", out, re.M), out      # counter
    assert "total=123" in out, out
    assert re.search(r"exited normally", out), out
    # attaching to a running process
    st, out = c.sh("dbg-target spin & sleep 0.5; TERM=dumb LANG=C "
                   "gdb -nx -batch -p $! -ex bt -ex 'print counter > 0' "
                   "-ex detach 2>&1; kill $!", timeout=120)
    assert re.search(r"^#\d+ +0x[0-9a-f]+ in main \(argc=2, ", out, re.M), out
    assert re.search(r"^\$1 = 1$", out, re.M), out
    assert re.search(r"^\[Inferior 1 \(process \d+\) detached\]$", out, re.M), out
    c.send("poweroff\n")
    assert c.wait() == 0
