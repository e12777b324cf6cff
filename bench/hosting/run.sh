#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/hosting/run.sh: host memory of a machine whose guest writes 1 GiB
# to a tmpfs and removes it, over time, ours beside the reference kernel;
# with NET=1 (root) also the throughput cost of the rate limit's
# accounting (see hosting.py).
# Environment (all optional):
#   OURS=./linux  REF=build/ref-obj/linux (else /usr/bin/linux.uml)
#   IMG=root.img  SECS=15 (sampling after the free)  NET=1  MEM=0  ROUNDS=3
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
exec "${PYTHON:-python3}" bench/hosting/hosting.py
