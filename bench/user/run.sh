#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/user: system calls and process creation in the guest, ours vs reference.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/user/user.py
