#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/hostfs: a build-like workload on hostfs and on ubd, ours vs reference.
set -e
cd "$(dirname "$0")/../.."
exec "${PYTHON:-python3}" bench/hostfs/hostfs.py
