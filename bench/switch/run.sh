#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Switch benchmark: our uml_switch against the classic one, in one run.
# Without arguments, three runs: 64- and 1514-byte frames from a sender
# that batches (the switch is the bottleneck); the same with one frame per
# system call, as a UML kernel sends; 64-byte frames with 200 idle clients
# attached.  Arguments go to swbench instead (e.g. -r 5 -n 500000 -b 1).
set -e
cd "$(dirname "$0")"
make -s -C ../../tools
make -s swbench
ulimit -n 4096 2>/dev/null || true
OURS=ours=../../tools/uml_switch/uml_switch
CLASSIC=classic="${CLASSIC_SWITCH:-/usr/bin/uml_switch}"
if [ $# -gt 0 ]; then
	exec ./swbench "$@" "$OURS" "$CLASSIC"
fi
./swbench -s 64 -s 1514 -r 3 "$OURS" "$CLASSIC"
echo
./swbench -b 1 -s 64 -s 1514 -r 3 "$OURS" "$CLASSIC"
echo
./swbench -s 64 -r 3 -i 200 "$OURS" "$CLASSIC"
