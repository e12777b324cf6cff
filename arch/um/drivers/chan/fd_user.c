// SPDX-License-Identifier: GPL-2.0
/*
 * fd channel: descriptors the kernel was started with, "fd:N" (both ways)
 * or "fd:IN,fd:OUT".  They belong to whoever started us: never closed, and
 * their flags (and a terminal's mode) are put back at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chan_user.h"

#define FD_SYNTAX "expected fd:N or fd:IN,fd:OUT with descriptor numbers"

/* a descriptor number at @s; -1 when there is none */
static int parse_fd(const char *s, const char **end)
{
	long v;
	char *e;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtol(s, &e, 10);
	if (v > 65535)
		return -1;
	*end = e;
	return v;
}

/* "N" or "N,fd:M" (after the first "fd:") -> the descriptors; NULL or a message */
static const char *parse_fds(const char *arg, int *in, int *out)
{
	const char *e;

	*in = parse_fd(arg, &e);
	if (*in < 0)
		return FD_SYNTAX;
	if (!*e) {
		*out = *in;
		return NULL;
	}
	if (strncmp(e, ",fd:", 4))
		return FD_SYNTAX;
	*out = parse_fd(e + 4, &e);
	if (*out < 0 || *e)
		return FD_SYNTAX;
	return NULL;
}

static const char *fd_check(const char *arg, char *msg, unsigned long len)
{
	const char *err;
	int in, out;

	err = parse_fds(arg, &in, &out);
	if (err)
		return err;
	if (fcntl(in, F_GETFL) < 0 || fcntl(out, F_GETFL) < 0) {
		snprintf(msg, len, "descriptor %d is not open",
			 fcntl(in, F_GETFL) < 0 ? in : out);
		return msg;
	}
	return NULL;
}

static int fd_open(const char *arg, struct host_chan *c, char *msg,
		   unsigned long len)
{
	const char *err = parse_fds(arg, &c->in, &c->out);

	if (err) {
		snprintf(msg, len, "%s", err);
		c->in = c->out = -1;
		return -EINVAL;
	}
	snprintf(c->name, sizeof(c->name), "fd:%s", arg);
	if (chan_prepare_fd(c->out, 0)) {
		snprintf(msg, len, "%s: descriptor %d not open", c->name,
			 c->out);
		c->in = c->out = -1;
		return -EBADF;
	}
	/* started with stdin closed: output only */
	if (c->in != c->out && chan_prepare_fd(c->in, 1))
		c->in = -1;
	return 0;
}

/* the descriptors belong to whoever started us: left open */
static void fd_close(struct host_chan *c)
{
}

const struct chan_ops fd_ops = {
	.check		= fd_check,
	.open		= fd_open,
	.read		= chan_fd_read,
	.write		= chan_fd_write,
	.winsize	= chan_fd_winsize,
	.close		= fd_close,
};
