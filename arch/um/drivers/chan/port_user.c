// SPDX-License-Identifier: GPL-2.0
/*
 * port channel: a telnet server.  port:PORT listens on the loopback
 * address (a console is a root login: it must not reach the network by
 * accident), port:ADDR:PORT on ADDR.  Lines that name the same port share
 * one listening socket; each connection is handed to a free line by the
 * kernel half, which calls host_chan_accept() on that line.
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

const char *port_check(const char *arg, char *msg, unsigned long len)
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

int port_open(const char *arg, struct host_chan *c, char *msg,
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

static int accept_one(int listen_fd)
{
	int fd;

	do
		fd = accept4(listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return fd;
}

int host_chan_accept(struct host_chan *c)
{
	static const unsigned char hello[] = {
		IAC, WILL, OPT_ECHO, IAC, WILL, OPT_SGA, IAC, DO, OPT_SGA,
		IAC, DO, OPT_NAWS,
	};
	int fd = accept_one(c->listen);

	if (fd < 0)
		return fd;
	/* a fresh socket has room for a dozen bytes */
	if (write(fd, hello, sizeof(hello)) < 0) {
		close(fd);
		return -EAGAIN;
	}
	c->in = c->out = fd;
	c->telnet = T_DATA;
	c->rows = c->cols = 0;
	c->sblen = 0;
	return 0;
}

int host_port_refuse(int listen_fd, const char *msg)
{
	int fd = accept_one(listen_fd);
	ssize_t n;

	if (fd < 0)
		return fd;
	/* the client is told if it can be told */
	n = write(fd, msg, strlen(msg));
	close(fd);
	(void)n;
	return 0;
}

static void telnet_sb_done(struct host_chan *c)
{
	/* NAWS: width (2 bytes), height (2 bytes), network order */
	if (c->sblen == 5 && c->sb[0] == OPT_NAWS) {
		c->cols = c->sb[1] << 8 | c->sb[2];
		c->rows = c->sb[3] << 8 | c->sb[4];
	}
	c->sblen = 0;
}

long telnet_filter(struct host_chan *c, char *buf, long n)
{
	unsigned char *in = (unsigned char *)buf, *out = in;
	long i;

	for (i = 0; i < n; i++) {
		unsigned char ch = in[i];

		switch (c->telnet) {
		case T_CR:
			c->telnet = T_DATA;
			if (ch == '\0' || ch == '\n')
				break;
			__attribute__((fallthrough));
		case T_DATA:
			if (ch == IAC) {
				c->telnet = T_IAC;
			} else {
				*out++ = ch;
				if (ch == '\r')
					c->telnet = T_CR;
			}
			break;
		case T_IAC:
			if (ch == IAC) {
				*out++ = IAC;
				c->telnet = T_DATA;
			} else if (ch >= WILL && ch <= DONT) {
				c->telnet = T_OPT;
			} else if (ch == SB) {
				c->sblen = 0;
				c->telnet = T_SB;
			} else {
				c->telnet = T_DATA;	/* NOP, AYT, ...: ignored */
			}
			break;
		case T_OPT:
			c->telnet = T_DATA;	/* the answers to our offers */
			break;
		case T_SB:
			if (ch == IAC)
				c->telnet = T_SB_IAC;
			else if (c->sblen < (int)sizeof(c->sb))
				c->sb[c->sblen++] = ch;
			break;
		case T_SB_IAC:
			if (ch == SE) {
				telnet_sb_done(c);
				c->telnet = T_DATA;
			} else {
				if (c->sblen < (int)sizeof(c->sb))
					c->sb[c->sblen++] = ch;
				c->telnet = T_SB;
			}
			break;
		}
	}
	return out - in;
}

long telnet_write(struct host_chan *c, const char *buf, unsigned long len)
{
	static const unsigned char iac2[] = { IAC, IAC };
	const char *ff = memchr(buf, IAC, len);
	ssize_t n;

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
