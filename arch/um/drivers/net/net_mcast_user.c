// SPDX-License-Identifier: GPL-2.0
/*
 * Transport "mcast[,MAC[,ADDR[,PORT[,TTL]]]]": every VM on a UDP multicast
 * group sees every frame, one frame per datagram (the classic defaults:
 * group 239.192.168.1, port 1102, TTL 1).  Our own frames come back
 * (multicast loopback); the device drops them.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "net_user.h"

struct mcast {
	struct sockaddr_in group;
	int ttl;
	int fd;
	struct mmsghdr mm[HOST_NET_BATCH];
};

static const char *mcast_parse(void *priv, char **argv, int argc,
			       unsigned char *mac, int *mac_set)
{
	struct mcast *m = priv;
	struct in_addr addr = { .s_addr = htonl(0xefc0a801) };
	unsigned long port = 1102, ttl = 1;
	const char *err;

	if (argc > 5)
		return "too many fields";
	if (argc > 1) {
		err = net_parse_mac(argv[1], mac, mac_set);
		if (err)
			return err;
	}
	if (argc > 2 && argv[2][0]) {
		if (inet_pton(AF_INET, argv[2], &addr) != 1)
			return "malformed group address";
		if ((ntohl(addr.s_addr) >> 28) != 0xe)
			return "the group address is not a multicast address";
	}
	if (argc > 3 && argv[3][0] && net_parse_uint(argv[3], 1, 65535, &port))
		return "the port is not a number from 1 to 65535";
	if (argc > 4 && argv[4][0] && net_parse_uint(argv[4], 0, 255, &ttl))
		return "the TTL is not a number from 0 to 255";
	if (m) {
		m->group.sin_family = AF_INET;
		m->group.sin_addr = addr;
		m->group.sin_port = htons(port);
		m->ttl = ttl;
	}
	return NULL;
}

static int mcast_open(void *priv, const unsigned char *mac,
		      struct host_net_info *info, char *msg, int len)
{
	struct mcast *m = priv;
	struct ip_mreq mreq;
	int one = 1, err;
	const char *what;
	char group[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &m->group.sin_addr, group, sizeof(group));
	m->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->fd < 0)
		return net_fail(msg, len, -errno, "socket: %s", strerror(errno));
	what = "SO_REUSEADDR";
	if (setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto fail;
	what = "bind";
	if (bind(m->fd, (struct sockaddr *)&m->group, sizeof(m->group)))
		goto fail;
	what = "IP_MULTICAST_LOOP";
	if (setsockopt(m->fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one, sizeof(one)))
		goto fail;
	what = "IP_MULTICAST_TTL";
	if (setsockopt(m->fd, IPPROTO_IP, IP_MULTICAST_TTL, &m->ttl,
		       sizeof(m->ttl)))
		goto fail;
	what = "joining the group (is there a route for multicast?)";
	mreq.imr_multiaddr = m->group.sin_addr;
	mreq.imr_interface.s_addr = htonl(INADDR_ANY);
	if (setsockopt(m->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
		       sizeof(mreq)))
		goto fail;
	info->fd = m->fd;
	info->max_frame = 1518 + 64;
	info->echo = 1;
	return 0;
fail:
	err = -errno;
	close(m->fd);
	m->fd = -1;
	return net_fail(msg, len, err, "multicast group %s port %d: %s: %s",
			group, ntohs(m->group.sin_port), what, strerror(-err));
}

static int mcast_recv(void *priv, struct host_net_pkt *pkts, int n)
{
	struct mcast *m = priv;
	int r = net_dgram_recv(m->fd, m->mm, pkts, n);

	/* a UDP socket has no peer to lose: errors are transient */
	return r < 0 ? 0 : r;
}

static int mcast_send(void *priv, struct host_net_pkt *pkts, int n)
{
	struct mcast *m = priv;
	int r = net_dgram_send(m->fd, m->mm, pkts, n, &m->group, sizeof(m->group));

	return r < 0 ? 0 : r;
}

static void mcast_close(void *priv)
{
	struct mcast *m = priv;

	close(m->fd);
	m->fd = -1;
}

const struct net_transport net_mcast = {
	.name	= "mcast",
	.usage	= "[,MAC[,ADDR[,PORT[,TTL]]]]",
	.parse	= mcast_parse,
	.open	= mcast_open,
	.recv	= mcast_recv,
	.send	= mcast_send,
	.close	= mcast_close,
};
