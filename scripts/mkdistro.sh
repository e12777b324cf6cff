#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkdistro.sh OUT.img
#
# Build the "real programs" image: an ext4 image (mke2fs -d, no root or loop
# devices needed) holding the host's own Debian binaries of python3, perl,
# strace, gdb and a C toolchain (gcc, binutils, libc6-dev, make), netbase
# (/etc/services, /etc/protocols), with every
# package they depend on, copied file by file from what dpkg says each
# package installed (documentation, manuals and translations left out).
# Nothing is downloaded.  On top: busybox (shell, init, coreutils where the
# packages have none), the default image's /init and /etc, sigdfl (built
# from rootfs/tests/sigdfl.c, which /init needs), and an rc.local
# that mounts tmpfs on /tmp and /dev/shm, so the image works read-only
# (ubd0r=).  See docs/distro-image.md.
#
# When a host package is missing, it says which and exits 0 without an
# image (tests then skip); `scripts/install-deps.sh` installs them.
# Environment: BUSYBOX (default /bin/busybox).
set -e

out=${1:?usage: mkdistro.sh OUT.img}
top=$(cd "$(dirname "$0")/.." && pwd)
stage=$top/build/distro-stage
busybox=${BUSYBOX:-/bin/busybox}
epoch=${SOURCE_DATE_EPOCH:-1704067200}
uuid=5d0c4a2e-9b7f-4e3d-8a61-2c4b6e8f0a13
pkgs="python3 perl strace gdb gcc binutils libc6-dev make netbase"

die() { echo "mkdistro: $*" >&2; exit 1; }
installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=
for p in $pkgs; do installed "$p" || missing="$missing $p"; done
if [ -n "$missing" ]; then
	echo "mkdistro: not built: host packages missing:$missing" >&2
	exit 0
fi
[ -x "$busybox" ] || die "$busybox missing (install busybox-static)"

# Installed packages that provide a virtual one: "VIRTUAL PACKAGE" lines.
provides=$top/build/distro-provides
dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Provides}\n' |
	awk '$1 == "ii" { for (i = 3; i <= NF; i++) { v = $i; sub(/[(,].*/, "", v);
		if (v != "" && v !~ /^[0-9=<>]/) print v, $2 } }' >"$provides"
# a package of that name, or one that provides it
pick() {
	installed "$1" && { echo "$1"; return 0; }
	_pp=$(awk -v v="$1" '$1 == v { print $2; exit }' "$provides")
	[ -n "$_pp" ] && echo "$_pp"
}

# The dependency closure (Depends and Pre-Depends; of alternatives, the
# first one installed or provided).
closure() {
	todo="$*"
	seen=" "
	while [ -n "$todo" ]; do
		set -- $todo
		p=$1
		shift
		todo="$*"
		case "$seen" in *" $p "*) continue ;; esac
		installed "$p" || continue
		seen="$seen$p "
		for alt in $(dpkg-query -W -f='${Depends}, ${Pre-Depends}' "$p" |
			     sed 's/([^)]*)//g; s/:any//g; s/ //g' | tr ',' ' '); do
			for a in $(echo "$alt" | tr '|' ' '); do
				a=$(pick "$a") || continue
				todo="$todo $a"
				break
			done
		done
	done
	echo $seen
}

echo "  DISTRO  $out"
all=$(closure $pkgs)
rm -rf "$stage"
mkdir -p "$stage/usr/bin" "$stage/usr/sbin" "$stage/usr/lib" "$stage/usr/lib64"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$stage/$d"; done

# Every file and symlink the packages installed, under merged /usr.
list=$top/build/distro-files
for p in $all; do dpkg -L "$p"; done |
	grep -v -e '^/usr/share/doc' -e '^/usr/share/man' -e '^/usr/share/info' \
		-e '^/usr/share/locale' -e '^/usr/share/lintian' -e '^/usr/share/bug' \
		-e '^/\.$' |
	while read -r f; do
		[ -d "$f" ] && [ ! -L "$f" ] && continue
		[ -e "$f" ] || [ -L "$f" ] || continue
		echo "${f#/}"
	done | sed -e 's#^bin/#usr/bin/#' -e 's#^sbin/#usr/sbin/#' \
		-e 's#^lib/#usr/lib/#' -e 's#^lib64/#usr/lib64/#' |
	LC_ALL=C sort -u >"$list"
tar -C / --no-recursion -cf - -T "$list" | tar -C "$stage" -xf -
# what the alternatives system would have made
ln -sf gcc "$stage/usr/bin/cc"
[ -e "$stage/usr/bin/python" ] || ln -s python3 "$stage/usr/bin/python"

# busybox for everything else, the default image's init and /etc
cd "$stage"
mkdir -p proc sys dev dev/pts run root tmp var/tmp mnt etc/init.d
cp "$busybox" usr/bin/busybox
"$busybox" --list-full | while read -r path; do
	case $path in
	bin/*) path=usr/$path ;;
	sbin/*) path=usr/$path ;;
	esac
	[ -e "$path" ] || [ -L "$path" ] || ln -s /usr/bin/busybox "$path"
done
cp "$top/rootfs/init" init
# init starts the console shell through sigdfl (SIGINT and SIGQUIT back at
# their defaults, so Ctrl-C works): built as for the default image
${CC:-gcc} -static -O2 -Wall -o usr/bin/sigdfl "$top/rootfs/tests/sigdfl.c" ||
	die "compiling rootfs/tests/sigdfl.c failed"
strip usr/bin/sigdfl 2>/dev/null || true
cp -R "$top"/rootfs/etc/. etc/
ln -sf /init usr/sbin/init
cat >etc/init.d/rc.local <<'RC'
# The distro image runs read-only (ubd0r=): scratch space is tmpfs.
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
RC
[ -x /usr/sbin/ldconfig ] && /usr/sbin/ldconfig -r "$stage" 2>/dev/null || true
chmod 1777 tmp var/tmp
chmod 700 root

# The image: the staged size plus room for a quarter more.
cd "$top"
kb=$(du -sk "$stage" | cut -f1)
size=$(( (kb + kb / 4) / 1024 + 64 ))M
tmp="$out.tmp"
rm -f "$tmp"
: >"$tmp"
E2FSPROGS_FAKE_TIME=$epoch mke2fs -q -F -t ext4 -L uml-distro -U "$uuid" -b 4096 \
	-E "root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0" \
	-d "$stage" "$tmp" "$size" || die "mke2fs failed"
printf 'cd /dev\nmknod console c 5 1\nsif console mode 020600\nmknod null c 1 3\nsif null mode 020666\n' |
	debugfs -w -f - "$tmp" >/dev/null 2>&1 || die "debugfs failed"
e2fsck -fn "$tmp" >/dev/null 2>&1 || die "e2fsck finds $tmp inconsistent"
mv "$tmp" "$out"
echo "  DISTRO  $out: $(echo $all | wc -w) packages, $size"
