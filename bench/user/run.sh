#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/user: system calls and process creation in the guest, ours vs
# reference; then the host's floor for a ptrace-emulated system call.
set -e
cd "$(dirname "$0")/../.."
"${PYTHON:-python3}" bench/user/user.py
if command -v "${CC:-gcc}" >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	"${CC:-gcc}" -O2 -o "$tmp/ptrace-floor" bench/user/ptrace-floor.c
	"$tmp/ptrace-floor"
	rm -rf "$tmp"
fi
