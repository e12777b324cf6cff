#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/net: network throughput and latency, ours vs the reference kernel,
# in one run, alternating (needs root: namespaces and TAP devices).
set -e
cd "$(dirname "$0")/../.."
exec nice "${PYTHON:-python3}" bench/net/net.py "$@"
