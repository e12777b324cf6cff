#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check.sh MAKE PYTHON [TEST ARGS...]: what `make check` does once the host
# packages are in.  On two cores a cold check is mostly compiling (four
# kernel configurations' worth before KUnit moved into the debug build),
# and the tests leave about 40% of the CPU idle, so:
#
#   1. the Debian lab image is made in the background from the start (it
#      waits on the network and dpkg);
#   2. ./linux, the tools and the two small images are built;
#   3. the debug kernel, then the library, are built in the background at
#      nice 10 while the tests run (as SCHED_IDLE they got so little of
#      the CPU that the check took five minutes longer): every test that
#      needs one of them (a module's NEEDS_BUILD, tests/conftest.py) is
#      put last and waits, outside its time limit, for the build's status
#      file.
#
# Each background build NAME writes its output to build/check-late/NAME.log
# and its exit status to NAME.status; UML_CHECK_LATE names that directory
# for the tests.  The exit status is the tests', or non-zero when a build
# failed.
set -u
make=$1 python=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
late=$top/build/check-late
rm -rf "$late" && mkdir -p "$late"

# build NAME COMMAND...: run COMMAND, its output to NAME.log, its exit
# status to NAME.status once it is done
build() {
	name=$1
	shift
	"$@" > "$late/$name.log" 2>&1
	echo $? > "$late/$name.status.tmp"
	mv "$late/$name.status.tmp" "$late/$name.status"
}

build debian $make --no-print-directory debian &
if ! $make --no-print-directory linux tools root.img distro; then
	echo "check: the build failed; waiting for the Debian image to stop" >&2
	wait
	exit 2
fi
# one kernel build at a time: the debug kernel, then the library
(build linux-debug nice -n 10 $make --no-print-directory linux-debug
 build lib nice -n 10 $make --no-print-directory lib) &
echo "  CHECK   tests start; the debug kernel, the library and the Debian image are built beside them (logs in build/check-late)"
UML_CHECK_LATE=$late "$python" "$top/tests/run.py" "$@"
st=$?
wait
for name in debian linux-debug lib; do
	s=$(cat "$late/$name.status" 2>/dev/null || echo missing)
	if [ "$s" != 0 ]; then
		echo "check: make $name failed (status $s); the end of build/check-late/$name.log:" >&2
		tail -n 40 "$late/$name.log" >&2
		st=2
	fi
done
exit $st
