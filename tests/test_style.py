# SPDX-License-Identifier: GPL-2.0
"""Kernel style: scripts/checkpatch.pl of the assembled tree over our C.

Every C file and header of ours (arch/um, tools, rootfs/tests) is checked
with `checkpatch.pl --no-tree -f`; an ERROR or a WARNING fails the test
unless tests/checkpatch-allow.txt lists it as a known false positive, or it
is a warning in host code (libc side: os-Linux/, *_user.[ch],
include/shared/, tools/, rootfs/tests/) of a type that asks for a kernel
facility host code does not have (HOST_TYPES).
"""
import os
import re
import subprocess

import umltest
from umltest import TOP

CHECKPATCH = os.path.join(TOP, "build/src/scripts/checkpatch.pl")
ALLOW = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "checkpatch-allow.txt")


# warnings that ask for the kernel's macros and rules, which host programs
# and the guest test programs (plain libc C) cannot or should not follow
HOST_TYPES = {
    "PREFER_DEFINED_ATTRIBUTE_MACRO",	# __printf, __packed, __noreturn
    "ARRAY_SIZE",			# a kernel macro
    "STATIC_CONST_CHAR_ARRAY",
    "VOLATILE",				# test programs poke memory on purpose
    "EMBEDDED_FUNCTION_NAME",
    "ENOSYS",				# tests check the host's ENOSYS
    "STRCPY",
    "AVOID_EXTERNS",			# environ
    "FUNCTION_ARGUMENTS",		# confused by __attribute__ on prototypes
    "MACRO_WITH_FLOW_CONTROL",		# test programs' CHECK() macros
    "SPLIT_STRING",
    "STRING_FRAGMENTS",
}


def is_host(path):
    base = os.path.basename(path)
    return path.startswith(("arch/um/os-Linux/", "arch/um/include/shared/",
                            "tools/", "rootfs/tests/")) or \
        base.endswith(("_user.c", "_user.h"))


def our_c_files():
    out = subprocess.run(["git", "ls-files", "arch/um", "tools",
                          "rootfs/tests"], cwd=TOP, capture_output=True,
                         text=True).stdout.split()
    return [f for f in out if f.endswith((".c", ".h"))]


def test_checkpatch_finds_no_new_errors_or_warnings():
    assert os.access(CHECKPATCH, os.X_OK), \
        "the kernel tree is not assembled (make tree)"
    files = our_c_files()
    if not files:
        umltest.skip("not a git checkout")
    allowed = set()
    with open(ALLOW) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                allowed.add(line.strip())
    p = subprocess.run(["perl", CHECKPATCH, "--no-tree", "-q", "--terse",
                        "--show-types", "--no-summary", "-f"] + files, cwd=TOP,
                       capture_output=True, text=True, timeout=600)
    errors = []
    for line in p.stdout.splitlines():
        m = re.match(r"([^:]+):\d+: (ERROR|WARNING):(?:([A-Z_]+):)? ?(.*)",
                     line)
        if not m or "%s: %s" % (m.group(1), m.group(4)) in allowed:
            continue
        if m.group(2) == "WARNING" and is_host(m.group(1)) and \
                m.group(3) in HOST_TYPES:
            continue
        errors.append(line)
    assert not errors, ("checkpatch errors and warnings (fix them, or list a"
                        " false positive in tests/checkpatch-allow.txt):\n"
                        + "\n".join(errors))


# ---- who calls whom, file by file ----

DEF_RX = re.compile(r"^[A-Za-z_][\w \t*]*?\b([A-Za-z_]\w*)\(", re.M)
CALL_RX = re.compile(r"\b([A-Za-z_]\w*)\s*\(")


def _code(path):
    with open(os.path.join(TOP, path)) as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def definitions(path):
    """The functions @path defines (not static ones when @exported)."""
    code, names = _code(path), {}
    for m in DEF_RX.finditer(code):
        rest = code[m.end():]
        brace, semi = rest.find("{"), rest.find(";")
        if brace >= 0 and (semi < 0 or brace < semi):
            line = code[m.start():m.end()]
            names[m.group(1)] = line.lstrip().startswith("static")
    return names


def calls(path):
    return set(CALL_RX.findall(_code(path)))


def file_graph(files):
    """{file: {files whose non-static functions it calls}}."""
    owner = {}
    for f in files:
        for name, static in definitions(f).items():
            if not static:
                owner[name] = f
    return {f: {owner[c] for c in calls(f) if owner.get(c, f) != f}
            for f in files}


def cycle(graph):
    """A circle in @graph as a list of files, or None."""
    state = {}

    def visit(n, path):
        state[n] = 1
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if not state.get(m):
                c = visit(m, path + [m])
                if c:
                    return c
        state[n] = 2
        return None
    for n in sorted(graph):
        if not state.get(n):
            c = visit(n, [n])
            if c:
                return c
    return None


def tracked(*dirs):
    out = subprocess.run(["git", "ls-files", "--cached", "--others",
                          "--exclude-standard"] + list(dirs), cwd=TOP,
                         capture_output=True, text=True).stdout.split()
    return [f for f in out if f.endswith(".c")]


def test_channel_files_call_each_other_one_way():
    """No circle of calls among drivers/chan/ (docs/design.md)."""
    graph = file_graph(tracked("arch/um/drivers/chan"))
    assert len(graph) >= 5, graph
    assert cycle(graph) is None, "circle: " + " -> ".join(cycle(graph))
    # the line asks the channel through chan_user.c, never a kind's file
    line = "arch/um/drivers/chan/line.c"
    kinds = {f for f in graph if f.endswith("_user.c") and
             not f.endswith(("/chan_user.c", "/chan_io_user.c"))}
    assert not graph[line] & kinds, graph[line]


def test_core_calls_no_driver():
    """kernel/ and os-Linux/ call no function a driver defines."""
    drivers = set()
    for f in tracked("arch/um/drivers", "arch/um/fs"):
        drivers |= {n for n, static in definitions(f).items() if not static}
    for f in tracked("arch/um/kernel", "arch/um/os-Linux"):
        named = calls(f) & drivers
        assert not named, "%s calls %s of a driver" % (f, sorted(named))
