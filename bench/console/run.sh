#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/console: line throughput and pty echo latency, ours vs reference.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/console/console.py
