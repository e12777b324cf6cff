#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/block: disk throughput and latency in the guest, ours vs reference,
# with the host file itself as the ceiling.
set -e
cd "$(dirname "$0")/../.."
exec nice "${PYTHON:-python3}" bench/block/block.py
