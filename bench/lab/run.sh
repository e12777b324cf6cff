#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/lab: a lab of N VMs (tools/uml-lab): start time, idle cost per VM,
# how many fit.  See bench/lab/lab.py for the variables (N, MEM, IMAGE...).
# `bench/lab/run.sh density`: VMs started in batches until GOAL (500) or the
# first one that is not responsive; see bench/lab/density.py.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
for f in "$top/linux" "$top/tools/uml_switch/uml_switch"; do
	[ -x "$f" ] || { echo "bench/lab: $f missing, skipped"; exit 0; }
done
case "${1:-}" in
density) exec python3 "$top/bench/lab/density.py" ;;
"") exec python3 "$top/bench/lab/lab.py" ;;
*) echo "bench/lab: unknown mode '$1' (none or density)" >&2; exit 2 ;;
esac
