#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/timers: how late 1 ms sleeps end in the guest, ours (with and
# without the timer advance) vs the reference kernel vs native.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/timers/timers.py
