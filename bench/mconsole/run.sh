#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/mconsole/run.sh: round-trip time of the mconsole "version" request,
# our ./linux beside the reference kernel, in one run (see mcbench.py).
# Environment (all optional):
#   OURS=./linux  REF=build/ref-obj/linux  IMG=root.img
#   N=2000 (requests per round)  ROUNDS=5
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
exec "${PYTHON:-python3}" bench/mconsole/mcbench.py \
	--ours "${OURS:-./linux}" --ref "${REF:-build/ref-obj/linux}" \
	--img "${IMG:-root.img}" -n "${N:-2000}" --rounds "${ROUNDS:-5}"
