#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkdebian.sh OUT.img
#
# Build the Debian lab image (`make debian`): Debian bookworm from the
# archive with mmdebstrap (no prebuilt image), systemd as init, and what lab
# exercises use (iproute2, iputils, traceroute, tcpdump, nftables,
# iptables, FRR, bind9 and its tools, a DHCP server and client, lighttpd,
# openssh, netcat, python3).  The tree is staged in build/debian-root (as
# root, so owners and device nodes are kept), then `mke2fs -d` makes an
# ext4 image of SIZE (default 2G, sparse) written to OUT.img.tmp and renamed.
#
# Environment: MIRROR (default http://deb.debian.org/debian), SUITE
# (default bookworm), SIZE.
set -e

out=${1:?usage: mkdebian.sh OUT.img}
top=$(cd "$(dirname "$0")/.." && pwd)
stage=$top/build/debian-root
mirror=${MIRROR:-http://deb.debian.org/debian}
suite=${SUITE:-bookworm}
size=${SIZE:-2G}

die() { echo "mkdebian: $*" >&2; exit 1; }
command -v mmdebstrap >/dev/null || die "mmdebstrap missing (install mmdebstrap)"
command -v mke2fs >/dev/null || die "mke2fs missing (install e2fsprogs)"
[ "$(id -u)" = 0 ] || die "needs root (the staged tree keeps owners and device nodes)"

pkgs=systemd,systemd-sysv,dbus,udev,procps,less,vim-tiny,kmod
pkgs=$pkgs,iproute2,iputils-ping,iputils-tracepath,iputils-arping,traceroute
pkgs=$pkgs,tcpdump,nftables,iptables,net-tools,ethtool,bridge-utils
pkgs=$pkgs,frr,bind9,bind9-dnsutils,bind9-host,isc-dhcp-server,isc-dhcp-client
pkgs=$pkgs,lighttpd,openssh-server,openssh-client,netcat-openbsd,python3
pkgs=$pkgs,wget,curl,ca-certificates

echo "  DEBIAN  $out ($suite from $mirror; takes minutes)"
rm -rf "$stage"
start=$(date +%s)
mmdebstrap --variant=minbase --include="$pkgs" \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--customize-hook="$top/scripts/debian/customize.sh \"\$1\" $top" \
	"$suite" "$stage" "$mirror" ||
	die "mmdebstrap failed (is $mirror reachable?)"
rm -f "$out.tmp"
mke2fs -q -t ext4 -L debian -d "$stage" "$out.tmp" "$size" ||
	die "mke2fs failed"
mv "$out.tmp" "$out"
rm -rf "$stage"
echo "  DEBIAN  $out done in $(( $(date +%s) - start )) s"
