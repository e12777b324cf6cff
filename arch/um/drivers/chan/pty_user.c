// SPDX-License-Identifier: GPL-2.0
/*
 * pty and pts channels: a new host pseudo-terminal.  The line keeps the
 * master side; a terminal client opens the slave, whose path is printed in
 * the boot log and answered by the management console.  The slave starts
 * raw, so a client that does not set a mode sees the guest's bytes as they
 * are.  Nobody having the slave open (never yet, or no longer) shows as a
 * hang-up on the master: pty_peer() asks.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "chan_user.h"

int pty_new(int flags, int *slave, char *name, unsigned long len)
{
	int fd, err;

	fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | flags);
	if (fd < 0)
		return -errno;
	if (grantpt(fd) || unlockpt(fd) || ptsname_r(fd, name, len))
		goto fail;
	*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		goto fail;
	chan_make_raw(*slave);
	return fd;

fail:
	err = -errno;
	close(fd);
	return err;
}

static int pty_open(const char *arg, struct host_chan *c, char *msg,
		    unsigned long len)
{
	int slave, fd = pty_new(O_NONBLOCK, &slave, c->name, sizeof(c->name));

	if (fd < 0) {
		snprintf(msg, len, "cannot make a pseudo-terminal: %s",
			 strerror(-fd));
		return fd;
	}
	close(slave);
	c->in = c->out = fd;
	return 0;
}

static int pty_peer(struct host_chan *c)
{
	struct pollfd p = { .fd = c->in, .events = POLLIN };

	if (c->in < 0)
		return 0;
	if (poll(&p, 1, 0) < 0)
		return 1;
	return !(p.revents & POLLHUP);
}

const struct chan_ops pty_ops = {
	.open		= pty_open,
	.read		= chan_fd_read,
	.write		= chan_fd_write,
	.winsize	= chan_fd_winsize,
	.close		= chan_fd_close,
	.peer		= pty_peer,
	.shown		= "on host pseudo-terminal",
	.flags		= HOST_CHAN_CLIENTS | HOST_CHAN_ASK_PEER |
			  HOST_CHAN_NAMED,
};
