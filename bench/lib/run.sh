#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/lib: copying a tree into a fresh ext4 image, uml-cp (liblinux) vs
# fuse2fs, e2tools and a loop mount; and the library's start-up time.
set -e
cd "$(dirname "$0")/../.."
if [ ! -x tools/uml-cp/uml-cp ] || [ ! -f liblinux.a ]; then
	echo "bench/lib: skipped: run make lib first (liblinux.a, tools/uml-cp)"
	exit 0
fi
exec "${PYTHON:-python3}" bench/lib/lib.py "$@"
