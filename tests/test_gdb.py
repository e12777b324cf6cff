# SPDX-License-Identifier: GPL-2.0
"""gdb on the kernel: the debug build (make linux-debug, build/obj-debug)
under gdb in batch mode, with scripts/uml.gdb (signals passed quietly, the kernel's lx-
helpers loaded), stopping in a system call made by a guest program.
"""
import os
import re
import select
import shutil
import subprocess
import time

import umltest
from umltest import TOP

# make check builds it beside the first tests (conftest.py): the debug kernel
NEEDS_BUILD = ("linux-debug",)

TIMEOUT = 300
GDB_LINUX = os.path.join(TOP, "build/obj-debug/linux")




def test_gdb_breaks_in_a_guest_system_call_and_lists_tasks():
    assert shutil.which("gdb"), "gdb is not installed " \
        "(scripts/install-deps.sh)"
    assert os.access(GDB_LINUX, os.X_OK) and os.path.exists(
        os.path.join(os.path.dirname(GDB_LINUX), "vmlinux-gdb.py")), \
        "no debug build with gdb helpers (make linux-debug)"
    img = umltest.copy_image()
    script = os.path.join(umltest.tmpdir(), "session.gdb")
    with open(script, "w") as f:
        f.write("set confirm off\n"
                "break ksys_sync\n"
                "run\n"
                "bt\n"
                "echo ==lx-ps==\\n\n"
                "lx-ps\n"
                "echo ==lx-dmesg==\\n\n"
                "lx-dmesg\n"
                "echo ==lx_current==\\n\n"
                "p $lx_current()->comm\n"
                "echo ==end==\\n\n"
                "kill\n")
    p = umltest.spawn(["gdb", "-q", "-batch", "-nx",
                       "-iex", "add-auto-load-safe-path " + TOP,
                       "-x", os.path.join(TOP, "scripts/uml.gdb"),
                       "-x", script, "--args", GDB_LINUX,
                       "ubd0=" + img, "mem=128M",
                       # gdb's kill is a SIGKILL: the kernel cannot remove
                       # its machine directory, so it goes in a scratch one
                       "uml_dir=" + umltest.tmpdir()],
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                      stderr=subprocess.STDOUT)
    os.set_blocking(p.stdout.fileno(), False)
    out = b""
    end = time.monotonic() + 120
    while time.monotonic() < end and b"==end==" not in out:
        # the guest shell runs `sync` once it reads its console
        if b"Breakpoint 1," not in out:
            try:
                p.stdin.write(b"sync\n")
                p.stdin.flush()
            except BrokenPipeError:
                break
        select.select([p.stdout], [], [], 0.5)
        try:
            out += p.stdout.read() or b""
        except BlockingIOError:
            pass
        if p.poll() is not None:
            out += p.stdout.read() or b""
            break
    text = out.decode(errors="replace")
    assert "Breakpoint 1, ksys_sync" in text, text[-4000:]
    bt = text.split("Breakpoint 1,")[1].split("==lx-ps==")[0]
    assert "uml_syscall" in bt and "#1" in bt, bt
    ps = text.split("==lx-ps==")[1].split("==lx-dmesg==")[0]
    assert " init" in ps or "\tinit" in ps, ps
    # the guest's shell (busybox) and the sync it ran
    assert re.search(r"\s(sh|busybox)\n", ps) and re.search(r"\ssync\n", ps), ps
    dmesg = text.split("==lx-dmesg==")[1].split("==lx_current==")[0]
    assert "Linux version 6.12" in dmesg, dmesg[:2000]
    # $lx_current() is the task that made the system call
    cur = text.split("==lx_current==")[1].split("==end==")[0]
    assert re.search(r'= "sync[\\"]', cur), cur
