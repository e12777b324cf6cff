#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench/debug: what guest debugging and faults cost, our ./linux beside the
reference kernel in one run (bench/user's machinery, other workloads).

  faults   uml-selftest mem: 64 MiB of anonymous memory touched, 16384
           page faults, each through the stub's SIGSEGV handler on ours
  ptrace   ptrace-test bench: a guest tracer stops a child at the entry
           and exit of 5000 system calls (PTRACE_SYSCALL)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "user"))
import user  # noqa: E402

user.SHELL_WORKLOADS = [
    ("faults", "uml-selftest mem >/dev/null",
     "16384 first-touch page faults (64 MiB)"),
    ("ptrace", "ptrace-test bench 5000",
     "5000 traced system calls, 10000 ptrace stops"),
]

if __name__ == "__main__":
    sys.exit(user.main())
