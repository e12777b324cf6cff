#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# assemble-tree.sh TARBALL DEST TOP
# Unpack the generic kernel into DEST, delete its own UML port and link ours
# (TOP/arch/um) in its place, so edits in the checkout are built directly.
set -e
tar=$1 dest=$2 top=$3
[ -r "$tar" ] || { echo "assemble-tree: $tar missing (install linux-source-6.12)" >&2; exit 1; }
if [ ! -f "$dest/Makefile" ]; then
	echo "  UNPACK  $tar"
	tmp="$dest.tmp"
	rm -rf "$tmp" && mkdir -p "$tmp"
	tar -xJf "$tar" -C "$tmp"
	mv "$tmp"/linux-source-* "$dest"
	rmdir "$tmp"
fi
rm -rf "$dest/arch/um" "$dest/arch/x86/um"
ln -s "$top/arch/um" "$dest/arch/um"
