#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Install the host packages the build, the tests and every documented
# feature need, when missing (passt: eth0=user; netbase: the distro image's
# /etc/services and /etc/protocols).  The Makefile runs it once per change
# of this file (build/.deps-installed), never twice at once.
set -e
PKGS="linux-source-6.12 busybox-static e2fsprogs flex bison bc ccache gcc make libc6-dev \
libelf-dev libncurses-dev user-mode-linux uml-utilities iproute2 python3 strace util-linux \
python3-pytest python3-pytest-xdist python3-pytest-timeout \
python3-pexpect telnet xvfb xterm x11-apps x11-utils perl gdb binutils \
fuse3 libfuse3-dev pkg-config dosfstools mtools git fuse2fs e2tools xfsprogs systemd \
passt netbase btrfs-progs \
tmux mmdebstrap"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q $missing >/dev/null ||
	{ $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q $missing >/dev/null; }
