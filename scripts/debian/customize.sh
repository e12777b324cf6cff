#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# customize.sh ROOT TOP: mmdebstrap's customize hook for mkdebian.sh.
# Makes the Debian tree boot on our kernel as a lab machine:
#   - root's password is "root", hostname "debian", / is /dev/ubda;
#   - a login on the console (console-getty), no getty on tty1 (a UML VM
#     has no virtual terminals), no first-boot prompt;
#   - the journal kept in memory, no periodic apt/e2scrub/fstrim timers
#     (an idle VM should cost the host nothing);
#   - no module loading at boot (the kernel has no modules) and no journal
#     flush (there is no disk journal): a boot costs the host less CPU;
#   - the lab daemons installed but not started at boot (frr, named,
#     isc-dhcp-server, lighttpd, ssh): a lab's startup files start them,
#     as in Kathara's images;
#   - FRR's watchfrr given time on a slow VM (below);
#   - the guest half of uml-lab (/usr/lib/uml-lab/guest, uml-lab.service).
set -e
root=${1:?}
top=${2:?}

echo root:root | chroot "$root" chpasswd
echo debian > "$root/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian\n::1\tlocalhost ip6-localhost ip6-loopback\n' \
	> "$root/etc/hosts"
printf '/dev/ubda\t/\text4\trw,errors=remount-ro\t0\t0\n' > "$root/etc/fstab"

sysd() { chroot "$root" systemctl "$@" >/dev/null 2>&1 || true; }
sysd enable console-getty.service
rm -f "$root/etc/systemd/system/getty.target.wants/getty@tty1.service"
sysd mask getty@tty1.service systemd-firstboot.service
sysd mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
	e2scrub_reap.service fstrim.timer
# every module is built in: modprobe@configfs, @drm, @fuse... and
# modules-load would each start a modprobe that finds nothing to do
sysd mask modprobe@.service systemd-modules-load.service \
	systemd-journal-flush.service
sysd disable frr.service named.service isc-dhcp-server.service \
	isc-dhcp-server6.service lighttpd.service ssh.service

# watchfrr starts the FRR daemons itself ("restart all") and kills that
# after 20 s, and calls a daemon hung after 10 s without an answer; a VM
# of 64 MiB on a busy host can take longer to start zebra, ospfd and
# staticd and load frr.conf, and was left with ospfd running without its
# configuration.  frrcommon.sh keeps watchfrr_options from the environment
# when the lab's /etc/frr/daemons does not set it.
mkdir -p "$root/etc/systemd/system/frr.service.d"
printf '[Service]\nEnvironment="watchfrr_options=-t 60 -T 300"\n' \
	> "$root/etc/systemd/system/frr.service.d/uml-lab.conf"

mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\nRuntimeMaxUse=8M\n' \
	> "$root/etc/systemd/journald.conf.d/uml-lab.conf"

install -D -m 755 "$top/rootfs/usr/lib/uml-lab/guest" \
	"$root/usr/lib/uml-lab/guest"
install -m 644 "$top/scripts/debian/uml-lab.service" \
	"$root/etc/systemd/system/uml-lab.service"
sysd enable uml-lab.service
# machine-id is made at each boot (every VM of a lab gets its own)
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
