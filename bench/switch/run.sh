#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Switch benchmark: our uml_switch against the classic one, in one run.
# Extra arguments go to swbench (e.g. -r 5 -n 500000 -s 64 -s 1514).
set -e
cd "$(dirname "$0")"
make -s -C ../../tools
make -s swbench
[ $# -gt 0 ] || set -- -s 64 -s 1514 -r 3
exec ./swbench "$@" ours=../../tools/uml_switch/uml_switch \
	classic="${CLASSIC_SWITCH:-/usr/bin/uml_switch}"
