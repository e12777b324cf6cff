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
	# the package's xz has many blocks: every core decompresses
	# (sh has no pipefail: xz's own status goes through a file)
	{ xz -dc -T0 "$tar"; echo $? > "$tmp.xz"; } | tar -x -C "$tmp"
	[ "$(cat "$tmp.xz")" = 0 ] || { echo "assemble-tree: cannot unpack $tar" >&2; exit 1; }
	rm -f "$tmp.xz"
	mv "$tmp"/linux-source-* "$dest"
	rmdir "$tmp"
fi
rm -rf "$dest/arch/um" "$dest/arch/x86/um"
ln -s "$top/arch/um" "$dest/arch/um"
