# SPDX-License-Identifier: GPL-2.0
"""Execution model: a host process per guest thread, FPU state per thread.

Guest side, `uml-fpu` (rootfs/tests/uml-fpu.c) checks vector registers
across thread switches, signal handlers and fork.  Host side, the tests
look at ./linux's traced children: a 4-thread guest process is 4 host
processes sharing one address space (kcmp KCMP_VM), gone after it exits.
"""
import ctypes
import os
import signal
import struct

import pytest

import umltest
from umltest import run, skip, tmpdir, wait_for

KCMP_VM = 1
SYS_KCMP = 312          # x86_64


def _kcmp_vm(a, b):
    libc = ctypes.CDLL(None, use_errno=True)
    r = libc.syscall(SYS_KCMP, a, b, KCMP_VM, 0, 0)
    if r < 0:
        e = ctypes.get_errno()
        if e in (38, 1):        # ENOSYS, EPERM: host without kcmp
            skip("kcmp(KCMP_VM) not available: errno %d" % e)
        raise OSError(e, "kcmp %d %d" % (a, b))
    return r == 0


def _status_field(pid, name):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(name + ":"):
                    return line.split()[1]
    except OSError:
        return None
    return None


def _traced_children(kpid):
    """Host processes that are children of ./linux and traced by it."""
    return [pid for pid, f in umltest.host_procs()
            if int(f[1]) == kpid and f[0] != "Z" and
            _status_field(pid, "TracerPid") == str(kpid)]


def _vm_groups(pids):
    """Partition PIDS by shared address space."""
    groups = []
    for p in pids:
        for g in groups:
            if _kcmp_vm(g[0], p):
                g.append(p)
                break
        else:
            groups.append([p])
    return groups


def _run_ok(c, cmd, word, timeout=120):
    st, out = c.sh(cmd, timeout=timeout)
    assert st == 0 and "OK " + word in out, out
    return out


# uml-fpu's checks, each in a kernel of its own: what the guest checks
UML_FPU_CHECKS = [
    ("threads", "threads keep their own vector registers"),
    ("signal", "signal frames carry the whole xstate"),
    ("fork", "a forked child starts with its parent's FP state"),
    ("segv", "a SIGSEGV handler sees addr, cr2, trapno and the write bit"),
    ("vfork", "vfork and posix_spawn children"),
    ("mapread /root/mapped", "reading a shared mapping does not dirty it"),
]


@pytest.mark.parametrize("args", [a for a, _ in UML_FPU_CHECKS],
                         ids=[a.split()[0] for a, _ in UML_FPU_CHECKS])
def test_uml_fpu_check(args, vm):
    c = vm
    _run_ok(c, "uml-fpu " + args, args.split()[0])
    assert c.poweroff() == 0


def test_exec_from_a_multithreaded_process(vm):
    c = vm
    st, out = c.sh("uml-fpu exec", timeout=60)
    assert st == 0 and out == "exec-ok\n", out
    c.send("poweroff\n")
    assert c.wait() == 0


def _hold_4(c, flag):
    c.send("uml-fpu hold 4 %s &\n" % flag)
    c.expect(r"holding 4 threads\n", 30)
    kpid = c.p.pid
    groups = []

    def four():
        groups[:] = _vm_groups(_traced_children(kpid))
        return any(len(g) == 4 for g in groups)
    wait_for(four, timeout=10)
    big = [g for g in groups if len(g) > 1]
    assert len(big) == 1 and len(big[0]) == 4, groups
    return kpid, big[0]


def test_four_threads_are_four_host_processes_sharing_one_mm(vm):
    c = vm
    kpid, group = _hold_4(c, "/tmp/go")
    for p in group:
        # separate host processes (not host threads), each traced by us
        assert _status_field(p, "Tgid") == str(p), p
    assert c.sh("touch /tmp/go; wait") == (0, "")

    def gone():
        left = [p for p in group if p in _traced_children(kpid)]
        return len(left) <= 1
    # the first process of the address space may stay as an emptied spare
    wait_for(gone, timeout=10)
    left = [p for p in group if p in _traced_children(kpid)]
    assert len(left) <= 1, left
    assert all(len(g) == 1 for g in _vm_groups(_traced_children(kpid)))
    c.send("poweroff\n")
    assert c.wait() == 0


def test_thread_process_killed_from_outside(vm):
    c = vm
    # a clone (the newest process), then the first process of the
    # address space (the oldest): the guest process dies, nothing else
    for pick in (max, min):
        kpid, group = _hold_4(c, "/tmp/go")
        os.kill(pick(group), signal.SIGKILL)
        st, out = c.sh("wait $!; echo $?", timeout=30)
        assert "137" in out, out
        # the clones are gone (the first process may stay as a spare)
        clones = [p for p in group if p != min(group)]
        assert wait_for(lambda: not any(p in _traced_children(kpid)
                                        for p in clones), timeout=10), group
    _run_ok(c, "uml-fpu threads", "threads")
    assert all(len(g) == 1 for g in _vm_groups(_traced_children(kpid)))
    c.send("poweroff\n")
    assert c.wait() == 0


def core_xstate_by_r12(path):
    """{r12: NT_X86_XSTATE bytes} of each thread of an x86_64 ELF core."""
    data = open(path, "rb").read()
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    out, r12 = {}, None
    for k in range(phnum):
        ptype, _, off, _, _, size = struct.unpack_from(
            "<IIQQQQ", data, phoff + k * phentsize)
        if ptype != 4:                  # PT_NOTE
            continue
        pos, end = off, off + size
        while pos < end:
            namesz, descsz, ntype = struct.unpack_from("<III", data, pos)
            desc = pos + 12 + (namesz + 3) // 4 * 4
            if ntype == 1:              # NT_PRSTATUS: pr_reg at 112
                r12, = struct.unpack_from("<Q", data, desc + 112 + 3 * 8)
            elif ntype == 0x202:        # NT_X86_XSTATE
                out[r12] = data[desc:desc + descsz]
            pos = desc + (descsz + 3) // 4 * 4
    return out


def test_core_dump_has_each_threads_registers(vm):
    c = vm
    st, out = c.sh("cd /root && ulimit -c unlimited && uml-fpu core; "
                   "echo status $?; ls -l /root/core", timeout=60)
    assert "status 134" in out and "core" in out, out
    c.send("sync; poweroff\n")
    assert c.wait() == 0
    d = tmpdir()
    for src, dst in (("/root/core", "core"), ("/usr/bin/uml-fpu", "prog")):
        run(["debugfs", "-R", "dump %s %s/%s" % (src, d, dst), c.img])
    st, out = run(["gdb", "-batch", "-nx",
                   "-ex", "thread apply all p/x $r12",
                   "-ex", "thread apply all p $xmm2.v4_int32",
                   os.path.join(d, "prog"), os.path.join(d, "core")])
    # the four spinning threads, each with its own r12 and xmm2
    for i in range(4):
        assert "= 0x5a5a000%d\n" % i in out, out
        assert "= {%d, %d, %d, %d}\n" % ((i + 1,) * 4) in out, out
    # the AVX upper halves, from each thread's NT_X86_XSTATE note (read
    # here: gdb 13 cannot place AVX-512 state of every CPU's layout)
    xs = core_xstate_by_r12(os.path.join(d, "core"))
    for i in range(4):
        st = xs.get(0x5a5a0000 + i)
        assert st, xs
        # XSTATE_BV has AVX; ymm2's upper half at 576 + 2 * 16
        assert struct.unpack_from("<Q", st, 512)[0] & 4, st[512:520]
        assert struct.unpack_from("<4I", st, 576 + 32) == (i + 101,) * 4
