// SPDX-License-Identifier: GPL-2.0
/*
 * pty and pts channels: a new host pseudo-terminal.  The line keeps the
 * master side; a terminal client opens the slave, whose path is printed in
 * the boot log and answered by the management console.  The slave starts
 * raw, so a client that does not set a mode sees the guest's bytes as they
 * are.  Nobody having the slave open (never yet, or no longer) shows as a
 * hang-up on the master: pty_peer() asks.
 *
 * When to ask: the host signals nothing on the master when a client opens
 * or closes the slave, so the slave's path is watched with inotify for
 * opens and closes; the watch descriptor raises the lines' IRQ and an idle
 * line without a client costs nothing.  One inotify instance serves every
 * pty of the process (a user may have only fs.inotify.max_user_instances
 * of them, 128 by default); without one the line asks now and then.  A
 * client's window size is looked at when its input comes (a pty's master
 * gets no SIGWINCH).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include "chan_user.h"

static int watch_fd = -1;

int pty_watch_fd(void)
{
	return watch_fd;
}

void pty_watch(struct host_chan *c)
{
	c->watch = -1;
	/* tried again for each pty while the host refuses an instance */
	if (watch_fd < 0)
		watch_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (watch_fd < 0)
		return;
	c->watch = inotify_add_watch(watch_fd, c->name, IN_OPEN | IN_CLOSE);
	if (c->watch < 0)
		c->watch = -1;
}

void pty_watch_drain(void)
{
	char buf[1024];
	ssize_t n;

	if (watch_fd < 0)
		return;
	do
		n = read(watch_fd, buf, sizeof(buf));
	while (n > 0 || (n < 0 && errno == EINTR));
}

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
	pty_watch(c);
	return 0;
}

static long pty_read(struct host_chan *c, char *buf, unsigned long len)
{
	long n = chan_fd_read(c, buf, len);

	if (n > 0)
		c->resized = 1;
	return n;
}

static void pty_close(struct host_chan *c)
{
	if (c->watch >= 0 && watch_fd >= 0)
		inotify_rm_watch(watch_fd, c->watch);
	c->watch = -1;
	chan_fd_close(c);
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
	.read		= pty_read,
	.write		= chan_fd_write,
	.winsize	= chan_fd_winsize,
	.close		= pty_close,
	.peer		= pty_peer,
	.shown		= "on host pseudo-terminal",
	.flags		= HOST_CHAN_CLIENTS | HOST_CHAN_ASK_PEER |
			  HOST_CHAN_NAMED,
};
