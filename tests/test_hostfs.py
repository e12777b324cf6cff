# SPDX-License-Identifier: GPL-2.0
"""hostfs: a host directory mounted in the guest, and booted from.

Each test shares a scratch directory with hostfs=DIR, works on it from the
guest shell, and checks the host's side of every change (and the other
way round); the escape tests try to leave the shared directory and must
fail.
"""
import os
import re
import stat
import subprocess
import threading

import umltest
from umltest import TOP, boot_shell


def shared_dir():
    d = os.path.join(umltest.tmpdir(), "share")
    os.mkdir(d)
    return d


def mounted(share, *extra):
    c = boot_shell("hostfs=" + share, *extra)
    st, out = c.sh("mkdir -p /mnt/h && mount -t hostfs none /mnt/h -o %s"
                   % share)
    assert st == 0, out
    return c


def poweroff(c):
    c.send("poweroff\n")
    assert c.wait() == 0


def test_hostfs_file_operations_reach_the_host():
    share = shared_dir()
    with open(os.path.join(share, "from-host"), "w") as f:
        f.write("hello from the host\n")
    os.mkdir(os.path.join(share, "dir"))
    c = mounted(share)
    assert c.sh("cat /mnt/h/from-host") == (0, "hello from the host\n")
    st, out = c.sh("cd /mnt/h && echo guest > new && mkdir -p a/b && "
                   "echo deep > a/b/f && ln -s new sym && ln new hard && "
                   "mv a/b/f a/moved && echo 123456789 > t && "
                   "truncate -s 4 t && chmod 640 new && touch -d "
                   "'2020-01-02 03:04:05' dir && ls -ln new hard")
    assert st == 0, out
    assert re.search(r" 2 0 +0 .*new", out), out   # two links, owner root
    st, out = c.sh("rm /mnt/h/from-host && rmdir /mnt/h/dir && "
                   "hostfs-check mmap /mnt/h/map && hostfs-check big /mnt/h/big")
    assert st == 0 and "ok mmap" in out and "ok big 5368709121" in out, out
    st, out = c.sh("stat -c '%s %h' /mnt/h/new /mnt/h/sym; readlink /mnt/h/sym")
    assert out.split() == ["6", "2", "3", "1", "new"], out
    poweroff(c)
    assert open(os.path.join(share, "new")).read() == "guest\n"
    assert os.readlink(os.path.join(share, "sym")) == "new"
    assert os.stat(os.path.join(share, "hard")).st_ino == \
        os.stat(os.path.join(share, "new")).st_ino
    assert stat.S_IMODE(os.stat(os.path.join(share, "new")).st_mode) == 0o640
    assert open(os.path.join(share, "a/moved")).read() == "deep\n"
    assert not os.path.exists(os.path.join(share, "a/b/f"))
    assert open(os.path.join(share, "t")).read() == "1234"
    assert not os.path.exists(os.path.join(share, "from-host"))
    assert not os.path.exists(os.path.join(share, "dir"))
    assert open(os.path.join(share, "map"), "rb").read(9) == b"shared-ok"
    big = os.stat(os.path.join(share, "big"))
    assert big.st_size == (5 << 30) + 1 and big.st_blocks < 1024


def test_hostfs_ownership_and_modes_as_the_host_reports():
    share = shared_dir()
    p = os.path.join(share, "owned")
    open(p, "w").close()
    os.chown(p, 1234, 5678)
    os.chmod(p, 0o604)
    c = mounted(share)
    assert c.sh("stat -c '%u %g %a' /mnt/h/owned") == (0, "1234 5678 604\n")
    assert c.sh("chown 42:43 /mnt/h/owned")[0] == 0
    poweroff(c)
    st = os.stat(p)
    assert (st.st_uid, st.st_gid) == (42, 43)


def test_hostfs_sees_host_changes_and_the_host_sees_guest_changes():
    share = shared_dir()
    p = os.path.join(share, "f")
    with open(p, "w") as f:
        f.write("one")
    c = mounted(share)
    assert c.sh("cat /mnt/h/f") == (0, "one")
    with open(p, "w") as f:
        f.write("two, longer")
    assert c.sh("cat /mnt/h/f") == (0, "two, longer")
    open(os.path.join(share, "appeared"), "w").close()
    assert c.sh("ls -1 /mnt/h") == (0, "appeared\nf\n")
    os.unlink(os.path.join(share, "appeared"))
    assert c.sh("ls -1 /mnt/h") == (0, "f\n")
    # a file the guest holds open, changed on the host meanwhile
    c.send("hostfs-check watch /mnt/h/f\n")
    c.expect("content: two, longer\nwaiting\n")
    # another size: a change hostfs sees whatever the host's mtime says
    with open(p, "w") as f:
        f.write("three")
    c.send("\n")
    c.expect(r"content: three\nok watch\n")
    # the guest writes; the host reads it while the VM still runs
    assert c.sh("echo guest-wrote > /mnt/h/g && sync")[0] == 0
    assert open(os.path.join(share, "g")).read() == "guest-wrote\n"
    assert c.sh("dd if=/dev/zero of=/mnt/h/z bs=4k count=3 conv=fsync "
                "2>/dev/null")[0] == 0
    assert os.path.getsize(os.path.join(share, "z")) == 12288
    poweroff(c)


def test_hostfs_escapes_fail():
    top = umltest.tmpdir()
    share = os.path.join(top, "share")
    secret = os.path.join(top, "secret")
    os.makedirs(os.path.join(share, "d"))
    os.mkdir(secret)
    with open(os.path.join(secret, "passwd"), "w") as f:
        f.write("SECRET\n")
    with open(os.path.join(share, "d", "passwd"), "w") as f:
        f.write("public\n")
    os.symlink("/etc", os.path.join(share, "etc-link"))
    os.symlink(secret, os.path.join(share, "s"))
    os.symlink("../secret", os.path.join(share, "up"))
    c = mounted(share)
    # links are followed by the guest, in the guest's own tree
    st, out = c.sh("cat /mnt/h/etc-link/hostname")
    assert (st, out) == (0, "uml\n"), out
    st, out = c.sh("cat /mnt/h/up/passwd /mnt/h/s/passwd 2>&1")
    assert st != 0 and "SECRET" not in out, out
    assert c.sh("cat /mnt/h/../../passwd 2>/dev/null")[0] != 0
    # mounts outside the shared directory are refused
    for bad in (secret, share + "/../secret", share + "/up", "/etc"):
        st, out = c.sh("mount -t hostfs none /mnt -o %s 2>&1" % bad)
        assert st != 0, (bad, out)
    # a directory swapped for a link to the outside while the guest reads
    stop = threading.Event()

    def swap():
        a = os.path.join(share, "d").encode()
        b = os.path.join(share, "s").encode()
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        for _ in range(20000):
            if stop.is_set():
                break
            libc.renameat2(-100, a, -100, b, 2)   # RENAME_EXCHANGE
    t = threading.Thread(target=swap)
    t.start()
    try:
        st, out = c.sh("i=0; while [ $i -lt 300 ]; do "
                       "cat /mnt/h/d/passwd /mnt/h/s/passwd 2>/dev/null; "
                       "i=$((i+1)); done | sort | uniq -c", timeout=120)
    finally:
        stop.set()
        t.join()
    assert "public" in out and "SECRET" not in out, out
    poweroff(c)


def test_hostfs_needs_the_option():
    share = shared_dir()
    c = boot_shell()
    st, out = c.sh("mount -t hostfs none /mnt -o %s 2>&1; dmesg | tail -3"
                   % share)
    assert "boot with hostfs=DIR" in out, out
    assert c.sh("grep -c hostfs /proc/mounts")[1] == "0\n"
    poweroff(c)
    st, out = umltest.run_kernel("hostfs=/no/such/dir", "mem=64M",
                                 timeout=10)
    assert st == 2 and "hostfs=/no/such/dir" in out, out


def test_boot_from_a_host_directory():
    stage = os.path.join(TOP, "build", "rootfs-stage")
    assert os.path.isdir(stage), "no staged root tree (make root.img)"
    root = os.path.join(umltest.tmpdir(), "root")
    subprocess.run(["cp", "-a", stage, root], check=True)
    c = umltest.boot("hostfs=" + root, "rootfstype=hostfs",
                     "rootflags=" + root, image=None, mem="128M")
    st, out = c.sh("grep ' / ' /proc/mounts; echo made-in-guest > /root/x")
    assert st == 0 and "hostfs" in out, out
    poweroff(c)
    assert open(os.path.join(root, "root/x")).read() == "made-in-guest\n"


def test_hostfs_open_unlinked_file_and_o_tmpfile():
    # the attribute calls work on the open file, named or not
    share = shared_dir()
    c = mounted(share)
    st, out = c.sh("hostfs-check unlinked /mnt/h/gone")
    assert st == 0 and "ok unlinked" in out, out
    st, out = c.sh("hostfs-check tmpfile /mnt/h && stat -c '%s %a %Y' /mnt/h/linked")
    assert st == 0 and "ok tmpfile" in out, out
    assert "100000 640 1234567890" in out, out
    poweroff(c)
    assert sorted(os.listdir(share)) == ["linked"]
    s = os.stat(os.path.join(share, "linked"))
    assert (s.st_size, stat.S_IMODE(s.st_mode), int(s.st_mtime)) == \
        (100000, 0o640, 1234567890)


def test_hostfs_guest_mode_is_the_host_mode():
    # the kernel process's umask (022 here) must not cut the guest's mode
    share = shared_dir()
    old = os.umask(0o022)
    try:
        c = mounted(share)
    finally:
        os.umask(old)
    st, out = c.sh("cd /mnt/h && umask 002 && mkdir d && touch f && "
                   "mkdir -m 777 open && mknod fifo p && stat -c '%a %n' d f open")
    assert st == 0 and out.split() == ["775", "d", "664", "f", "777", "open"], out
    poweroff(c)
    modes = {n: stat.S_IMODE(os.stat(os.path.join(share, n)).st_mode)
             for n in ("d", "f", "open", "fifo")}
    assert modes == {"d": 0o775, "f": 0o664, "open": 0o777, "fifo": 0o664}, modes


SPECIALS = ("cd /mnt/h && mknod mem c 1 1 && mknod disk b 254 0 && "
            "mkfifo fifo && echo '#!/bin/sh' > suid && chmod 4755 suid && "
            "mkdir sgid && chmod 2775 sgid && touch plain")


def test_hostfs_mapped_model_keeps_devices_and_set_id_bits_off_the_host():
    share = shared_dir()
    c = mounted(share)
    st, out = c.sh(SPECIALS)
    assert st == 0, out
    want = "c 1,1 mem\nb 254,0 disk\np fifo\n-rwsr-xr-x suid\ndrwxrwsr-x sgid\n"
    check = ("cd /mnt/h && for f in mem disk; do stat -c '%A' $f | cut -c1 | "
             "tr '\\n' ' '; stat -c '%t,%T %n' $f; done | sed 's/fe,/254,/'; "
             "stat -c '%A %n' fifo | cut -c1,11-; stat -c '%A %n' suid sgid")
    st, out = c.sh(check)
    assert st == 0 and out == want, out
    # the guest's FIFO works as one
    st, out = c.sh("(echo through-fifo > /mnt/h/fifo &); cat /mnt/h/fifo")
    assert st == 0 and out == "through-fifo\n", out
    # read back from the host's attributes by a fresh mount
    st, out = c.sh("cd / && umount /mnt/h && mount -t hostfs none /mnt/h -o %s && %s"
                   % (share, check))
    assert st == 0 and out == want, out
    # chmod of a mapped device keeps it a device; dropping set-uid clears it
    st, out = c.sh("chmod 600 /mnt/h/mem && chmod u-s /mnt/h/suid && "
                   "stat -c '%A' /mnt/h/mem /mnt/h/suid")
    assert st == 0 and out.split() == ["crw-------", "-rwxr-xr-x"], out
    poweroff(c)
    # the host sees plain files and directories, no set-id bit anywhere
    for name in ("mem", "disk", "fifo", "suid", "plain"):
        s = os.lstat(os.path.join(share, name))
        assert stat.S_ISREG(s.st_mode), (name, oct(s.st_mode))
        assert not s.st_mode & 0o6000, (name, oct(s.st_mode))
    s = os.lstat(os.path.join(share, "sgid"))
    assert stat.S_ISDIR(s.st_mode) and not s.st_mode & 0o6000, oct(s.st_mode)
    x = lambda n, a: os.getxattr(os.path.join(share, n), a).decode()
    assert x("mem", "user.uml.mode") == "20600"
    assert x("mem", "user.uml.rdev") == "1:1"
    assert x("disk", "user.uml.rdev") == "254:0"
    assert x("fifo", "user.uml.mode") == "10644"
    assert x("sgid", "user.uml.mode") == "42775"
    assert "user.uml.mode" not in os.listxattr(os.path.join(share, "suid"))
    assert os.listxattr(os.path.join(share, "plain")) == []


def test_hostfs_passthrough_model_on_request():
    share = shared_dir()
    c = mounted(share, "hostfs_model=passthrough")
    st, out = c.sh("cd /mnt/h && mkfifo fifo && touch f && chmod 4755 f")
    assert st == 0, out
    poweroff(c)
    assert stat.S_ISFIFO(os.lstat(os.path.join(share, "fifo")).st_mode)
    assert os.lstat(os.path.join(share, "f")).st_mode & 0o4000
    st, out = umltest.run_kernel("hostfs_model=open", "mem=64M",
                                 timeout=30)
    assert st == 2 and "hostfs_model" in out and "passthrough" in out, out
