#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# build-reference.sh [TOP]
#
# Build the reference kernel, for comparison only: the upstream arch/um of
# the same linux-source-6.12 package, ARCH=um defconfig, untouched.
#   sources: TOP/build/ref-src   (unpacked fresh from the package tarball)
#   objects: TOP/build/ref-obj   (out of tree)
#   result:  TOP/build/ref-obj/linux
# and, for bench/net, the same with its vector network transport on
# (defconfig leaves CONFIG_UML_NET_VECTOR off): the objects are copied to
# TOP/build/ref-vec-obj, the option turned on and kbuild rebuilds what
# depends on it (a minute, not a full build):
#   result:  TOP/build/ref-vec-obj/linux
# Idempotent: does nothing when the results already exist.  Nothing of it
# is ever part of our kernel or committed.
set -e
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
tar=${KTAR:-/usr/src/linux-source-6.12.tar.xz}
src=$top/build/ref-src
obj=$top/build/ref-obj
vec=$top/build/ref-vec-obj
jobs=${JOBS:-$(nproc)}
if command -v ccache >/dev/null 2>&1; then cc="ccache gcc"; else cc=gcc; fi

# the vector variant, from the plain reference's objects
build_vec() {
	if [ -x "$vec/linux" ] && [ -f "$vec/.ref-built" ]; then
		echo "build-reference: $vec/linux is up to date"
		return 0
	fi
	rm -rf "$vec"
	cp -a "$obj" "$vec"
	rm -f "$vec/.ref-built"
	"$src/scripts/config" --file "$vec/.config" --enable UML_NET_VECTOR
	make -s -C "$src" O="$vec" ARCH=um CC="$cc" olddefconfig
	make -s -C "$src" O="$vec" ARCH=um CC="$cc" -j"$jobs" linux
	touch "$vec/.ref-built"
	echo "build-reference: built $vec/linux"
}

if [ -x "$obj/linux" ] && [ -f "$obj/.ref-built" ]; then
	echo "build-reference: $obj/linux is up to date"
	build_vec
	exit 0
fi
[ -r "$tar" ] || { echo "build-reference: $tar missing (install linux-source-6.12)" >&2; exit 1; }

if [ ! -f "$src/.unpacked" ]; then
	echo "  UNPACK  $tar -> $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tar" -C "$src.tmp"
	mv "$src.tmp"/linux-source-* "$src"
	rmdir "$src.tmp"
	touch "$src/.unpacked"
fi

mkdir -p "$obj"
[ -f "$obj/.config" ] || make -C "$src" O="$obj" ARCH=um CC="$cc" defconfig
make -C "$src" O="$obj" ARCH=um CC="$cc" -j"$jobs" linux
touch "$obj/.ref-built"
echo "build-reference: built $obj/linux"
build_vec
