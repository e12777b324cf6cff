# SPDX-License-Identifier: GPL-2.0
"""The kernel as a library (make lib): the C API and the tools on it.

tests/lib/api_test.c drives arch/um/include/shared/liblinux.h on ext4 images that
mke2fs makes; the host's e2fsck and debugfs check what the kernel wrote.
uml-cp is checked with diff -r and the metadata of both sides, and with
bad input (missing files, corrupt, truncated, full images, wrong types).
"""
import os
import re
import shutil
import stat
import subprocess

import pytest

import umltest
from umltest import TOP

# make check builds it beside the first tests (conftest.py): the library
# and its tools
NEEDS_BUILD = ("lib",)

TIMEOUT = 300
LIBA = os.path.join(TOP, "liblinux.a")
UML_CP = os.path.join(TOP, "tools", "uml-cp", "uml-cp")


LIBSO = os.path.join(TOP, "liblinux.so.1")


def api_test(shared=False):
    """tests/lib/api_test built against liblinux.a, or as a PIE program
    against liblinux.so.1 (once per run)."""
    exe = os.path.join(TOP, "build", "api_test" + ("-so" if shared else ""))
    src = os.path.join(TOP, "tests", "lib", "api_test.c")
    lib = LIBSO if shared else LIBA
    if not os.path.exists(exe) or \
            os.path.getmtime(exe) < max(os.path.getmtime(src),
                                        os.path.getmtime(lib)):
        tmp = "%s.%d" % (exe, os.getpid())     # parallel workers
        link = ["-pie", "-L", TOP, "-l:liblinux.so.1",
                "-Wl,-rpath," + TOP] if shared else ["-no-pie", LIBA]
        subprocess.run(["gcc", "-O2", "-Wall", "-I",
                        os.path.join(TOP, "arch/um/include/shared"), "-o", tmp,
                        src] + link + ["-lpthread"], check=True)
        os.replace(tmp, exe)
    return exe


def ext4_image(size="64M", src=None):
    img = os.path.join(umltest.tmpdir(), "disk.img")
    argv = ["mke2fs", "-q", "-F", "-t", "ext4"]
    if src:
        argv += ["-d", src]
    subprocess.run(argv + [img, size], check=True)
    return img


def run_api(mode, img, *more, shared=False):
    r = subprocess.run([api_test(shared), mode, img] + list(more),
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "OK stopped" in r.stdout, \
        r.stdout + r.stderr
    return r.stdout


def e2fsck_clean(img):
    r = subprocess.run(["e2fsck", "-fn", img], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def debugfs(img, cmd):
    return subprocess.run(["debugfs", "-R", cmd, img], capture_output=True,
                          text=True, check=True).stdout


def test_lib_api_makes_a_tree_e2fsck_and_debugfs_agree():
    img = ext4_image()
    out = run_api("write", img)
    assert "OK write" in out
    e2fsck_clean(img)
    assert debugfs(img, "cat /tree/hello.txt") == "hello, world\n"
    assert debugfs(img, "cat /tree/sub/secret") == "only me\n"
    assert debugfs(img, "cat /tree/new-name") == "renamed\n"
    modes = {"/tree/hello.txt": "100644", "/tree/sub/secret": "100600",
             "/tree/run.sh": "100755", "/tree/new-name": "100640",
             "/tree/sub": "40700"}
    for path, mode in modes.items():
        st = debugfs(img, "stat " + path)
        assert re.search(r"Mode:\s+0?%s\b" % mode[-4:], st) or \
            ("Mode:  0%s" % mode[-4:]) in st, (path, st)
    ls = debugfs(img, "ls -l /tree")
    for name in ("hello.txt", "sub", "run.sh", "new-name", "link", "hard",
                 "big"):
        assert name in ls, ls
    assert "gone" not in ls and "old-name" not in ls
    assert "hello.txt" in debugfs(img, "stat /tree/link")
    big = debugfs(img, "cat /tree/big")
    assert len(big) == 100000 and big[:26] == "abcdefghijklmnopqrstuvwxyz"
    # and the library reads back what it wrote
    assert "OK read" in run_api("read", img)
    assert "OK read" in run_api("fdread", img)
    e2fsck_clean(img)


def test_lib_many_threads_call_at_once():
    img = ext4_image()
    assert "OK threads" in run_api("threads", img)
    e2fsck_clean(img)
    ls = debugfs(img, "ls /t7")
    assert "f98" in ls and "f99" not in ls


def test_lib_bad_pointer_is_efault_and_app_signals_still_work():
    img = ext4_image()
    assert "OK badptr" in run_api("badptr", img)
    assert "OK signals" in run_api("signals", img)
    e2fsck_clean(img)


def test_lib_socket_calls_unix_and_tcp_inside_the_kernel():
    img = ext4_image()
    assert "OK socket" in run_api("socket", img)


def test_lib_starts_quickly_to_a_mounted_filesystem():
    img = ext4_image()
    times = []
    for _ in range(3):
        out = run_api("badptr", img)
        times.append(float(re.search(r"start-ms ([\d.]+)", out).group(1)))
    print("start-up times (ms):", times)
    # the goal (20 ms) is for an idle machine: bench/lib measures it; the
    # test only catches a start that waits for something (a timeout)
    assert min(times) < 1000, times


def test_lib_start_measures_no_tsc_and_forks_no_probe():
    """The library's start leaves out what only guests use and what made
    it wait: the TSC clocksource (its rate was measured over 50 ms of
    sleeps) and the debug-register probe (a forked, traced child).  strace
    sees every process the start makes: threads only."""
    img = ext4_image()
    log = os.path.join(umltest.tmpdir(), "strace.log")
    r = subprocess.run(["strace", "-f", "-o", log, "-e",
                        "trace=clone,clone3,fork,vfork", api_test(), "clock",
                        img], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, LIBLINUX_VERBOSE="1"))
    assert r.returncode == 0 and "OK stopped" in r.stdout, \
        r.stdout + r.stderr
    assert "clocksource host-monotonic" in r.stdout, r.stdout
    # the kernel's log (verbose: on stderr) has the start's messages...
    assert "Run /init as init process" in r.stderr, r.stderr
    # ...and none of the measurement or the probe
    assert "host TSC" not in r.stderr and "clocksource tsc" not in r.stderr
    assert "debug registers" not in r.stderr, r.stderr
    calls = [line for line in open(log) if re.search(r"\b(clone3?|v?fork)\(",
                                                     line)]
    assert calls, "strace saw no thread start at all"
    for line in calls:
        assert "CLONE_THREAD" in line, "a process, not a thread: " + line


def test_lib_shared_library_exports_only_the_api_and_runs():
    r = subprocess.run(["readelf", "-d", "-W", LIBSO], capture_output=True,
                       text=True, check=True)
    assert "Library soname: [liblinux.so.1]" in r.stdout, r.stdout
    assert "TEXTREL" not in r.stdout, r.stdout
    dyn = subprocess.run(["nm", "-D", "--defined-only", LIBSO],
                         capture_output=True, text=True, check=True).stdout
    names = [ln.split()[-1] for ln in dyn.splitlines() if ln.split()[1] != "A"]
    api = set(re.findall(r"\b(liblinux_[a-z0-9_]+)\(", open(
        os.path.join(TOP, "arch/um/include/shared/liblinux.h")).read()))
    assert names and all(n.split("@")[0] in api for n in names), names
    assert {n.split("@")[0] for n in names} == api
    # a position-independent program on the shared library: the same
    # tree as with liblinux.a, checked by e2fsck and read back
    img = ext4_image()
    assert "OK write" in run_api("write", img, shared=True)
    e2fsck_clean(img)
    assert debugfs(img, "cat /tree/hello.txt") == "hello, world\n"
    assert "OK read" in run_api("read", img, shared=True)
    assert "OK threads" in run_api("threads", img, shared=True)
    e2fsck_clean(img)


def nm_symbols(path):
    """name -> set of addresses of the text symbols of an ELF file"""
    out = subprocess.run(["nm", path], capture_output=True, text=True,
                         check=True).stdout
    syms = {}
    for ln in out.splitlines():
        f = ln.split()
        if len(f) == 3 and f[1] in "tT":
            syms.setdefault(f[2], set()).add(int(f[0], 16))
    return syms


@pytest.mark.parametrize("shared", [False, True], ids=["static", "shared"])
def test_lib_kernel_symbols_are_where_the_link_put_them(shared):
    """/proc/kallsyms (what backtraces print) agrees with the program's
    own symbol table, init text included."""
    img = ext4_image()
    ks = os.path.join(umltest.tmpdir(), "kallsyms")
    out = run_api("kallsyms", img, ks, shared=shared)
    where = int(re.search(r"liblinux_stop ([0-9a-f]+)", out).group(1), 16)
    syms = nm_symbols(LIBSO if shared else api_test(False))
    bias = where - min(syms["liblinux_stop"])
    checked = wrong = 0
    bad = []
    with open(ks) as f:
        for ln in f:
            addr, kind, name = ln.split()[:3]
            if kind not in "tT" or name not in syms:
                continue
            checked += 1
            if int(addr, 16) - bias not in syms[name]:
                wrong += 1
                bad.append(ln.strip())
    assert checked > 10000, checked
    assert wrong == 0, (wrong, checked, bad[:10])
    # init text too (start_kernel runs once, at boot)
    assert "start_kernel" in open(ks).read()


def test_lib_disk_hotplug_through_the_api():
    img = ext4_image()
    img2 = os.path.join(umltest.tmpdir(), "second.img")
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", img2, "32M"],
                   check=True)
    assert "OK hotplug" in run_api("hotplug", img, img2)
    e2fsck_clean(img2)
    assert debugfs(img2, "cat /plugged") == "plugged in\n"
    assert "new" not in debugfs(img2, "ls /")
    e2fsck_clean(img)


def test_lib_network_stack_over_a_tap_both_ways():
    """The library's kernel, eth0 added at run time on a TAP in a network
    namespace the test makes: a host client reaches a TCP server in the
    kernel, and the kernel connects out to a host server."""
    if os.geteuid() != 0:
        umltest.skip("needs root (network namespaces, TAP devices)")
    ns = "umllib%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    inns = ["ip", "netns", "exec", ns]
    procs = []
    try:
        subprocess.run(inns + ["sh", "-c",
                               "ip link set lo up && "
                               "ip tuntap add dev libtap0 mode tap && "
                               "ip addr add 10.77.0.1/24 dev libtap0 && "
                               "ip link set libtap0 up"], check=True)
        listener = subprocess.Popen(inns + [
            "python3", "-c",
            "import socket\n"
            "s = socket.create_server(('10.77.0.1', 7778))\n"
            "s.settimeout(60)\n"
            "print('ready', flush=True)\n"
            "c, _ = s.accept()\n"
            "c.settimeout(30)\n"
            "print(c.makefile().readline(), end='', flush=True)\n"],
            stdout=subprocess.PIPE, text=True)
        procs.append(listener)
        assert listener.stdout.readline() == "ready\n"
        img = ext4_image()
        app = subprocess.Popen(inns + [api_test(), "net", img, "libtap0"],
                               stdout=subprocess.PIPE, text=True)
        procs.append(app)
        lines = []
        for line in app.stdout:
            lines.append(line)
            if line == "listening\n" or line.startswith("FAIL"):
                break
        assert lines[-1] == "listening\n", lines
        client = subprocess.run(inns + [
            "python3", "-c",
            "import socket\n"
            "c = socket.create_connection(('10.77.0.2', 7777), timeout=30)\n"
            "c.sendall(b'hello kernel\\n')\n"
            "print(c.makefile().readline(), end='')\n"],
            capture_output=True, text=True, timeout=60)
        assert client.stdout == "kernel got: hello kernel\n", \
            client.stdout + client.stderr
        out, _ = listener.communicate(timeout=60)
        assert out == "hello from the library's kernel\n", out
        rest, _ = app.communicate(timeout=60)
        assert app.returncode == 0 and "OK net" in rest and \
            "OK stopped" in rest, "".join(lines) + rest
        e2fsck_clean(img)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


# --- uml-cp ---------------------------------------------------------------

def uml_cp(*args, ok=True):
    r = subprocess.run([UML_CP] + list(args), capture_output=True,
                       text=True, timeout=120)
    if ok:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def make_source(root, unix=True):
    """A tree with modes, owners, times, links and attributes to keep."""
    src = os.path.join(root, "src")
    os.makedirs(os.path.join(src, "dir", "deeper"))
    files = {"a.txt": (b"alpha\n", 0o644), "dir/b.bin": (os.urandom(70000),
             0o600), "dir/deeper/c.sh": (b"#!/bin/sh\n", 0o755),
             "empty": (b"", 0o640)}
    for name, (data, mode) in files.items():
        p = os.path.join(src, name)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, mode)
    os.chmod(os.path.join(src, "dir"), 0o750)
    if unix:
        os.symlink("a.txt", os.path.join(src, "link"))
        os.symlink("/no/such/target", os.path.join(src, "dangling"))
        os.link(os.path.join(src, "a.txt"), os.path.join(src, "dir", "hard"))
        os.chown(os.path.join(src, "dir", "b.bin"), 1234, 5678)
        os.lchown(os.path.join(src, "link"), 4321, 8765)
        os.setxattr(os.path.join(src, "a.txt"), "user.colour", b"blue")
        os.setxattr(os.path.join(src, "dir"), "user.kind", b"directory")
    for dirpath, dirnames, filenames in os.walk(src, topdown=False):
        for n in filenames + dirnames:
            os.utime(os.path.join(dirpath, n), (1000000000, 1234567890),
                     follow_symlinks=False)
    os.utime(src, (1000000000, 1234567890))
    return src


def same_tree(a, b, unix=True, times=True):
    r = subprocess.run(["diff", "-r", "--no-dereference", a, b],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    for dirpath, dirnames, filenames in os.walk(a):
        for n in filenames + dirnames:
            pa = os.path.join(dirpath, n)
            pb = os.path.join(b, os.path.relpath(pa, a))
            sa, sb = os.lstat(pa), os.lstat(pb)
            assert stat.S_IFMT(sa.st_mode) == stat.S_IFMT(sb.st_mode), pb
            if not unix:
                continue
            assert sa.st_mode == sb.st_mode, (pb, oct(sb.st_mode))
            assert (sa.st_uid, sa.st_gid) == (sb.st_uid, sb.st_gid), pb
            if times:
                assert int(sa.st_mtime) == int(sb.st_mtime), pb
            xa = os.listxattr(pa, follow_symlinks=False)
            xb = os.listxattr(pb, follow_symlinks=False)
            assert sorted(xa) == sorted(xb), pb
            for x in xa:
                assert os.getxattr(pa, x, follow_symlinks=False) == \
                    os.getxattr(pb, x, follow_symlinks=False)
    if unix:
        assert os.lstat(os.path.join(b, "a.txt")).st_ino == \
            os.lstat(os.path.join(b, "dir", "hard")).st_ino


def test_uml_cp_into_and_out_of_ext4_keeps_everything():
    root = umltest.tmpdir()
    src = make_source(root)
    img = ext4_image()
    uml_cp("-r", "-p", src, img + ":/")
    e2fsck_clean(img)
    st = debugfs(img, "stat /src/dir/b.bin")
    assert re.search(r"User:\s+1234\s+Group:\s+5678", st), st
    assert "Fast link dest: \"a.txt\"" in debugfs(img, "stat /src/link") \
        or "a.txt" in debugfs(img, "stat /src/link")
    assert debugfs(img, "cat /src/a.txt") == "alpha\n"
    out = os.path.join(root, "out")
    os.mkdir(out)
    uml_cp("-r", "-p", img + ":/src", out)
    same_tree(src, os.path.join(out, "src"))
    # a single file in and out under a new name, without -p
    uml_cp(os.path.join(src, "a.txt"), img + ":/renamed")
    uml_cp(img + ":/renamed", os.path.join(root, "back"))
    with open(os.path.join(root, "back"), "rb") as f:
        assert f.read() == b"alpha\n"
    e2fsck_clean(img)


def test_uml_cp_into_and_out_of_vfat():
    root = umltest.tmpdir()
    src = make_source(root, unix=False)
    img = os.path.join(root, "fat.img")
    subprocess.run(["mkfs.vfat", "-C", img, "16384"], check=True,
                   capture_output=True)
    uml_cp("-r", src, img + ":/")
    subprocess.run(["fsck.vfat", "-n", img], check=True, capture_output=True)
    listing = subprocess.run(["mdir", "-i", img, "::/src/dir"],
                             capture_output=True, text=True).stdout
    assert "b" in listing.lower()
    out = os.path.join(root, "out")
    os.mkdir(out)
    uml_cp("-r", img + ":/src", out)
    same_tree(src, os.path.join(out, "src"), unix=False)


def md5(path):
    return subprocess.run(["md5sum", path], capture_output=True, text=True,
                          check=True).stdout.split()[0]


def test_uml_cp_bad_input_is_a_clear_error_and_leaves_the_image():
    root = umltest.tmpdir()
    img = ext4_image("16M")
    before = md5(img)
    r = uml_cp(os.path.join(root, "nosuch"), img + ":/", ok=False)
    assert r.returncode == 1 and "nosuch" in r.stderr, r.stderr
    r = uml_cp("-t", "vfat", "/etc/hostname", img + ":/", ok=False)
    assert r.returncode == 2 and "cannot mount it as vfat" in r.stderr, \
        r.stderr
    r = uml_cp("-z", "/etc/hostname", img + ":/", ok=False)
    assert r.returncode == 2 and "-- 'z'" in r.stderr, r.stderr
    r = uml_cp(img + ":/nosuch", os.path.join(root, "x"), ok=False)
    assert r.returncode == 1 and "nosuch" in r.stderr, r.stderr
    assert md5(img) == before

    junk = os.path.join(root, "junk.img")
    with open(junk, "wb") as f:
        f.write(os.urandom(4 << 20))
    before = md5(junk)
    r = uml_cp("/etc/hostname", junk + ":/", ok=False)
    assert r.returncode == 2 and "no filesystem found" in r.stderr, r.stderr
    r = uml_cp("-t", "ext4", "/etc/hostname", junk + ":/", ok=False)
    assert r.returncode == 2 and "cannot mount" in r.stderr, r.stderr
    assert md5(junk) == before

    cut = os.path.join(root, "cut.img")
    shutil.copy(img, cut)
    os.truncate(cut, 4 << 20)
    before = md5(cut)
    r = uml_cp("/etc/hostname", cut + ":/", ok=False)
    assert r.returncode == 2 and "cannot mount" in r.stderr, r.stderr
    assert md5(cut) == before


def test_uml_cp_full_image_names_the_file_and_stays_clean():
    root = umltest.tmpdir()
    img = ext4_image("8M")
    big = os.path.join(root, "big")
    with open(big, "wb") as f:
        f.write(os.urandom(20 << 20))
    r = uml_cp(big, img + ":/big", ok=False)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "big" in r.stderr and "No space left on device" in r.stderr, \
        r.stderr
    e2fsck_clean(img)


# --- uml-fuse -------------------------------------------------------------

UML_FUSE = os.path.join(TOP, "tools", "uml-fuse", "uml-fuse")


def test_uml_fuse_mount_cp_mv_rm_git_then_e2fsck():
    root = umltest.tmpdir()
    img = ext4_image()
    mnt = os.path.join(root, "mnt")
    os.mkdir(mnt)
    p = subprocess.Popen([UML_FUSE, "-f", img, mnt], stderr=subprocess.PIPE,
                         text=True)
    try:
        assert umltest.wait_for(lambda: os.path.ismount(mnt), timeout=30), \
            "not mounted"

        def sh(cmd):
            r = subprocess.run(cmd, shell=True, cwd=mnt, capture_output=True,
                               text=True, timeout=60)
            assert r.returncode == 0, cmd + ": " + r.stdout + r.stderr
            return r.stdout
        sh("cp /etc/services copy && mkdir -p d/e && mv copy d/e/moved")
        sh("cmp /etc/services d/e/moved")
        sh("echo temp > gone && rm gone && test ! -e gone")
        ls = sh("ls -l d/e")
        assert "moved" in ls and "-rw-" in ls, ls
        sh("git init -q repo && cd repo && echo hi > f && git add f && "
           "git -c user.name=t -c user.email=t@t commit -qm first && "
           "git log --oneline | grep -q first && git fsck")
    finally:
        subprocess.run(["fusermount3", "-u", mnt])
        try:
            p.wait(timeout=60)
        finally:
            if p.poll() is None:
                p.kill()
    assert p.returncode == 0, p.stderr.read()
    e2fsck_clean(img)
    assert "moved" in debugfs(img, "ls /d/e")
    assert "HEAD" in debugfs(img, "ls /repo/.git")


# --- the example: data in a kernel tmpfs, exported over TCP ----------------

MEMSTORE = os.path.join(TOP, "tools", "liblinux-example", "memstore")


def test_memstore_example_keeps_data_in_kernel_tmpfs_and_serves_it():
    import socket
    import random
    port = random.randint(20000, 40000)
    p = subprocess.Popen([MEMSTORE, "-p", str(port)], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    try:
        assert "listening" in p.stdout.readline()
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        f = s.makefile("rwb")
        blob = os.urandom(200000)
        f.write(b"PUT blob %d\n" % len(blob) + blob)
        f.write(b"PUT note 5\nhello")
        f.flush()
        assert f.readline() == b"OK\n" and f.readline() == b"OK\n"
        f.write(b"GET blob\n")
        f.flush()
        assert f.readline() == b"OK %d\n" % len(blob)
        assert f.read(len(blob)) == blob
        f.write(b"LIST\n")
        f.flush()
        assert f.readline() == b"OK 2\n"
        names = sorted([f.readline(), f.readline()])
        assert names == [b"blob 200000\n", b"note 5\n"], names
        f.write(b"DEL note\nGET note\n")
        f.flush()
        assert f.readline() == b"OK\n"
        assert f.readline().startswith(b"ERR")
        s.close()
    finally:
        p.send_signal(2)
        out, err = p.communicate(timeout=30)
    assert p.returncode == 0 and "stopped" in out, out + err


def test_uml_cp_into_and_out_of_xfs():
    root = umltest.tmpdir()
    src = make_source(root)
    img = os.path.join(root, "xfs.img")
    with open(img, "wb") as f:
        f.truncate(320 << 20)
    subprocess.run(["mkfs.xfs", "-q", img], check=True)
    uml_cp("-r", "-p", src, img + ":/")
    r = subprocess.run(["xfs_repair", "-n", "-f", img], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    out = os.path.join(root, "out")
    os.mkdir(out)
    uml_cp("-r", "-p", img + ":/src", out)
    same_tree(src, os.path.join(out, "src"))


def test_uml_fuse_background_and_bad_input():
    root = umltest.tmpdir()
    img = ext4_image()
    mnt = os.path.join(root, "mnt")
    os.mkdir(mnt)
    r = subprocess.run([UML_FUSE, "-t", "vfat", img, mnt],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "cannot mount it as vfat" in r.stderr, \
        r.stderr
    assert not os.path.ismount(mnt)
    r = subprocess.run([UML_FUSE, "-q", img, mnt], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "'-q'" in r.stderr, r.stderr
    # without -f: back when mounted, gone after the unmount, image clean
    r = subprocess.run([UML_FUSE, img, mnt], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and os.path.ismount(mnt), r.stderr
    with open(os.path.join(mnt, "x"), "w") as f:
        f.write("hello\n")
    subprocess.run(["fusermount3", "-u", mnt], check=True)
    assert umltest.wait_for(lambda: subprocess.run(
        ["pgrep", "-f", "uml-fuse " + img], capture_output=True).returncode,
        timeout=30), "uml-fuse still running"
    e2fsck_clean(img)
    assert debugfs(img, "cat /x") == "hello\n"


def test_uml_cp_into_and_out_of_btrfs():
    root = umltest.tmpdir()
    src = make_source(root)
    img = os.path.join(root, "btrfs.img")
    with open(img, "wb") as f:
        f.truncate(160 << 20)
    subprocess.run(["mkfs.btrfs", "-q", img], check=True)
    uml_cp("-r", "-p", src, img + ":/")
    r = subprocess.run(["btrfs", "check", "--readonly", img],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    out = os.path.join(root, "out")
    os.mkdir(out)
    uml_cp("-r", "-p", img + ":/src", out)
    same_tree(src, os.path.join(out, "src"))
