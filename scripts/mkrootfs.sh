#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkrootfs.sh OUT.img
#
# Build the default root filesystem image: an ext4 image made with
# `mke2fs -d` from a staging directory (build/rootfs-stage), so that no root
# privileges, loop devices or mounts are needed.  Contents:
#   /bin/busybox (busybox-static) and its applet links,
#   everything under rootfs/ except rootfs/tests/ and README files
#     (rootfs/init becomes /init, rootfs/etc/ becomes /etc/, ...),
#   every rootfs/tests/*.c compiled with `gcc -static -O2` into /usr/bin/,
#   empty mount points and the device nodes a kernel needs before devtmpfs
#     (made inside the image with debugfs).
# The output is deterministic: fixed UUID, hash seed and timestamps
# (SOURCE_DATE_EPOCH, default 2024-01-01), all files owned by root, so the
# same inputs give the same bytes.  It is written to OUT.img.tmp and renamed.
#
# Environment: SIZE (default 64M), BUSYBOX (default /bin/busybox), CC.
set -e

out=${1:?usage: mkrootfs.sh OUT.img}
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/rootfs
stage=$top/build/rootfs-stage
size=${SIZE:-64M}
busybox=${BUSYBOX:-/bin/busybox}
cc=${CC:-gcc}
epoch=${SOURCE_DATE_EPOCH:-1704067200}
uuid=7b1e6a0c-2d4f-4c1a-9e55-0d6f1f2a3b4c
seed=3c9f5e21-8a7d-4b6e-b0c2-5d4e3f2a1b0c

die() { echo "mkrootfs: $*" >&2; exit 1; }
[ -x "$busybox" ] || die "$busybox missing (install busybox-static)"
command -v mke2fs >/dev/null || die "mke2fs missing (install e2fsprogs)"
command -v debugfs >/dev/null || die "debugfs missing (install e2fsprogs)"
[ -f "$src/init" ] || die "$src/init missing"

echo "  ROOTFS  $out"
rm -rf "$stage"
mkdir -p "$stage"
cd "$stage"

# Directory skeleton: mount points, homes, scratch.
mkdir -p bin sbin usr/bin usr/sbin etc/init.d proc sys dev dev/pts run \
	root tmp var/log var/tmp mnt home lib

# busybox and a link for each applet (init's `busybox --install -s` then has
# nothing left to do, and a read-only root works as well).  /sbin/init is
# our /init script, so a kernel started without init= runs it too.
cp "$busybox" bin/busybox
chmod 755 bin/busybox
ln -s /init sbin/init
"$busybox" --list-full | LC_ALL=C sort | while read -r path; do
	[ "$path" = bin/busybox ] && continue
	[ -e "$path" ] || [ -L "$path" ] || ln -s /bin/busybox "$path"
done

# The source tree's files, except the test sources.
for f in "$src"/* "$src"/.[!.]*; do
	[ -e "$f" ] || continue
	case ${f##*/} in
	tests|README*) continue ;;
	esac
	cp -R "$f" .
done

# Guest test programs.
mkdir -p usr/bin
for c in "$src"/tests/*.c; do
	[ -f "$c" ] || continue
	name=${c##*/}
	name=${name%.c}
	echo "  CC      rootfs/tests/$name"
	$cc -static -O2 -Wall -pthread -o "usr/bin/$name" "$c" ||
		die "compiling $c failed"
	strip "usr/bin/$name" 2>/dev/null || true
done

# Permissions do not depend on the umask or the checkout.
find . -type d -exec chmod 755 {} +
find . -type f -exec chmod go-w,a+r {} +
chmod 755 init
chmod 1777 tmp var/tmp
chmod 700 root
[ -f etc/shadow ] && chmod 600 etc/shadow
find . -exec touch -h -d "@$epoch" {} +

# The image.
cd "$top"
tmp="$out.tmp"
rm -f "$tmp"
: >"$tmp"
E2FSPROGS_FAKE_TIME=$epoch mke2fs -q -F -t ext4 -L uml-root -U "$uuid" \
	-b 4096 -N 4096 \
	-E "hash_seed=$seed,root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0" -d "$stage" "$tmp" "$size" ||
	die "mke2fs failed"

# debugfs: device nodes, ownership (when not built as root), timestamps.
cmds=$top/build/rootfs-debugfs.cmds
{
	echo "cd /dev"
	for n in "console c 5 1 020600" "null c 1 3 020666" "tty c 5 0 020666" \
		"zero c 1 5 020666" "ttyS0 c 4 64 020660"; do
		set -- $n
		echo "mknod $1 $2 $3 $4"
		echo "sif $1 mode 0$5"
		for t in atime mtime ctime crtime; do echo "sif $1 $t @$epoch"; done
	done
	echo "cd /"
	# mke2fs -d copies each file's ctime, which touch cannot set.
	owner=; [ "$(id -u)" = 0 ] && [ "$(id -g)" = 0 ] || owner=y
	(cd "$stage" && find . | LC_ALL=C sort) | while read -r p; do
		p=${p#.}
		p=${p:-/}
		echo "sif \"$p\" ctime @$epoch"
		[ -z "$owner" ] || printf 'sif "%s" uid 0\nsif "%s" gid 0\n' "$p" "$p"
	done
	for t in atime mtime ctime crtime; do echo "sif /dev $t @$epoch"; done
} >"$cmds"
E2FSPROGS_FAKE_TIME=$epoch debugfs -w -f "$cmds" "$tmp" >/dev/null 2>"$cmds.err" ||
	die "debugfs failed: $(cat "$cmds.err")"
if grep -v '^debugfs [0-9]' "$cmds.err" | grep -q .; then
	die "debugfs: $(grep -v '^debugfs [0-9]' "$cmds.err")"
fi
# The superblock counts the kilobytes written so far, which depends on the
# commands above (more of them when not built as root): reset it.
E2FSPROGS_FAKE_TIME=$epoch debugfs -w -R "ssv kbytes_written 0" "$tmp" >/dev/null 2>&1 ||
	die "debugfs failed to reset kbytes_written"
e2fsck -fn "$tmp" >/dev/null 2>&1 || die "e2fsck finds $tmp inconsistent"
mv "$tmp" "$out"
