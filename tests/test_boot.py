# SPDX-License-Identifier: GPL-2.0
"""Boot tests of our ./linux: root mount, clean ends, bad input, idle CPU.

Every test boots the real kernel from the top-level build and checks what
it prints, its exit status and what it leaves on the host.
"""
import os
import re
import signal
import subprocess
import time

import umltest
from umltest import boot, run_kernel


def power_off(c, sig=signal.SIGTERM, timeout=30):
    """Ask the machine to power off from the host; (status, all output)."""
    c.p.send_signal(sig)
    status = c.wait(timeout)
    return status, c.output()


def physmem_files():
    found = set()
    for d in (os.environ.get("TMPDIR"), "/dev/shm", "/tmp"):
        if d and os.path.isdir(d):
            found |= {os.path.join(d, f) for f in os.listdir(d)
                      if f.startswith("uml-physmem")}
    return found


def mount_count(img):
    out = subprocess.run(["dumpe2fs", "-h", img], capture_output=True,
                         text=True).stdout
    m = re.search(r"^Mount count:\s+(\d+)", out, re.M)
    assert m, "dumpe2fs gave no mount count:\n" + out
    return int(m.group(1))


def test_boots_to_root_and_powers_off_cleanly():
    img = umltest.copy_image()
    before = physmem_files()
    p = boot("ubd0=" + img, "mem=256M", mem=None)
    out = p.output()
    assert "Linux version 6.12" in out.splitlines()[0], out[:500]
    assert re.search(r"ubda: .*root.img, \d+ MiB", out), out
    assert "VFS: Mounted root (ext4 filesystem) readonly on device 98:0" in out, out
    assert re.search(r"Run /sbin/init as init process", out), out
    pid = p.p.pid
    # this kernel's guest host processes (other kernels may run beside it)
    stubs = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True,
                           text=True).stdout.split()
    status, rest = power_off(p)
    assert "reboot: Power down" in rest, rest
    assert status == 0, "exit status %d\n%s" % (status, rest)
    assert "Oops" not in rest and "WARNING" not in rest, rest
    assert physmem_files() <= before, "physical memory file left behind"
    # no guest process (stub) or thread of the kernel survives it
    assert not os.path.exists("/proc/%d" % pid)
    def no_stubs():
        return not any(os.path.exists("/proc/" + s) for s in stubs)
    assert umltest.wait_for(no_stubs, 5), "guest host processes left behind"


def test_sigint_powers_off():
    img = umltest.copy_image()
    p = boot("ubd0=" + img, mem=None)
    status, rest = power_off(p, signal.SIGINT)
    assert status == 0 and "Power down" in rest, rest


def test_root_defaults_to_ubda_and_cmdline_is_kept():
    img = umltest.copy_image()
    p = boot("ubd0=" + img, "mem=64M", "loglevel=7", mem=None)
    out = p.output()
    status, _ = power_off(p)
    assert re.search(r"Kernel command line: .*ubd0=\S+ mem=64M loglevel=7 "
                     r"root=/dev/ubda", out), out
    assert "Memory: " in out and status == 0


def test_rw_root_writes_reach_the_image():
    img = umltest.copy_image()
    n = mount_count(img)
    p = boot("ubd0=" + img, "rw", mem=None)
    out = p.output()
    assert "VFS: Mounted root (ext4 filesystem) on device 98:0" in out, out
    status, rest = power_off(p)
    assert status == 0 and "syncing disks" in rest, rest
    # ext4 updated the superblock through ubd and the host I/O thread
    assert mount_count(img) == n + 1


def test_read_only_disk_is_not_written():
    img = umltest.copy_image()
    n = mount_count(img)
    p = boot("ubd0r=" + img, "rw", mem=None)
    out = p.output()
    assert re.search(r"ubda: .*read-only", out), out
    assert "VFS: Mounted root (ext4 filesystem) readonly" in out, out
    status, _ = power_off(p)
    assert status == 0
    assert mount_count(img) == n


def test_disk_in_use_by_another_kernel_is_refused():
    img = umltest.copy_image()
    first = boot("ubd0=" + img, mem=None)
    status, out = run_kernel("ubd0=" + img)
    power_off(first)
    assert "is in use by another process" in out, out
    assert status == 2 and "Linux version" not in out


def test_missing_init_panics_with_backtrace():
    img = umltest.copy_image()
    status, out = run_kernel("ubd0=" + img, "init=/no/such/init")
    assert "Kernel panic - not syncing" in out, out
    assert "Call Trace:" in out and "kernel_init" in out, out
    assert "end Kernel panic" in out
    assert status != 0


def test_no_root_device_panics_cleanly():
    status, out = run_kernel("mem=64M")
    assert "Unable to mount root fs" in out, out
    assert re.search(r"mount_root\w*\+0x", out), "no symbolic backtrace:\n" + out
    assert status == 1


def test_corrupt_image_does_not_crash():
    d = umltest.tmpdir()
    img = os.path.join(d, "garbage.img")
    with open(img, "wb") as f:
        f.write(os.urandom(8 << 20))
    with open(img, "rb") as f:
        data = f.read()
    # refused before boot, naming the file; rootfstype= lets the kernel try
    status, out = run_kernel("ubd0=" + img)
    assert status == 2 and img in out and "holds no filesystem" in out, out
    assert "Linux version" not in out and "Call Trace" not in out, out
    status, out = run_kernel("ubd0=" + img, "rootfstype=ext4")
    assert "Unable to mount root fs" in out or "VFS: Cannot open root" in out, out
    assert "Oops" not in out
    assert status == 1
    with open(img, "rb") as f:
        assert f.read() == data, "a failed mount changed the image"


def test_bad_root_disks_are_named_before_boot():
    d = umltest.tmpdir()
    empty = os.path.join(d, "empty.img")
    open(empty, "wb").close()
    short = os.path.join(d, "short.img")
    with open(umltest.ROOT_IMG, "rb") as f, open(short, "wb") as g:
        g.write(f.read(os.path.getsize(umltest.ROOT_IMG) // 2))
    for img, what in ((empty, "is empty"), (short, "is truncated")):
        status, out = run_kernel("ubd0=" + img)
        assert status == 2, (img, status, out)
        assert img in out and what in out, out
        assert "Linux version" not in out and "Call Trace" not in out, out
    # the truncated one says how long the filesystem is
    assert str(os.path.getsize(umltest.ROOT_IMG)) in out, out
    # a disk that is not the root is not judged by its contents
    img = umltest.copy_image()
    c = boot("ubd0=" + empty, "ubd1=" + img, "root=/dev/ubdb", mem="128M")
    assert c.poweroff() == 0


def test_one_file_as_two_disks_is_refused():
    img = umltest.copy_image()
    d = os.path.dirname(img)
    hard = os.path.join(d, "hard.img")
    os.link(img, hard)
    os.symlink(d, os.path.join(d, "via"))
    for other in (img, hard, os.path.join(d, "via", "..",
                                          os.path.basename(d),
                                          os.path.basename(img))):
        status, out = run_kernel("ubd0=" + img, "ubd1r=" + other, "mem=64M")
        assert status == 2, (other, status, out)
        assert other in out and "already disk 0" in out, out
        assert "Linux version" not in out, out


def test_help_and_version():
    status, out = run_kernel("--help")
    assert status == 0
    for opt in ("mem=", "ubdN", "root=", "init=", "quiet", "loglevel=",
                "umid=", "--version"):
        assert opt in out, "--help does not list %s:\n%s" % (opt, out)
    status, out = run_kernel("--version")
    assert status == 0 and out.startswith("Linux version 6.12"), out


def _bad(arg, *words):
    t0 = time.monotonic()
    status, out = run_kernel(arg, "mem=64M")
    assert status == 2, "%s: status %d\n%s" % (arg, status, out)
    assert arg.split("=")[0] in out, out
    for w in words:
        assert w in out, "%s: %r missing from %r" % (arg, w, out)
    assert "Linux version" not in out, "booted despite " + arg
    assert time.monotonic() - t0 < 5


def test_bad_options_stop_before_boot():
    _bad("mem=lots", "not a size")
    _bad("mem=1K", "too small")
    _bad("mem=5000G", "larger", "at most")
    _bad("mem=999999G", "at most")
    _bad("--frobnicate", "unknown option")
    _bad("--no-such=1", "unknown option")
    _bad("ubd0=/no/such/file.img", "No such file")
    _bad("ubd0=", "no file")
    _bad("ubd0q=/dev/null", "flag")
    _bad("ubd99=" + umltest.ROOT_IMG, "too large")
    _bad("ubd0=/tmp", "not a regular file")
    _bad("loglevel=loud", "log level")
    _bad("umid=a/b", "umid")


def test_idle_machine_uses_no_cpu():
    img = umltest.copy_image()
    p = boot("ubd0=" + img, "mem=256M", mem=None)

    def cpu():
        with open("/proc/%d/stat" % p.p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def quiet():
        c0 = cpu()
        time.sleep(0.5)
        return cpu() - c0 < 0.02

    # the boot's last work is over: half a second without a tick of CPU
    umltest.wait_for(quiet, 15)
    c0 = cpu()
    time.sleep(10)      # the point of the test: ten idle seconds, measured
    used = cpu() - c0
    power_off(p)
    assert used < 0.1, "idle VM used %.2f s of CPU in 10 s" % used
