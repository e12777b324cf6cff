// SPDX-License-Identifier: GPL-2.0
/* null channel: output is taken and dropped, input never comes. */
#include <errno.h>
#include "chan_user.h"

static int null_open(const char *arg, struct host_chan *c, char *msg,
		     unsigned long len)
{
	c->name[0] = '\0';
	return 0;
}

static long null_read(struct host_chan *c, char *buf, unsigned long len)
{
	return -EAGAIN;
}

static long null_write(struct host_chan *c, const char *buf,
		       unsigned long len)
{
	return len;
}

static int null_winsize(struct host_chan *c, unsigned short *rows,
			unsigned short *cols)
{
	return -ENOTTY;
}

static void null_close(struct host_chan *c)
{
}

const struct chan_ops null_ops = {
	.open		= null_open,
	.read		= null_read,
	.write		= null_write,
	.winsize	= null_winsize,
	.close		= null_close,
};
