#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/boot/run.sh: boot time to "VFS: Mounted root" and PSS of an idle VM,
# our ./linux beside the reference kernel (see boot.py for the method).
# Environment (all optional):
#   OURS=./linux  REF=build/ref-obj/linux  IMG=root.img  ROUNDS=5  IDLE=3
#   ASLR=both (on: as users run it; off: setarch -R; both)
#   OURS_ARGS / REF_ARGS: extra command-line arguments per kernel
#     (default for both: "con=null con0=fd:0,fd:1")
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
args="con=null con0=fd:0,fd:1"
exec "${PYTHON:-python3}" bench/boot/boot.py \
	--ours "${OURS:-./linux}" --ref "${REF:-build/ref-obj/linux}" \
	--img "${IMG:-root.img}" --rounds "${ROUNDS:-5}" --idle "${IDLE:-3}" --aslr "${ASLR:-both}" \
	--ours-args "${OURS_ARGS-$args}" --ref-args "${REF_ARGS-$args}" \
	--out build/bench/boot
