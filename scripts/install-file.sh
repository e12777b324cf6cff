#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# install-file.sh SRC DST
#
# Put a copy of SRC at DST unless DST already has the same bytes.  The copy
# is made under a temporary name and renamed over DST, so a DST that is
# running (./linux of a VM that is up) is replaced, not written into
# ("Text file busy"), and nobody ever sees half a file.
set -e
src=$1 dst=$2
cmp -s "$src" "$dst" && exit 0
tmp=$(dirname "$dst")/.$(basename "$dst").tmp.$$
trap 'rm -f "$tmp"' EXIT
cp "$src" "$tmp"
mv -f "$tmp" "$dst"
trap - EXIT
