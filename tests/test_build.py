# SPDX-License-Identifier: GPL-2.0
"""The build and the test harness: a `make` after a build compiles nothing,
./linux is replaced atomically (a VM may be running from it), install-deps
runs once however many targets need it, and a killed VM leaves no machine
directory behind.
"""
import os
import re
import shutil
import signal
import subprocess

import umltest
from umltest import LINUX, TOP

# these tests run make themselves: after every build make check does
# beside the first tests (conftest.py)
NEEDS_BUILD = ("debian", "linux-debug", "lib")

TIMEOUT = 1800


def make(*args, timeout=1500):
    p = subprocess.run(["make", "-C", TOP] + list(args), capture_output=True,
                       text=True, timeout=timeout)
    return p.returncode, p.stdout + p.stderr


def test_make_linux_after_a_build_rebuilds_nothing():
    # make check has built ./linux (and linux-debug, tools, the images, the
    # KUnit tree with its own CC): asking again must compile and link nothing
    st, out = make("linux")
    assert st == 0, out[-3000:]
    before = os.stat(LINUX)
    st, out = make("linux")
    assert st == 0, out[-3000:]
    work = [l for l in out.splitlines()
            if re.match(r"\s+(SYNC|CC|AS|LD|AR|HOSTCC|HOSTLD)\s", l)]
    assert not work, "a second make linux rebuilt:\n" + "\n".join(work[:20])
    after = os.stat(LINUX)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # kbuild's CC is one name whatever is installed (scripts/kcc)
    cmd = open(os.path.join(TOP, "build/obj/include/config/auto.conf.cmd")).read()
    assert 'ifneq "$(CC)" "%s/scripts/kcc"' % TOP in cmd, \
        re.findall(r'ifneq "\$\(CC\)".*', cmd)


def test_kernel_is_replaced_while_a_vm_runs_from_it():
    d = umltest.tmpdir()
    kernel = os.path.join(d, "linux")
    shutil.copyfile(LINUX, kernel)
    os.chmod(kernel, 0o755)
    c = umltest.boot(kernel=kernel, mem="128M")
    newer = os.path.join(d, "newer")
    with open(LINUX, "rb") as f, open(newer, "wb") as g:
        g.write(f.read() + b"\0")
    # a plain cp would fail: "Text file busy"
    p = subprocess.run(["cp", newer, kernel], capture_output=True, text=True)
    assert p.returncode != 0 and "busy" in p.stderr, p.stderr
    p = subprocess.run([os.path.join(TOP, "scripts/install-file.sh"), newer,
                        kernel], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert open(kernel, "rb").read() == open(newer, "rb").read()
    assert sorted(os.listdir(d)) == ["linux", "newer"], os.listdir(d)
    # the running VM is untouched
    assert c.sh("echo still-here") == (0, "still-here\n")
    assert c.poweroff() == 0


def test_install_deps_runs_once_for_many_targets():
    stamp = os.path.join(umltest.tmpdir(), "deps-stamp")
    st, out = make("-n", "-j2", "DEPS=" + stamp, "build/src/.assembled",
                   "root.img", "distro")
    assert st == 0, out
    assert out.count("scripts/install-deps.sh") == 1, out


def test_killed_vm_leaves_no_machine_dir():
    umid = "umlt-kill-%d" % os.getpid()
    mdir = os.path.join(umltest.uml_dir(), umid)
    c = umltest.boot_shell("umid=" + umid)
    assert os.path.exists(os.path.join(mdir, "pid"))
    os.killpg(c.p.pid, signal.SIGKILL)
    c.p.wait()
    assert os.path.exists(mdir)         # the kernel could not remove it
    umltest.cleanup()
    assert not os.path.exists(mdir)
