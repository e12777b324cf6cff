#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/debug: page faults and ptrace stops in the guest, ours vs reference.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/debug/debug.py
