#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench/run.sh: run every benchmark, bench/boot first, then any other
# bench/*/run.sh.  Exit status: non-zero if any of them failed.
# The reference kernel (build/ref-obj/linux) is built first if missing.
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
if [ -z "${REF:-}" ] && [ ! -x build/ref-obj/linux ]; then
	echo "bench: building the reference kernel (scripts/build-reference.sh)"
	mkdir -p build && nice -n 10 scripts/build-reference.sh >build/ref-build.log 2>&1 ||
		echo "bench: reference build failed, see build/ref-build.log"
fi
status=0
for b in bench/boot/run.sh bench/*/run.sh; do
	[ -f "$b" ] || continue
	case " $done " in *" $b "*) continue ;; esac
	done="${done:-} $b"
	echo "=== $b"
	sh "$b" || { echo "=== $b FAILED"; status=1; }
done
exit $status
