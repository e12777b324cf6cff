#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-ref-vec.sh [REF_OBJ] [OUT]
#
# The reference kernel with its vector network transport, for bench/net
# only: the reference's defconfig leaves CONFIG_UML_NET_VECTOR off.  The
# reference's object directory (default /work/refbuild/build/ref-obj, else
# build/ref-obj) is copied to OUT (default build/ref-vec-obj), the option
# is turned on and kbuild rebuilds what depends on it (a minute, not a
# full build).  Nothing of it is part of our kernel.
set -e
top=$(cd "$(dirname "$0")/../.." && pwd)
ref=${1:-/work/refbuild/build/ref-obj}
[ -x "$ref/linux" ] || ref=$top/build/ref-obj
out=${2:-$top/build/ref-vec-obj}
[ -x "$ref/linux" ] || { echo "build-ref-vec: no reference kernel in $ref" >&2; exit 1; }
src=$(readlink -f "$ref/source")
if [ -x "$out/linux" ] && grep -q '^CONFIG_UML_NET_VECTOR=y' "$out/.config"; then
	echo "build-ref-vec: $out/linux is up to date"
	exit 0
fi
rm -rf "$out"
cp -a "$ref" "$out"
if command -v ccache >/dev/null 2>&1; then cc="ccache gcc"; else cc=gcc; fi
"$src/scripts/config" --file "$out/.config" --enable UML_NET_VECTOR
make -s -C "$src" O="$out" ARCH=um CC="$cc" olddefconfig
nice make -s -C "$src" O="$out" ARCH=um CC="$cc" -j"${JOBS:-$(nproc)}" linux
echo "build-ref-vec: $out/linux"
