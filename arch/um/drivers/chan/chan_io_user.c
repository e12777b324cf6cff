// SPDX-License-Identifier: GPL-2.0
/*
 * Channels, host half: what every kind that is a host descriptor shares.
 * Every descriptor is made non-blocking; a host terminal is put in raw
 * mode (the guest's line discipline does echo and editing) and both are
 * undone when the process ends (restore_saved(), through host_at_exit()).
 * Reading, writing, window sizes and closing, as the kinds' tables name
 * them; taking and refusing connections on a listening socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <host/process.h>
#include "chan_user.h"

/* descriptors whose flags or terminal mode we changed, to restore at exit */
#define MAX_SAVED	32

static struct saved_fd {
	int fd, flags, has_termios;
	struct termios termios;
} saved[MAX_SAVED];
static int nr_saved;

/* give host descriptors and terminals back as they were found */
static void restore_saved(void)
{
	int i;

	for (i = 0; i < nr_saved; i++) {
		if (saved[i].has_termios)
			tcsetattr(saved[i].fd, TCSADRAIN, &saved[i].termios);
		fcntl(saved[i].fd, F_SETFL, saved[i].flags);
	}
	nr_saved = 0;
}

static void save_fd(int fd)
{
	static int registered;
	struct saved_fd *s;
	int i;

	if (!registered)
		registered = !host_at_exit(restore_saved);
	for (i = 0; i < nr_saved; i++)
		if (saved[i].fd == fd)
			return;
	if (nr_saved == MAX_SAVED)
		return;
	s = &saved[nr_saved];
	s->fd = fd;
	s->flags = fcntl(fd, F_GETFL);
	if (s->flags < 0)
		return;
	s->has_termios = isatty(fd) && !tcgetattr(fd, &s->termios);
	nr_saved++;
}

int chan_make_raw(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t))
		return -errno;
	cfmakeraw(&t);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	return tcsetattr(fd, TCSADRAIN, &t) ? -errno : 0;
}

/*
 * Non-blocking, and raw when it is a terminal and @raw: the state before
 * is restored at exit for descriptors we did not open ourselves.
 */
int chan_prepare_fd(int fd, int raw)
{
	int fl;

	save_fd(fd);
	if (raw && isatty(fd))
		chan_make_raw(fd);
	fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -errno;
	return 0;
}

long chan_fd_read(struct host_chan *c, char *buf, unsigned long len)
{
	ssize_t n;

	if (c->in < 0)
		return -EAGAIN;
	do
		n = read(c->in, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		/* a pty whose other side closed reads EIO: the end went away */
		if (errno == EIO || errno == ECONNRESET)
			return 0;
		return -errno;
	}
	return n;
}

long chan_fd_write(struct host_chan *c, const char *buf, unsigned long len)
{
	ssize_t n;

	if (c->out < 0)
		return -EAGAIN;
	do
		n = write(c->out, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EWOULDBLOCK)
		return -EAGAIN;
	return n < 0 ? -errno : n;
}

int chan_fd_winsize(struct host_chan *c, unsigned short *rows,
		    unsigned short *cols)
{
	struct winsize ws;
	int fd = c->in >= 0 && isatty(c->in) ? c->in : c->out;

	if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return -ENOTTY;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}

void chan_fd_close(struct host_chan *c)
{
	if (c->in >= 0)
		close(c->in);
	if (c->out >= 0 && c->out != c->in)
		close(c->out);
}

/* the next connection on @listen_fd, non-blocking: a descriptor or -errno */
int chan_accept(int listen_fd)
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

int host_port_refuse(int listen_fd, const char *msg)
{
	int fd = chan_accept(listen_fd);
	ssize_t n;

	if (fd < 0)
		return fd;
	/* the client is told if it can be told */
	n = write(fd, msg, strlen(msg));
	close(fd);
	(void)n;
	return 0;
}
