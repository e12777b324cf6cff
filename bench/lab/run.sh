#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# bench/lab: a lab of N VMs (tools/uml-lab): start time, idle cost per VM,
# how many fit.  See bench/lab/lab.py for the variables (N, MEM, IMAGE...).
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
for f in "$top/linux" "$top/tools/uml_switch/uml_switch"; do
	[ -x "$f" ] || { echo "bench/lab: $f missing, skipped"; exit 0; }
done
exec python3 "$top/bench/lab/lab.py"
