#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/vdso: clock_gettime(CLOCK_MONOTONIC) in the guest, ours vs the
# reference kernel vs native.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/vdso/vdso.py
