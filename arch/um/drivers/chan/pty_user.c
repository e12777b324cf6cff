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

int pty_open(struct host_chan *c, char *msg, unsigned long len)
{
	int fd, slave, err;

	fd = posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	if (grantpt(fd) || unlockpt(fd) ||
	    ptsname_r(fd, c->name, sizeof(c->name)))
		goto fail_close;
	slave = open(c->name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		goto fail_close;
	chan_make_raw(slave);
	close(slave);
	c->in = c->out = fd;
	return 0;

fail_close:
	err = errno;
	close(fd);
	errno = err;
fail:
	snprintf(msg, len, "cannot make a pseudo-terminal: %s",
		 strerror(errno));
	return -errno;
}

int pty_peer(struct host_chan *c)
{
	struct pollfd p = { .fd = c->in, .events = POLLIN };

	if (c->in < 0)
		return 0;
	if (poll(&p, 1, 0) < 0)
		return 1;
	return !(p.revents & POLLHUP);
}
