// SPDX-License-Identifier: GPL-2.0
/*
 * Host half of the network device: the table of transports, the ethN=
 * parser that picks one, and helpers the transports share (MAC and number
 * parsing, batched datagram I/O).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include "net_user.h"

struct net_state {
	const struct net_transport *t;
	long long priv[NET_PRIV_MAX / sizeof(long long)];
};

static const struct net_transport *const transports[] = {
	&net_tuntap, &net_daemon, &net_mcast, &net_passt,
};

unsigned long host_net_state_size(void)
{
	return sizeof(struct net_state);
}

int net_fail(char *msg, int len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return err;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

const char *net_parse_mac(const char *s, unsigned char *mac, int *mac_set)
{
	unsigned char m[6];
	int i;

	*mac_set = 0;
	if (!*s)
		return NULL;
	/* six groups of one or two hex digits, separated by colons */
	for (i = 0; i < 6; i++) {
		int hi = hexval(*s), lo;

		if (hi < 0)
			return "malformed MAC address (want xx:xx:xx:xx:xx:xx)";
		s++;
		lo = hexval(*s);
		if (lo >= 0) {
			hi = hi << 4 | lo;
			s++;
		}
		m[i] = hi;
		if (*s != (i < 5 ? ':' : '\0'))
			return "malformed MAC address (want xx:xx:xx:xx:xx:xx)";
		s++;
	}
	if (m[0] & 1)
		return "the MAC address is a multicast address";
	if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return "the MAC address is all zeroes";
	memcpy(mac, m, 6);
	*mac_set = 1;
	return NULL;
}

int net_parse_uint(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *val)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return -1;
	*val = v;
	return 0;
}

const char *host_net_parse(void *st, const char *spec, unsigned char *mac,
			   int *mac_set)
{
	static char err[160];
	struct net_state *s = st;
	char copy[512], *argv[NET_MAX_ARGS + 1], *p;
	const char *msg;
	int argc = 0;
	unsigned int i;

	*mac_set = 0;
	if (strlen(spec) >= sizeof(copy))
		return "specification too long";
	snprintf(copy, sizeof(copy), "%s", spec);
	for (p = copy; argc <= NET_MAX_ARGS; ) {
		argv[argc++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (argc > NET_MAX_ARGS)
		return "too many fields";
	for (i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
		const struct net_transport *t = transports[i];

		if (strcmp(argv[0], t->name))
			continue;
		msg = t->parse(s ? s->priv : NULL, argv, argc, mac, mac_set);
		if (msg) {
			snprintf(err, sizeof(err), "%s (%s%s)", msg, t->name,
				 t->usage);
			return err;
		}
		if (s)
			s->t = t;
		return NULL;
	}
	if (!argv[0][0])
		return "no transport given (tuntap, daemon, mcast or user)";
	snprintf(err, sizeof(err),
		 "unknown transport '%.32s' (tuntap, daemon, mcast or user)",
		 argv[0]);
	return err;
}

int host_net_open(void *st, const unsigned char *mac,
		  struct host_net_info *info, char *msg, int len)
{
	struct net_state *s = st;

	memset(info, 0, sizeof(*info));
	info->fd = -1;
	msg[0] = '\0';
	return s->t->open(s->priv, mac, info, msg, len);
}

int host_net_recv(void *st, struct host_net_pkt *pkts, int n)
{
	struct net_state *s = st;

	return s->t->recv(s->priv, pkts, n);
}

int host_net_send(void *st, struct host_net_pkt *pkts, int n)
{
	struct net_state *s = st;

	return s->t->send(s->priv, pkts, n);
}

void host_net_close(void *st)
{
	struct net_state *s = st;

	s->t->close(s->priv);
}

int net_dgram_recv(int fd, struct mmsghdr *mm, struct host_net_pkt *pkts,
		   int n)
{
	int i, got;

	memset(mm, 0, sizeof(mm[0]) * n);
	for (i = 0; i < n; i++) {
		mm[i].msg_hdr.msg_iov = (struct iovec *)pkts[i].iov;
		mm[i].msg_hdr.msg_iovlen = pkts[i].niov;
	}
	do {
		got = recvmmsg(fd, mm, n, MSG_DONTWAIT, NULL);
	} while (got < 0 && errno == EINTR);
	if (got < 0)
		return errno == EAGAIN ? 0 : -errno;
	for (i = 0; i < got; i++) {
		pkts[i].len = mm[i].msg_len;
		pkts[i].trunc = !!(mm[i].msg_hdr.msg_flags & MSG_TRUNC);
	}
	return got;
}

int net_dgram_send(int fd, struct mmsghdr *mm, struct host_net_pkt *pkts,
		   int n, const void *addr, socklen_t alen)
{
	int i, sent = 0;

	memset(mm, 0, sizeof(mm[0]) * n);
	for (i = 0; i < n; i++) {
		mm[i].msg_hdr.msg_name = (void *)addr;
		mm[i].msg_hdr.msg_namelen = alen;
		mm[i].msg_hdr.msg_iov = (struct iovec *)pkts[i].iov;
		mm[i].msg_hdr.msg_iovlen = pkts[i].niov;
	}
	while (sent < n) {
		int r = sendmmsg(fd, mm + sent, n - sent, MSG_DONTWAIT);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			if (errno == EAGAIN || errno == ENOBUFS || sent)
				return sent;
			return -errno;
		}
		sent += r;
	}
	return sent;
}

void net_copy_to_pkt(struct host_net_pkt *pkt, const void *src, size_t len)
{
	const char *p = src;
	size_t left = len;
	int i;

	for (i = 0; i < pkt->niov && left; i++) {
		size_t k = left < pkt->iov[i].len ? left : pkt->iov[i].len;

		memcpy(pkt->iov[i].base, p, k);
		p += k;
		left -= k;
	}
	pkt->len = len - left;
	pkt->trunc = left != 0;
}
