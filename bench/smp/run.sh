#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/smp: our kernel with ncpus=2 (and a base kernel, BASE) against
# ncpus=1, single-thread guest work; see bench/smp/smp.py.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/smp/smp.py
