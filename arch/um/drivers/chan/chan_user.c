// SPDX-License-Identifier: GPL-2.0
/*
 * Channels, host half: the table of kinds.  A spec's prefix picks its kind
 * once, when the channel is checked or opened; from then on the channel's
 * own table of operations (struct chan_ops) does the work.  A prefix that
 * ends in ':' takes an argument ("tty:/dev/ttyS0"), any other is the whole
 * spec ("pty").  A new kind is one new file and one line below.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include "chan_user.h"

static const struct chan_kind {
	const char *prefix;
	const char *usage;	/* for the message naming every kind */
	const struct chan_ops *ops;
} chan_kinds[] = {
	{ "fd:",	"fd:N, fd:IN,fd:OUT",	&fd_ops },
	{ "null",	"null",			&null_ops },
	{ "pty",	"pty",			&pty_ops },
	{ "pts",	"pts",			&pty_ops },
	{ "tty:",	"tty:DEV",		&tty_ops },
	{ "xterm",	"xterm",		&xterm_ops },
	{ "port:",	"port:[ADDR:]PORT",	&port_ops },
	{ NULL }
};

/* the kind of @spec, and in *@arg what follows its prefix; or NULL */
static const struct chan_kind *chan_kind_of(const char *spec,
					    const char **arg)
{
	const struct chan_kind *k;
	size_t n;

	for (k = chan_kinds; k->prefix; k++) {
		n = strlen(k->prefix);
		if (k->prefix[n - 1] == ':' ? !strncmp(spec, k->prefix, n) :
		    !strcmp(spec, k->prefix)) {
			*arg = spec + n;
			return k;
		}
	}
	return NULL;
}

static const char *unknown_kind(void)
{
	static char msg[160];
	const struct chan_kind *k;
	size_t at;

	at = snprintf(msg, sizeof(msg), "unknown channel (one of ");
	for (k = chan_kinds; k->prefix && at < sizeof(msg); k++)
		at += snprintf(msg + at, sizeof(msg) - at, "%s%s", k->usage,
			       k[1].prefix ? ", " : ")");
	return msg;
}

static char check_msg[160];

const char *host_chan_check(const char *spec)
{
	const struct chan_kind *k = chan_kind_of(spec, &spec);

	if (!k)
		return unknown_kind();
	if (!k->ops->check)
		return NULL;
	return k->ops->check(spec, check_msg, sizeof(check_msg));
}

int host_chan_open(const char *spec, struct host_chan *c, char *msg,
		   unsigned long len)
{
	const struct chan_kind *k = chan_kind_of(spec, &spec);

	c->in = c->out = c->listen = -1;
	c->resized = c->state = 0;
	c->rows = c->cols = 0;
	c->sblen = 0;
	c->watch = -1;
	c->ops = NULL;
	c->flags = 0;
	if (!k) {
		snprintf(msg, len, "%s", unknown_kind());
		return -EINVAL;
	}
	/* the kind may hand the channel on to another (xterm to pty) */
	c->ops = k->ops;
	c->flags = k->ops->flags;
	return k->ops->open(spec, c, msg, len);
}

static const struct chan_ops *ops_of(struct host_chan *c)
{
	return c->ops;
}

void host_chan_close(struct host_chan *c)
{
	if (c->ops)
		ops_of(c)->close(c);
	c->in = c->out = -1;
}

long host_chan_read(struct host_chan *c, char *buf, unsigned long len)
{
	return c->ops ? ops_of(c)->read(c, buf, len) : -EAGAIN;
}

long host_chan_write(struct host_chan *c, const char *buf, unsigned long len)
{
	return c->ops ? ops_of(c)->write(c, buf, len) : -EAGAIN;
}

int host_chan_winsize(struct host_chan *c, unsigned short *rows,
		      unsigned short *cols)
{
	return c->ops ? ops_of(c)->winsize(c, rows, cols) : -ENOTTY;
}

int host_chan_peer(struct host_chan *c)
{
	return c->ops && ops_of(c)->peer ? ops_of(c)->peer(c) : 1;
}

int host_chan_accept(struct host_chan *c)
{
	return c->ops && ops_of(c)->accept ? ops_of(c)->accept(c) : -EINVAL;
}

int host_chan_watch_fd(void)
{
	return pty_watch_fd();
}

void host_chan_watch_drain(void)
{
	pty_watch_drain();
}

int host_chan_resized(struct host_chan *c)
{
	int r = c->resized;

	c->resized = 0;
	return r;
}

const char *host_chan_shown(struct host_chan *c)
{
	return c->ops ? ops_of(c)->shown : NULL;
}

void host_chan_wait_out(struct host_chan *c, int ms)
{
	struct pollfd p = { .fd = c->out, .events = POLLOUT };

	if (c->out >= 0)
		poll(&p, 1, ms);
}
