// SPDX-License-Identifier: GPL-2.0
/*
 * tty channel: "tty:/dev/X", a host terminal device (a serial port, the
 * slave of a pty someone else made), opened by us and put in raw mode.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "chan_user.h"

static const char *tty_check(const char *path, char *msg,
			     unsigned long len)
{
	int fd;

	if (!*path)
		return "expected a device after tty:, as in tty:/dev/ttyS0";
	fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(msg, len, "%s: %s", path, strerror(errno));
		return msg;
	}
	close(fd);
	return NULL;
}

static int tty_open(const char *path, struct host_chan *c, char *msg,
		    unsigned long len)
{
	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		snprintf(msg, len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (isatty(fd))
		chan_make_raw(fd);
	c->in = c->out = fd;
	snprintf(c->name, sizeof(c->name), "%s", path);
	return 0;
}

/* a terminal we opened sends no SIGWINCH: input is the sign to look */
static long tty_read(struct host_chan *c, char *buf, unsigned long len)
{
	long n = chan_fd_read(c, buf, len);

	if (n > 0)
		c->resized = 1;
	return n;
}

const struct chan_ops tty_ops = {
	.check		= tty_check,
	.open		= tty_open,
	.read		= tty_read,
	.write		= chan_fd_write,
	.winsize	= chan_fd_winsize,
	.close		= chan_fd_close,
};
