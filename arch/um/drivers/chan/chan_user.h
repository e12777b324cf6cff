/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host halves of the channel kinds (host code only).  Each kind's file
 * fills one struct chan_ops; chan_user.c picks the kind by the spec's
 * prefix (its table of kinds) and calls the kind through it; every kind
 * may use the descriptor helpers of chan_io_user.c.  The files call each
 * other in one direction only: chan_user.c -> kinds -> chan_io_user.c
 * (xterm also uses pty_new()); the kernel half calls chan_user.c and, for
 * host_port_refuse(), chan_io_user.c.
 */
#ifndef __CHAN_USER_H
#define __CHAN_USER_H

#include <host/chan.h>

/**
 * struct chan_ops - one kind of host channel
 * @check:   check the argument before boot (what follows the prefix) and
 *           what can be checked without keeping anything open; NULL when
 *           nothing can be wrong; returns NULL or a message (@msg may
 *           hold it, @len bytes)
 * @open:    open the channel of the argument into @c (@c->name holds the
 *           line's device name on entry); 0 or -errno with a message
 * @read:    read what is there without waiting: bytes, 0 at the end,
 *           -EAGAIN when nothing is there now
 * @write:   write what fits now: bytes taken, -EAGAIN when none fit
 * @winsize: the host end's window size: 0, or -ENOTTY when it has none
 * @close:   close what @open or @accept opened
 * @peer:    is a client there?  NULL: always (see HOST_CHAN_ASK_PEER)
 * @accept:  take a waiting connection (HOST_CHAN_LISTENS kinds only)
 * @shown:   the boot log's words before the channel's name, or NULL
 * @flags:   HOST_CHAN_* of host/chan.h: how the line treats the kind
 */
struct chan_ops {
	const char *(*check)(const char *arg, char *msg, unsigned long len);
	int (*open)(const char *arg, struct host_chan *c, char *msg,
		    unsigned long len);
	long (*read)(struct host_chan *c, char *buf, unsigned long len);
	long (*write)(struct host_chan *c, const char *buf,
		      unsigned long len);
	int (*winsize)(struct host_chan *c, unsigned short *rows,
		       unsigned short *cols);
	void (*close)(struct host_chan *c);
	int (*peer)(struct host_chan *c);
	int (*accept)(struct host_chan *c);
	const char *shown;
	int flags;
};

/* the kinds, one file each */
extern const struct chan_ops fd_ops;		/* fd_user.c */
extern const struct chan_ops null_ops;		/* null_user.c */
extern const struct chan_ops pty_ops;		/* pty_user.c */
extern const struct chan_ops tty_ops;		/* tty_user.c */
extern const struct chan_ops xterm_ops;		/* xterm_user.c */
extern const struct chan_ops port_ops;		/* port_user.c */

/* chan_io_user.c: what the kinds that are descriptors share */
int chan_prepare_fd(int fd, int raw);
int chan_make_raw(int fd);
long chan_fd_read(struct host_chan *c, char *buf, unsigned long len);
long chan_fd_write(struct host_chan *c, const char *buf, unsigned long len);
int chan_fd_winsize(struct host_chan *c, unsigned short *rows,
		    unsigned short *cols);
void chan_fd_close(struct host_chan *c);
int chan_accept(int listen_fd);

/* pty_user.c */
/*
 * pty_new() - a new host pty: returns its master (opened with @flags
 * added, e.g. O_NONBLOCK) or -errno; *@slave is the slave, open and raw,
 * whose path is written to @name (@len bytes).
 */
int pty_new(int flags, int *slave, char *name, unsigned long len);
/*
 * pty_watch() - watch the client side of the pty @c (its path in @c->name)
 * for clients opening and closing it; @c->watch is -1 when the host gives
 * no watch.  pty_watch_fd() is the descriptor of every watch, or -1.
 */
void pty_watch(struct host_chan *c);
int pty_watch_fd(void);
void pty_watch_drain(void);

#endif
