# SPDX-License-Identifier: GPL-2.0
"""Block devices (ubd): COW files, flags, durability, host block devices.

Every test boots our ./linux (and, for interoperability, the classic
/usr/bin/linux.uml) on private copies of root.img and checks the disks
from the host afterwards, or while the VM runs.
"""
import hashlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time

import umltest
from umltest import LINUX, REF_LINUX, boot, run, run_kernel

TOP = umltest.TOP


def host_file(d, name, data=b"", size=0):
    """A new file NAME in directory D holding DATA, then extended with a
    hole to SIZE bytes (when given); its path."""
    path = os.path.join(d, name)
    with open(path, "wb") as f:
        f.write(data)
        if size:
            f.truncate(size)
    return path


def sha(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def poweroff(c):
    status = c.poweroff(60)
    assert status == 0, "exit status %s\n%s" % (status, c.output()[-2000:])


def sh_ok(c, cmd, timeout=60):
    st, out = c.sh(cmd, timeout)
    assert st == 0, "%r failed (%d):\n%s" % (cmd, st, out)
    return out


def fsck_clean(img):
    st, out = run(["e2fsck", "-fn", img])
    assert st == 0, "e2fsck -fn %s: %d\n%s" % (img, st, out)


def debugfs_cat(img, path):
    p = subprocess.run(["debugfs", "-R", "cat " + path, img],
                       capture_output=True)
    return p.stdout


def moo(cow, out):
    st, text = run(["uml_moo", cow, out])
    assert st == 0 and os.path.exists(out), "uml_moo: %d\n%s" % (st, text)


def need(cmd):
    """A host command scripts/install-deps.sh installs: missing, it fails."""
    assert shutil.which(cmd), cmd + " not installed (scripts/install-deps.sh)"


def bad_boot(arg, *expect):
    """Boot with ARG; it must stop before the kernel starts, naming it."""
    st, out = run_kernel(arg, "mem=64M", timeout=30)
    assert st == 2 and "Linux version" not in out, (st, out)
    assert "bad option '%s'" % arg in out, out
    for e in expect:
        assert e in out, "%r not in: %s" % (e, out)
    return out


def test_cow_format_unit():
    """Unit tests of the format logic (cow.c), built for the host."""
    exe = os.path.join(umltest.tmpdir(), "cow_test")
    st, out = run(["gcc", "-O2", "-Wall", "-Werror", "-I",
                   TOP + "/arch/um/include/shared",
                   "-o", exe, TOP + "/tests/unit/cow_test.c",
                   TOP + "/arch/um/drivers/block/cow.c"])
    assert st == 0, out
    st, out = run([exe])
    assert st == 0 and re.search(r"^\d+ passed, 0 failed$", out, re.M), out


def test_cow_keeps_backing_and_uml_moo_merges():
    d = umltest.tmpdir()
    back = umltest.copy_image()
    data = host_file(d, "data.img", os.urandom(4 << 20))
    back_sum, data_sum = sha(back), sha(data)
    cow0, cow1 = os.path.join(d, "root.cow"), os.path.join(d, "data.cow")

    c = boot("ubd0=%s,%s" % (cow0, back), "ubd1=%s,%s" % (cow1, data),
             mem="128M")
    out = c.output()
    assert re.search(r"ubda: .*root.cow over .*root.img, 64 MiB, new COW", out), out
    sh_ok(c, "echo cow-was-here-4711 > /root/cowfile && sync")
    # raw sectors of the second disk, and what the guest then sees
    sh_ok(c, "dd if=/dev/zero of=/dev/ubdb bs=512 seek=3 count=5 conv=fsync"
             " && echo moo-marker | dd of=/dev/ubdb bs=4096 seek=700 conv=fsync")
    guest_sum = sh_ok(c, "md5sum < /dev/ubdb").split()[0]
    poweroff(c)

    assert sha(back) == back_sum, "backing file changed"
    assert sha(data) == data_sum, "backing file changed"
    with open(cow0, "rb") as f:
        assert f.read(4) == b"OOOM"
    with open(cow1, "rb") as f:
        assert b"moo-marker" in f.read(), "COW file lacks the write"

    merged = os.path.join(d, "merged-data.img")
    moo(cow1, merged)
    with open(merged, "rb") as f:
        assert hashlib.md5(f.read()).hexdigest() == guest_sum
    merged = os.path.join(d, "merged-root.img")
    moo(cow0, merged)
    fsck_clean(merged)
    assert debugfs_cat(merged, "/root/cowfile") == b"cow-was-here-4711\n"


def test_two_vms_on_one_backing():
    d = umltest.tmpdir()
    back = umltest.copy_image()
    os.chmod(back, 0o444)
    sums = sha(back)
    a, b = os.path.join(d, "a.cow"), os.path.join(d, "b.cow")
    va = boot("ubd0=%s,%s" % (a, back), mem="64M")
    vb = boot("ubd0=%s,%s" % (b, back), mem="64M")
    sh_ok(va, "echo from-a > /root/who && sync")
    sh_ok(vb, "echo from-b > /root/who && sync")
    assert sh_ok(va, "cat /root/who").strip() == "from-a"
    assert sh_ok(vb, "cat /root/who").strip() == "from-b"
    # a writer of the backing file is refused while they run
    st, out = run_kernel("ubd0=" + back, "mem=64M", timeout=30)
    assert st == 2 and "in use" in out, out
    poweroff(va)
    poweroff(vb)
    assert sha(back) == sums
    for cow, who in ((a, b"from-a"), (b, b"from-b")):
        merged = cow + ".img"
        moo(cow, merged)
        assert debugfs_cat(merged, "/root/who") == who + b"\n"
    # the COW file is locked against a second kernel
    va = boot("ubd0=" + a, mem="64M")
    st, out = run_kernel("ubd0=" + a, "mem=64M", timeout=30)
    poweroff(va)
    assert st == 2 and "in use by another process" in out, out


def test_classic_kernel_cow_interop():
    assert os.access(REF_LINUX, os.X_OK), \
        "classic kernel %s not installed (scripts/install-deps.sh)" % REF_LINUX
    d = umltest.tmpdir()
    back = umltest.copy_image()
    sums = sha(back)
    theirs, ours = os.path.join(d, "theirs.cow"), os.path.join(d, "ours.cow")

    # the classic kernel makes a COW file; ours reads it (backing from header)
    c = boot("ubd0=%s,%s" % (theirs, back), kernel=REF_LINUX, mem="128M")
    sh_ok(c, "echo written-by-classic > /root/f1 && sync")
    poweroff(c)
    c = boot("ubd0=" + theirs, mem="128M")
    assert sh_ok(c, "cat /root/f1").strip() == "written-by-classic"
    sh_ok(c, "echo ours-on-theirs > /root/f2 && sync")
    poweroff(c)

    # ours makes one; the classic kernel reads it
    c = boot("ubd0=%s,%s" % (ours, back), mem="128M")
    sh_ok(c, "echo written-by-ours > /root/f3 && sync")
    poweroff(c)
    c = boot("ubd0=" + ours, kernel=REF_LINUX, mem="128M")
    assert sh_ok(c, "cat /root/f3").strip() == "written-by-ours"
    assert sh_ok(c, "cat /root/f1 2>&1 || true").strip() != "written-by-classic"
    poweroff(c)
    assert sha(back) == sums
    merged = os.path.join(d, "m.img")
    moo(theirs, merged)
    fsck_clean(merged)
    assert debugfs_cat(merged, "/root/f2") == b"ours-on-theirs\n"


def _mkcow(d, back, name="x.cow"):
    cow = os.path.join(d, name)
    st, out = run(["uml_mkcow", cow, back])
    assert st == 0, out
    return cow


def test_cow_backing_changed_is_refused():
    need("uml_mkcow")
    d = umltest.tmpdir()
    back = umltest.copy_image()
    cow = _mkcow(d, back)
    before = sha(cow)
    mtime = int(os.stat(back).st_mtime)
    os.utime(back, (mtime + 100, mtime + 100))
    out = bad_boot("ubd0=" + cow, "has changed", "mtime %d, header says %d"
                   % (mtime + 100, mtime), "flag f")
    size = os.path.getsize(back)
    with open(back, "ab") as f:
        f.write(b"\0" * 4096)
    out = bad_boot("ubd0=" + cow, "size %d, header says %d"
                   % (size + 4096, size))
    assert sha(cow) == before, "COW file written"
    # flag f accepts the backing file as it is now and records it
    os.truncate(back, size)
    c = boot("ubd0f=" + cow, mem="128M")
    poweroff(c)
    c = boot("ubd0=" + cow, mem="128M")
    poweroff(c)


def test_cow_bad_input_is_refused_and_nothing_written():
    need("uml_mkcow")
    d = umltest.tmpdir()
    back = host_file(d, "back.img", size=8 << 20)
    good = open(_mkcow(d, back, "good.cow"), "rb").read()

    def case(name, data, *expect, arg=None):
        cow = host_file(d, name, data)
        before = sha(cow)
        bad_boot(arg or "ubd0=" + cow, *expect)
        assert sha(cow) == before, name + " was written"
        # hot-plug goes through the same code: the running kernel is
        # not tested here, the command line is the same path

    case("trunc.cow", good[:200], "truncated")
    case("version.cow", good[:7] + b"\x09" + good[8:], "unknown version")
    case("sector.cow", good[:22] + b"\x04" + good[23:], "sector size")
    case("align.cow", good[:24] + b"\0\0\0\0" + good[28:], "alignment")
    case("path.cow", good[:32] + b"x" * 4096 + good[4128:], "not terminated")
    case("bitmap.cow", good[:8192 + 100], "too short for its bitmap")
    case("missing.cow", good[:32] + b"/no/such/backing\0" + good[49:],
         "/no/such/backing", "No such file")
    case("dirback.cow", good[:32] + d.encode() + b"\0" + good[33 + len(d):],
         "not a regular file")
    # a backing file this user cannot read (run as nobody: root reads all)
    if shutil.which("setpriv"):
        os.chmod(d, 0o755)
        cow = os.path.join(d, "unreadable.cow")
        shutil.copyfile(os.path.join(d, "good.cow"), cow)
        os.chmod(cow, 0o666)
        os.chmod(back, 0o000)
        before = sha(cow)
        st, out = run_kernel("ubd0=" + cow, "mem=64M", timeout=30,
                             wrap=["setpriv", "--reuid=65534",
                                   "--regid=65534", "--clear-groups"])
        os.chmod(back, 0o644)
        assert st == 2 and back in out and "Permission denied" in out, out
        assert sha(cow) == before
    # a file that is not a COW file, with a backing file named
    case("plain.img", b"\0" * 65536, "not a COW file", arg="ubd0=%s,%s"
         % (os.path.join(d, "plain.img"), back))
    # a backing file that does not exist: nothing is created
    cow = os.path.join(d, "new.cow")
    bad_boot("ubd0=%s,%s" % (cow, back + ".missing"), "No such file")
    assert not os.path.exists(cow)
    # a COW file on a read-only file system: refused unless flag r
    ro = os.path.join(d, "ro")
    os.mkdir(ro)
    script = ("mount -t tmpfs none {ro} && cp {d}/good.cow {ro}/ro.cow && "
              "mount -o remount,ro {ro} && {linux} ubd0={ro}/ro.cow mem=64M; "
              "echo status $?; {linux} ubd0r={ro}/ro.cow mem=64M "
              "init=/bin/true 2>&1 | grep -c 'ubda: .*read-only'"
              ).format(ro=ro, d=d, linux=LINUX)
    st, out = run(["unshare", "-m", "sh", "-c", script], timeout=60)
    assert "status 2" in out, out
    assert "read-only on the host" in out and "flag r" in out, out
    assert out.strip().endswith("1"), "flag r did not give a read-only disk:\n" + out


def test_sync_flag_and_fsync_reach_the_host():
    d = umltest.tmpdir()
    data = host_file(d, "data.img", size=8 << 20)
    c = boot("ubd1s=" + data, mem="128M")
    # flag s: the host file is opened O_SYNC
    pid = c.p.pid
    flags = None
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            if os.readlink("/proc/%d/fd/%s" % (pid, fd)) == data:
                with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
                    flags = int(re.search(r"flags:\s+(\d+)", f.read()).group(1), 8)
        except OSError:
            pass
    assert flags is not None and flags & os.O_SYNC == os.O_SYNC, flags
    sh_ok(c, "echo sync-flag-marker-1 | dd of=/dev/ubdb bs=4096 seek=9 oflag=direct")
    with open(data, "rb") as f:
        f.seek(9 * 4096)
        assert f.read(18) == b"sync-flag-marker-1"
    poweroff(c)


def test_fsync_reaches_the_host_while_running():
    img = umltest.copy_image()
    c = boot("ubd0=" + img, mem="128M")
    sh_ok(c, "blkrec /root/rec 3")
    with open(img, "rb") as f:
        blob = f.read()
    assert b"record 00000003" in blob, "fsync'd record not in the host file"
    poweroff(c)


def test_readonly_flag_refuses_writes():
    d = umltest.tmpdir()
    data = host_file(d, "data.img", b"\x11" * (1 << 20))
    before = sha(data)
    c = boot("ubd1r=" + data, mem="128M")
    assert sh_ok(c, "cat /sys/block/ubdb/ro").strip() == "1"
    st, out = c.sh("echo x | dd of=/dev/ubdb bs=512 count=1 oflag=direct")
    assert st != 0, out
    poweroff(c)
    assert sha(data) == before


def _allocated(path):
    return os.stat(path).st_blocks * 512


def test_discard_punches_holes():
    need("mke2fs")
    d = umltest.tmpdir()
    data = os.path.join(d, "data.img")
    st, out = run(["mke2fs", "-q", "-F", "-t", "ext4", "-E", "nodiscard",
                   data, "64M"])
    assert st == 0, out
    c = boot("ubd1=" + data, mem="128M")
    sh_ok(c, "mkdir -p /mnt && mount /dev/ubdb /mnt && "
             "dd if=/dev/urandom of=/mnt/big bs=1M count=24 conv=fsync")
    full = _allocated(data)
    sh_ok(c, "rm /mnt/big && sync && fstrim -v /mnt")
    trimmed = _allocated(data)
    sh_ok(c, "umount /mnt")
    poweroff(c)
    assert full - trimmed > 16 << 20, (full, trimmed)
    fsck_clean(data)


def test_discard_off_with_flag_t():
    d = umltest.tmpdir()
    data = host_file(d, "data.img", size=4 << 20)
    c = boot("ubd1t=" + data, mem="128M")
    assert sh_ok(c, "cat /sys/block/ubdb/queue/discard_max_bytes").strip() == "0"
    poweroff(c)


def _kill_during_records(args, img_for_fsck, kill_at, merge=None):
    c = boot(*args, mem="128M")
    c.send("blkrec /root/log 100000\n")
    c.expect(r"ack %d\n" % kill_at, timeout=60)
    os.killpg(c.p.pid, signal.SIGKILL)
    c.wait(10)
    acks = [int(x) for x in re.findall(r"ack (\d+)\n", c.output())]
    last = max(acks)
    img = img_for_fsck
    if merge:
        img = merge()
    subprocess.run(["e2fsck", "-fy", img], capture_output=True)
    fsck_clean(img)
    log = debugfs_cat(img, "/root/log")
    recs = log.split(b"\n")
    for i in range(1, last + 1):
        assert recs[i - 1].startswith(b"record %08d." % i), \
            "record %d of %d acknowledged ones lost or torn: %r" % (
                i, last, recs[i - 1][:40] if i <= len(recs) else None)
    return last


def test_kill9_keeps_acknowledged_records():
    for kill_at in (1, 25, 120):
        img = umltest.copy_image()
        _kill_during_records(["ubd0=" + img], img, kill_at)


def test_kill9_keeps_acknowledged_records_on_cow():
    need("uml_moo")
    for kill_at in (10, 80):
        d = umltest.tmpdir()
        back = umltest.copy_image()
        cow = os.path.join(d, "k.cow")
        merged = os.path.join(d, "merged.img")
        _kill_during_records(["ubd0=%s,%s" % (cow, back)], merged, kill_at,
                             merge=lambda: (moo(cow, merged), merged)[1])


def test_loop_device_as_disk():
    need("losetup")
    d = umltest.tmpdir()
    data = host_file(d, "loop.img", size=16 << 20)
    p = subprocess.run(["losetup", "-f", "--show", "--sector-size", "4096",
                        data], capture_output=True, text=True)
    if p.returncode:
        umltest.skip("no loop device: " + p.stderr.strip())
    loop = p.stdout.strip()
    try:
        c = boot("ubd1=" + loop, mem="128M")
        assert sh_ok(c, "cat /sys/block/ubdb/size").strip() == str(16 << 11)
        assert sh_ok(c, "cat /sys/block/ubdb/queue/logical_block_size").strip() == "4096"
        sh_ok(c, "echo on-the-loop-device | dd of=/dev/ubdb bs=4096 seek=5 conv=fsync")
        poweroff(c)
    finally:
        subprocess.run(["losetup", "-d", loop])
    with open(data, "rb") as f:
        f.seek(5 * 4096)
        assert f.read(19) == b"on-the-loop-device\n"


def test_moved_backing_file_is_recorded():
    need("uml_mkcow")
    d = umltest.tmpdir()
    back = umltest.copy_image()
    cow = _mkcow(d, back)
    moved = os.path.join(d, "moved.img")
    os.rename(back, moved)
    bad_boot("ubd0=" + cow, back, "No such file")
    c = boot("ubd0=%s,%s" % (cow, moved), mem="64M")
    poweroff(c)
    with open(cow, "rb") as f:
        assert moved.encode() + b"\0" in f.read(4128)
    c = boot("ubd0=" + cow, mem="64M")
    assert "over " + moved in c.output(), c.output()
    poweroff(c)


def _mconsole(umid, *cmd):
    # ours (make tools), or the classic one of uml-utilities
    tool = os.path.join(TOP, "tools/uml_mconsole/uml_mconsole")
    if not os.access(tool, os.X_OK):
        tool = shutil.which("uml_mconsole")
    assert tool, "no uml_mconsole (make tools, or uml-utilities)"
    st, out = run([tool, umid] + list(cmd), timeout=20)
    return out.strip()


def test_hotplug_cow_disk():
    """config/get_config/remove of the ubd kind, through the mconsole."""
    d = umltest.tmpdir()
    umid = "blk%d" % os.getpid()
    back = umltest.copy_image()
    sums = sha(back)
    cow = os.path.join(d, "hot.cow")
    c = boot(mem="64M", umid=umid)
    sock = os.path.expanduser("~/.uml/%s/mconsole" % umid)
    # the kernel ships a management console: its socket must come
    assert umltest.wait_for(lambda: os.path.exists(sock), 5), \
        "no management console socket " + sock
    out = _mconsole(umid, "config", "ubd1=%s,%s" % (cow, back))
    assert out.startswith("OK"), out
    assert _mconsole(umid, "config", "ubd1") == "OK %s,%s" % (cow, back)
    sh_ok(c, "mkdir -p /mnt && mount /dev/ubdb /mnt && echo hot > /mnt/hot")
    out = _mconsole(umid, "remove", "ubd1")
    assert out.startswith("ERR") and "in use" in out, out
    sh_ok(c, "umount /mnt")
    assert _mconsole(umid, "remove", "ubd1").startswith("OK")
    assert "ubdb" not in sh_ok(c, "cat /proc/partitions")
    # a bad disk is refused with a message naming it, nothing written
    bad = host_file(d, "bad.cow", b"OOOM\0\0\0\x03" + b"\0" * 100)
    before = sha(bad)
    out = _mconsole(umid, "config", "ubd2=" + bad)
    assert out.startswith("ERR") and "ubd2" in out and "truncated" in out, out
    assert sha(bad) == before
    # plugged again: the data written before the removal is there
    assert _mconsole(umid, "config", "ubd1=" + cow).startswith("OK")
    sh_ok(c, "mount /dev/ubdb /mnt")
    assert sh_ok(c, "cat /mnt/hot").strip() == "hot"
    sh_ok(c, "umount /mnt")
    poweroff(c)
    assert sha(back) == sums


def io_threads(pid):
    """The host threads of kernel @pid but its main one (with one CPU:
    the block driver's I/O threads), as strings."""
    try:
        return [t for t in os.listdir("/proc/%d/task" % pid)
                if int(t) != pid]
    except FileNotFoundError:
        return []


def test_io_threads_grow_under_load_and_shrink_at_idle():
    """The I/O pool: one host thread while the machine is idle (it was
    eight), more while requests keep them busy (at most eight), back to
    one a few seconds after the load; the VM's host tasks at idle are the
    kernel, that thread and the guest's processes."""
    d = umltest.tmpdir()
    data = host_file(d, "data.img", size=32 << 20)
    c = boot("ubd1=" + data, mem="64M")
    pid = c.p.pid

    def idle():
        return len(io_threads(pid)) == 1
    assert umltest.wait_for(idle, 30), \
        "I/O threads at idle: %d" % len(io_threads(pid))
    guest = [p for p in umltest.host_pids(pid) if p != pid]
    tasks = sum(len(os.listdir("/proc/%d/task" % p))
                for p in umltest.host_pids(pid))
    # the busybox image: init, its shell and a getty or two, one task each
    assert tasks == 2 + len(guest) and tasks <= 8, (tasks, guest)
    seen = [0]
    stop = threading.Event()

    def watch():
        while not stop.is_set():
            seen[0] = max(seen[0], len(io_threads(pid)))
            time.sleep(0.01)
    w = threading.Thread(target=watch)
    w.start()
    try:
        out = sh_ok(c, "blkbench randwrite32 /dev/ubdb 32 2", timeout=120)
    finally:
        stop.set()
        w.join()
    assert "randwrite32" in out, out
    assert 1 < seen[0] <= 8, "I/O threads under load: %d" % seen[0]
    assert umltest.wait_for(idle, 30), \
        "I/O threads after the load: %d" % len(io_threads(pid))
    poweroff(c)
    # what the guest wrote is on the host file
    with open(data, "rb") as f:
        assert f.read().count(b"\0") < 32 << 20


def test_guest_fsync_becomes_host_fdatasync():
    """Flushes and FUA writes reach the host as fdatasync / RWF_DSYNC."""
    need("strace")
    d = umltest.tmpdir()
    c = boot(mem="64M")
    pid = c.p.pid
    # the I/O pool back at its one idle thread; the threads it starts
    # under load are its clones, followed by strace -f
    assert umltest.wait_for(lambda: len(io_threads(pid)) == 1, 60), \
        "I/O threads at idle: %s" % io_threads(pid)
    tids = io_threads(pid)
    log = os.path.join(d, "strace.log")
    argv = ["strace", "-f", "-qq", "-o", log,
            "-e", "trace=fdatasync,pwritev2"]
    for t in tids:
        argv += ["-p", t]
    st = umltest.spawn(argv)

    def attached():
        for t in tids:
            with open("/proc/%d/task/%s/status" % (pid, t)) as f:
                if re.search(r"TracerPid:\s+0\n", f.read()):
                    return False
        return True
    assert umltest.wait_for(attached, 60), "strace did not attach"
    out = sh_ok(c, "blkrec /root/rec 5")
    assert "ack 5" in out, out
    os.kill(st.pid, signal.SIGINT)
    st.wait(10)
    poweroff(c)
    with open(log) as f:
        text = f.read()
    assert text.count("fdatasync(") >= 5, text[-2000:]
    assert "RWF_DSYNC" in text, "no FUA write:\n" + text[-2000:]


def test_flags_c_and_d():
    """c: no lock, two kernels share a disk; d: a COW header is just data."""
    need("uml_mkcow")
    d = umltest.tmpdir()
    shared = host_file(d, "shared.img", size=4 << 20)
    a = boot("ubd1c=" + shared, mem="64M")
    b = boot("ubd1c=" + shared, mem="64M")
    assert "ubdb" in sh_ok(b, "cat /proc/partitions")
    poweroff(b)
    poweroff(a)
    back = host_file(d, "back.img", size=8 << 20)
    cow = _mkcow(d, back)
    size = os.path.getsize(cow)
    c = boot("ubd1d=" + cow, mem="64M")
    sectors = int(sh_ok(c, "cat /sys/block/ubdb/size"))
    assert sectors * 512 == size, (sectors, size)
    assert sh_ok(c, "dd if=/dev/ubdb bs=4 count=1 2>/dev/null") == "OOOM"
    poweroff(c)
