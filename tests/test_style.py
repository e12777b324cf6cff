# SPDX-License-Identifier: GPL-2.0
"""Kernel style: scripts/checkpatch.pl of the assembled tree over our C.

Every C file and header of ours (arch/um, include, tools, rootfs/tests) is
checked with `checkpatch.pl --no-tree -f`; an ERROR fails the test unless
tests/checkpatch-allow.txt lists it as a known false positive.
"""
import os
import re
import subprocess

import umltest
from umltest import TOP

CHECKPATCH = os.path.join(TOP, "build/src/scripts/checkpatch.pl")
ALLOW = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     "checkpatch-allow.txt")


def our_c_files():
    out = subprocess.run(["git", "ls-files", "arch/um", "include", "tools",
                          "rootfs/tests"], cwd=TOP, capture_output=True,
                         text=True).stdout.split()
    return [f for f in out if f.endswith((".c", ".h"))]


def test_checkpatch_finds_no_new_errors():
    if not os.access(CHECKPATCH, os.X_OK):
        umltest.skip("the kernel tree is not assembled (make tree)")
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
        m = re.match(r"([^:]+):\d+: ERROR:(?:[A-Z_]+:)? ?(.*)", line)
        if m and "%s: %s" % (m.group(1), m.group(2)) not in allowed:
            errors.append(line)
    assert not errors, "checkpatch errors:\n" + "\n".join(errors)
