// SPDX-License-Identifier: GPL-2.0
/*
 * Transport "tuntap,TAP[,MAC]": an existing host TAP device, typically
 * one made for the user running the VM (ip tuntap add TAP mode tap user
 * NAME), so the VM needs no privilege.  Where the host allows it the
 * device is opened with IFF_VNET_HDR and checksum/segmentation offloads
 * (TUNSETOFFLOAD): frames of up to 64 KiB then cross in one read or
 * write, each led by a struct virtio_net_hdr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if_tun.h>
#include "net_user.h"

struct tuntap {
	char name[IFNAMSIZ];
	int fd;
	int vnet;
};

static const char *tuntap_parse(void *priv, char **argv, int argc,
				unsigned char *mac, int *mac_set)
{
	struct tuntap *t = priv;
	const char *err;

	if (argc < 2 || !argv[1][0])
		return "the name of a host TAP device is needed";
	if (argc > 3)
		return "too many fields";
	if (strlen(argv[1]) >= IFNAMSIZ)
		return "TAP device name too long";
	if (argc == 3) {
		err = net_parse_mac(argv[2], mac, mac_set);
		if (err)
			return err;
	}
	if (t)
		snprintf(t->name, sizeof(t->name), "%s", argv[1]);
	return NULL;
}

static int tuntap_open(void *priv, const unsigned char *mac,
		       struct host_net_info *info, char *msg, int len)
{
	struct tuntap *t = priv;
	unsigned int features = 0;
	struct ifreq ifr;
	int fd, err, hdr = HOST_NET_VNET_HDR_LEN;

	/* TUNSETIFF would make a missing device: say so instead */
	if (!if_nametoindex(t->name))
		return net_fail(msg, len, -ENODEV,
				"no TAP device %s on the host (make one: ip tuntap add %s mode tap user USER)",
				t->name, t->name);
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return net_fail(msg, len, -errno, "cannot open /dev/net/tun: %s",
				strerror(errno));
	if (ioctl(fd, TUNGETFEATURES, &features) < 0)
		features = 0;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", t->name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (features & IFF_VNET_HDR);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(fd);
		return net_fail(msg, len, err,
				"cannot attach to TAP device %s: %s%s", t->name,
				strerror(-err), err == -EPERM || err == -EBUSY ?
				" (is it a TAP made for this user, and free?)" :
				"");
	}
	t->vnet = 0;
	if ((features & IFF_VNET_HDR) &&
	    ioctl(fd, TUNSETVNETHDRSZ, &hdr) == 0) {
		t->vnet = 1;
		info->vnet_hdr = 1;
		info->offloads = HOST_NET_OFF_TX;
		if (ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 |
			  TUN_F_TSO6 | TUN_F_TSO_ECN) == 0)
			info->offloads |= HOST_NET_OFF_RX;
	}
	t->fd = fd;
	info->fd = fd;
	info->max_frame = t->vnet ? HOST_NET_VNET_HDR_LEN + HOST_NET_GSO_MAX :
		1518 + 64;
	return 0;
}

static int tuntap_recv(void *priv, struct host_net_pkt *pkts, int n)
{
	struct tuntap *t = priv;
	int i;

	for (i = 0; i < n; i++) {
		ssize_t r = readv(t->fd, (struct iovec *)pkts[i].iov,
				  pkts[i].niov);

		if (r < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (r < 0) {
			/* EAGAIN: drained; EBADFD: the device went away */
			if (errno == EAGAIN || i)
				return i;
			return -errno;
		}
		pkts[i].len = r;
		pkts[i].trunc = 0;
	}
	return n;
}

static int tuntap_send(void *priv, struct host_net_pkt *pkts, int n)
{
	struct tuntap *t = priv;
	int i;

	for (i = 0; i < n; i++) {
		ssize_t r = writev(t->fd, (struct iovec *)pkts[i].iov,
				   pkts[i].niov);

		if (r < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (r < 0) {
			if (errno == EBADFD && !i)
				return -errno;
			/* a full queue, the host interface down: lost */
			return i;
		}
	}
	return n;
}

static void tuntap_close(void *priv)
{
	struct tuntap *t = priv;

	close(t->fd);
	t->fd = -1;
}

const struct net_transport net_tuntap = {
	.name	= "tuntap",
	.usage	= ",TAP[,MAC]",
	.parse	= tuntap_parse,
	.open	= tuntap_open,
	.recv	= tuntap_recv,
	.send	= tuntap_send,
	.close	= tuntap_close,
};
