// SPDX-License-Identifier: GPL-2.0
/*
 * Channels, host half: the spec of a channel names its kind, and this file
 * hands it to the kind's own file (fd_user.c, tty_user.c, pty_user.c,
 * xterm_user.c, port_user.c; null is nothing at all).  Reading, writing and
 * window sizes are the same for every kind that is a descriptor.  Every
 * descriptor is made non-blocking; a host terminal is put in raw mode (the
 * guest's line discipline does echo and editing) and both are undone at
 * exit by host_chan_restore_all().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "chan_user.h"

/* descriptors whose flags or terminal mode we changed, to restore at exit */
#define MAX_SAVED	32

static struct saved_fd {
	int fd, flags, has_termios;
	struct termios termios;
} saved[MAX_SAVED];
static int nr_saved;

static void save_fd(int fd)
{
	struct saved_fd *s;
	int i;

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

void host_chan_restore_all(void)
{
	int i;

	for (i = 0; i < nr_saved; i++) {
		if (saved[i].has_termios)
			tcsetattr(saved[i].fd, TCSADRAIN, &saved[i].termios);
		fcntl(saved[i].fd, F_SETFL, saved[i].flags);
	}
	nr_saved = 0;
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

static char check_msg[160];

const char *host_chan_check(const char *spec)
{
	if (!strcmp(spec, "null") || !strcmp(spec, "pty") ||
	    !strcmp(spec, "pts"))
		return NULL;
	if (!strcmp(spec, "xterm"))
		return xterm_check();
	if (!strncmp(spec, "fd:", 3))
		return fd_check(spec, check_msg, sizeof(check_msg));
	if (!strncmp(spec, "tty:", 4))
		return tty_check(spec + 4, check_msg, sizeof(check_msg));
	if (!strncmp(spec, "port:", 5))
		return port_check(spec + 5, check_msg, sizeof(check_msg));
	return "unknown channel (one of fd:N, fd:IN,fd:OUT, null, pty, pts, tty:DEV, xterm, port:[ADDR:]PORT)";
}

int host_chan_open(const char *spec, struct host_chan *c, char *msg,
		   unsigned long len)
{
	const char *err;

	c->in = c->out = c->listen = -1;
	c->pid = 0;
	c->telnet = 0;
	c->rows = c->cols = 0;
	c->sblen = 0;
	if (!strcmp(spec, "null")) {
		c->kind = HOST_CHAN_NULL;
		c->name[0] = '\0';
		return 0;
	}
	if (!strcmp(spec, "pty") || !strcmp(spec, "pts")) {
		c->kind = HOST_CHAN_PTY;
		return pty_open(c, msg, len);
	}
	if (!strcmp(spec, "xterm")) {
		c->kind = HOST_CHAN_XTERM;
		err = xterm_check();
		if (err) {
			snprintf(msg, len, "%s", err);
			return -ENXIO;
		}
		return xterm_open(c, msg, len);
	}
	if (!strncmp(spec, "fd:", 3)) {
		c->kind = HOST_CHAN_FD;
		return fd_open(spec, c, msg, len);
	}
	if (!strncmp(spec, "tty:", 4)) {
		c->kind = HOST_CHAN_TTY;
		return tty_open(spec + 4, c, msg, len);
	}
	if (!strncmp(spec, "port:", 5)) {
		c->kind = HOST_CHAN_PORT;
		return port_open(spec + 5, c, msg, len);
	}
	snprintf(msg, len, "%s", host_chan_check(spec) ?: "bad channel");
	return -EINVAL;
}

void host_chan_close(struct host_chan *c)
{
	/* fd: descriptors belong to whoever started us: left open */
	if (c->kind != HOST_CHAN_FD) {
		if (c->in >= 0)
			close(c->in);
		if (c->out >= 0 && c->out != c->in)
			close(c->out);
	}
	c->in = c->out = -1;
}

long host_chan_read(struct host_chan *c, char *buf, unsigned long len)
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
	if (n > 0 && c->kind == HOST_CHAN_PORT)
		n = telnet_filter(c, buf, n) ?: -EAGAIN;
	else if (n > 0 && c->kind == HOST_CHAN_XTERM)
		n = xterm_filter(c, buf, n) ?: -EAGAIN;
	/* everything filtered away is "nothing now", not the end */
	return n;
}

long host_chan_write(struct host_chan *c, const char *buf, unsigned long len)
{
	ssize_t n;

	if (c->kind == HOST_CHAN_NULL)
		return len;
	if (c->out < 0)
		return -EAGAIN;
	if (c->kind == HOST_CHAN_PORT)
		return telnet_write(c, buf, len);
	do
		n = write(c->out, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EWOULDBLOCK)
		return -EAGAIN;
	return n < 0 ? -errno : n;
}

int host_chan_winsize(struct host_chan *c, unsigned short *rows,
		      unsigned short *cols)
{
	struct winsize ws;
	int fd = c->in >= 0 && isatty(c->in) ? c->in : c->out;

	if (c->kind == HOST_CHAN_PORT) {
		if (!c->rows || !c->cols)
			return -ENOTTY;
		*rows = c->rows;
		*cols = c->cols;
		return 0;
	}
	if (fd < 0 || ioctl(fd, TIOCGWINSZ, &ws) || !ws.ws_row || !ws.ws_col)
		return -ENOTTY;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return 0;
}

int host_chan_peer(struct host_chan *c)
{
	if (c->kind == HOST_CHAN_PTY)
		return pty_peer(c);
	return 1;
}

void host_chan_wait_out(struct host_chan *c, int ms)
{
	struct pollfd p = { .fd = c->out, .events = POLLOUT };

	if (c->out >= 0)
		poll(&p, 1, ms);
}
