// SPDX-License-Identifier: GPL-2.0
/*
 * xterm channel: a terminal window on the host display, attached to the
 * line.  By default xterm itself, in its "-S" mode: it is handed the
 * master side of a new pty and works the window, the line keeps the slave
 * (raw).  xterm first writes its window id and a newline, which the line
 * skips.  $UML_XTERM replaces xterm with any command (run by /bin/sh) that
 * attaches a terminal to the pty named by $UML_PTY; then the line keeps
 * the master, as for a pty channel.  The terminal is not our child (a
 * double fork), so it never mixes with the guest processes we wait for.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "chan_user.h"

#define XTERM_SKIP_ID	1	/* host_chan.state: window id line not read */

static const char *xterm_check(const char *arg, char *msg,
			       unsigned long len)
{
	if (getenv("UML_XTERM"))
		return NULL;
	if (!getenv("DISPLAY") || !*getenv("DISPLAY"))
		return "xterm needs a display ($DISPLAY is not set)";
	return NULL;
}

static void start_terminal(int keep, const char *title, const char *slave)
{
	char sopt[96], env[80];
	const char *cmd = getenv("UML_XTERM");
	sigset_t none;
	pid_t pid;

	pid = fork();
	if (pid != 0) {
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return;
	}
	/* the middle process: its child is the terminal, adopted by init */
	if (fork())
		_exit(0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	if (cmd) {
		snprintf(env, sizeof(env), "%s", slave);
		setenv("UML_PTY", env, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* -S takes the end of the pty's name and the descriptor number */
	fcntl(keep, F_SETFD, 0);
	snprintf(sopt, sizeof(sopt), "-S%s/%d",
		 strrchr(slave, '/') ? strrchr(slave, '/') + 1 : slave, keep);
	execlp("xterm", "xterm", "-T", title, sopt, (char *)NULL);
	_exit(127);
}

static int xterm_open(const char *arg, struct host_chan *c, char *msg,
		      unsigned long len)
{
	const char *err = xterm_check(arg, msg, len);
	char title[80], slave_name[64];
	int master, slave;

	if (err) {
		snprintf(msg, len, "%s", err);
		return -ENXIO;
	}
	snprintf(title, sizeof(title), "UML %s", c->name);
	master = pty_new(0, &slave, slave_name, sizeof(slave_name));
	if (master < 0) {
		snprintf(msg, len, "xterm: cannot make a pseudo-terminal: %s",
			 strerror(-master));
		return master;
	}
	snprintf(c->name, sizeof(c->name), "%s", slave_name);
	if (getenv("UML_XTERM")) {
		start_terminal(master, title, slave_name);
		close(slave);
		/* from here on it is a pty whose client is the terminal */
		c->ops = &pty_ops;
		c->flags = pty_ops.flags;
		c->in = c->out = master;
		pty_watch(c);
	} else {
		start_terminal(master, title, slave_name);
		close(master);
		c->in = c->out = slave;
		c->state = XTERM_SKIP_ID;
	}
	fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
	return 0;
}

/* drop xterm's window id line, the first thing it writes */
static long xterm_filter(struct host_chan *c, char *buf, long n)
{
	char *nl;

	if (c->state != XTERM_SKIP_ID)
		return n;
	nl = memchr(buf, '\n', n);
	if (!nl)
		return 0;
	c->state = 0;
	n -= nl + 1 - buf;
	memmove(buf, nl + 1, n);
	return n;
}

/*
 * Everything filtered away is "nothing now", not the end.  The window
 * sends no SIGWINCH to us: input is the sign to look at its size.
 */
static long xterm_read(struct host_chan *c, char *buf, unsigned long len)
{
	long n = chan_fd_read(c, buf, len);

	if (n > 0)
		n = xterm_filter(c, buf, n) ?: -EAGAIN;
	if (n > 0)
		c->resized = 1;
	return n;
}

const struct chan_ops xterm_ops = {
	.check		= xterm_check,
	.open		= xterm_open,
	.read		= xterm_read,
	.write		= chan_fd_write,
	.winsize	= chan_fd_winsize,
	.close		= chan_fd_close,
	.shown		= "xterm on",
	.flags		= HOST_CHAN_NAMED,
};
