// SPDX-License-Identifier: GPL-2.0
/*
 * port channel: a telnet server.  port:PORT listens on the loopback
 * address (a console is a root login: it must not reach the network by
 * accident), port:ADDR:PORT on ADDR.  Lines that name the same port share
 * one listening socket; each connection is handed to a free line by the
 * kernel half, which calls host_chan_accept() on that line (or
 * host_port_refuse(), chan_io_user.c, when no line is free).
 *
 * The telnet side is just enough for Linux telnet and for nc: we offer to
 * echo and to suppress go-ahead (character mode; the guest's line
 * discipline echoes) and ask for the window size (NAWS, RFC 1073).  Input
 * has commands and subnegotiations removed, IAC IAC becomes 0xff and the
 * NUL or LF a client sends after CR is dropped; output doubles 0xff.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "chan_user.h"

#define IAC	255
#define DONT	254
#define DO	253
#define WONT	252
#define WILL	251
#define SB	250
#define SE	240
#define OPT_ECHO	1
#define OPT_SGA		3
#define OPT_NAWS	31

enum { T_DATA, T_IAC, T_OPT, T_SB, T_SB_IAC, T_CR };

/* listening sockets, shared by every line (and check) naming the port */
#define MAX_PORTS	16
static struct {
	char addr[64];
	int port, fd;
} ports[MAX_PORTS];
static int nr_ports;

static const char *port_parse(const char *arg, char *addr,
			      unsigned long alen, int *port)
{
	const char *colon = strrchr(arg, ':');
	const char *p = colon ? colon + 1 : arg;
	struct in_addr a;
	char *end;
	long v;

	if (colon) {
		if ((unsigned long)(colon - arg) >= alen)
			return "address too long in port:ADDR:PORT";
		memcpy(addr, arg, colon - arg);
		addr[colon - arg] = '\0';
		if (inet_pton(AF_INET, addr, &a) != 1)
			return "not an IPv4 address in port:ADDR:PORT";
	} else {
		snprintf(addr, alen, "127.0.0.1");
	}
	if (*p < '0' || *p > '9')
		return "expected a port number, as in port:9000 or port:0.0.0.0:9000";
	v = strtol(p, &end, 10);
	if (*end || v < 1 || v > 65535)
		return "expected a port number from 1 to 65535";
	*port = v;
	return NULL;
}

static int port_listen(const char *addr, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int fd, one = 1, i;

	for (i = 0; i < nr_ports; i++)
		if (ports[i].port == port && !strcmp(ports[i].addr, addr))
			return ports[i].fd;
	if (nr_ports == MAX_PORTS)
		return -ENOSPC;
	inet_pton(AF_INET, addr, &sin.sin_addr);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    listen(fd, 8)) {
		int err = -errno;

		close(fd);
		return err;
	}
	snprintf(ports[nr_ports].addr, sizeof(ports[0].addr), "%s", addr);
	ports[nr_ports].port = port;
	ports[nr_ports].fd = fd;
	nr_ports++;
	return fd;
}

static const char *port_check(const char *arg, char *msg, unsigned long len)
{
	char addr[64];
	const char *err;
	int port, fd;

	err = port_parse(arg, addr, sizeof(addr), &port);
	if (err)
		return err;
	fd = port_listen(addr, port);
	if (fd < 0) {
		snprintf(msg, len, "cannot listen on %s:%d: %s", addr, port,
			 strerror(-fd));
		return msg;
	}
	return NULL;
}

static int port_open(const char *arg, struct host_chan *c, char *msg,
		     unsigned long len)
{
	char addr[64];
	const char *err;
	int port, fd;

	err = port_parse(arg, addr, sizeof(addr), &port);
	if (err) {
		snprintf(msg, len, "%s", err);
		return -EINVAL;
	}
	fd = port_listen(addr, port);
	if (fd < 0) {
		snprintf(msg, len, "cannot listen on %s:%d: %s", addr, port,
			 strerror(-fd));
		return fd;
	}
	c->listen = fd;
	snprintf(c->name, sizeof(c->name), "%.40s:%d", addr, port);
	return 0;
}

static int port_accept(struct host_chan *c)
{
	static const unsigned char hello[] = {
		IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA, IAC, DO, OPT_SGA,
		IAC, DO, OPT_NAWS,
	};
	int fd = chan_accept(c->listen);

	if (fd < 0)
		return fd;
	/* a fresh socket has room for a dozen bytes */
	if (write(fd, hello, sizeof(hello)) < 0) {
		close(fd);
		return -EAGAIN;
	}
	c->in = c->out = fd;
	c->state = T_DATA;
	c->rows = c->cols = 0;
	c->sblen = 0;
	return 0;
}

static void telnet_sb_done(struct host_chan *c)
{
	/* NAWS: width (2 bytes), height (2 bytes), network order */
	if (c->sblen == 5 && c->sb[0] == OPT_NAWS) {
		unsigned short cols = c->sb[1] << 8 | c->sb[2];
		unsigned short rows = c->sb[3] << 8 | c->sb[4];

		if (cols != c->cols || rows != c->rows)
			c->resized = 1;
		c->cols = cols;
		c->rows = rows;
	}
	c->sblen = 0;
}

static long telnet_filter(struct host_chan *c, char *buf, long n)
{
	unsigned char *in = (unsigned char *)buf, *out = in;
	long i;

	for (i = 0; i < n; i++) {
		unsigned char ch = in[i];

		switch (c->state) {
		case T_CR:
			c->state = T_DATA;
			if (ch == '\0' || ch == '\n')
				break;
			__attribute__((fallthrough));
		case T_DATA:
			if (ch == IAC) {
				c->state = T_IAC;
			} else {
				*out++ = ch;
				if (ch == '\r')
					c->state = T_CR;
			}
			break;
		case T_IAC:
			if (ch == IAC) {
				*out++ = IAC;
				c->state = T_DATA;
			} else if (ch >= WILL && ch <= DONT) {
				c->state = T_OPT;
			} else if (ch == SB) {
				c->sblen = 0;
				c->state = T_SB;
			} else {
				c->state = T_DATA;	/* NOP, AYT, ...: ignored */
			}
			break;
		case T_OPT:
			c->state = T_DATA;	/* the answers to our offers */
			break;
		case T_SB:
			if (ch == IAC)
				c->state = T_SB_IAC;
			else if (c->sblen < (int)sizeof(c->sb))
				c->sb[c->sblen++] = ch;
			break;
		case T_SB_IAC:
			if (ch == SE) {
				telnet_sb_done(c);
				c->state = T_DATA;
			} else {
				if (c->sblen < (int)sizeof(c->sb))
					c->sb[c->sblen++] = ch;
				c->state = T_SB;
			}
			break;
		}
	}
	return out - in;
}

/* everything filtered away is "nothing now", not the end */
static long port_read(struct host_chan *c, char *buf, unsigned long len)
{
	long n = chan_fd_read(c, buf, len);

	return n > 0 ? telnet_filter(c, buf, n) ?: -EAGAIN : n;
}

static long telnet_write(struct host_chan *c, const char *buf,
			 unsigned long len)
{
	static const unsigned char iac2[] = { IAC, IAC };
	const char *ff = memchr(buf, IAC, len);
	ssize_t n;

	if (c->out < 0)
		return -EAGAIN;
	if (ff == buf) {
		n = write(c->out, iac2, 2);
		if (n < 0)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
		return 1;
	}
	if (ff)
		len = ff - buf;
	do
		n = write(c->out, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return n;
}

static int port_winsize(struct host_chan *c, unsigned short *rows,
			unsigned short *cols)
{
	if (!c->rows || !c->cols)
		return -ENOTTY;
	*rows = c->rows;
	*cols = c->cols;
	return 0;
}

const struct chan_ops port_ops = {
	.check		= port_check,
	.open		= port_open,
	.read		= port_read,
	.write		= telnet_write,
	.winsize	= port_winsize,
	.close		= chan_fd_close,
	.accept		= port_accept,
	.shown		= "telnet on",
	.flags		= HOST_CHAN_CLIENTS | HOST_CHAN_LISTENS,
};
