/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host half of the network device, shared by the transports (host code
 * only).  A transport is a table of operations over its own state block;
 * net_user.c picks the transport named first in the ethN= text and
 * forwards host/net.h calls to it.
 */
#ifndef __NET_USER_H
#define __NET_USER_H

#include <stddef.h>
#include <sys/socket.h>
#include <host/net.h>

/* room for the state of any transport (the user transport's stream buffer) */
#define NET_PRIV_MAX	(320 * 1024)
/* fields of an ethN= text at most */
#define NET_MAX_ARGS	8

/**
 * struct net_transport - one kind of host attachment
 * @name:  the first word of the ethN= text
 * @usage: the rest of it, for messages
 * @parse: check @argc words (@argv[0] is the name) and, when @priv is not
 *         NULL, store them; NULL or a message
 * @open:  as host_net_open()
 * @recv:  as host_net_recv()
 * @send:  as host_net_send()
 * @close: as host_net_close()
 */
struct net_transport {
	const char *name;
	const char *usage;
	const char *(*parse)(void *priv, char **argv, int argc,
			     unsigned char *mac, int *mac_set);
	int (*open)(void *priv, const unsigned char *mac,
		    struct host_net_info *info, char *msg, int len);
	int (*recv)(void *priv, struct host_net_pkt *pkts, int n);
	int (*send)(void *priv, struct host_net_pkt *pkts, int n);
	void (*close)(void *priv);
};

extern const struct net_transport net_tuntap, net_daemon, net_mcast,
	net_passt;

/* "xx:xx:xx:xx:xx:xx" (empty: not given); NULL or a message */
const char *net_parse_mac(const char *s, unsigned char *mac, int *mac_set);
/* a decimal number in [lo, hi]; 0 on success */
int net_parse_uint(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *val);
/*
 * batches over a datagram socket (recvmmsg/sendmmsg); @mm: room for @n
 * headers, in the transport's state (kernel stacks are small)
 */
struct mmsghdr;
int net_dgram_recv(int fd, struct mmsghdr *mm, struct host_net_pkt *pkts,
		   int n);
int net_dgram_send(int fd, struct mmsghdr *mm, struct host_net_pkt *pkts,
		   int n, const void *addr, socklen_t alen);
/* copy @len bytes from @src into the buffers of @pkt; sets len, trunc */
void net_copy_to_pkt(struct host_net_pkt *pkt, const void *src, size_t len);
/* format a message into @msg (as snprintf), return @err */
int net_fail(char *msg, int len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
