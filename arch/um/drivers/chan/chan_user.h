/* SPDX-License-Identifier: GPL-2.0 */
/* Host halves of the channel kinds: what they share (host code only). */
#ifndef __CHAN_USER_H
#define __CHAN_USER_H

#include <host/chan.h>

/* chan_user.c */
int chan_prepare_fd(int fd, int raw);
int chan_make_raw(int fd);

/* fd_user.c */
const char *fd_check(const char *spec, char *msg, unsigned long len);
int fd_open(const char *spec, struct host_chan *c, char *msg,
	    unsigned long len);

/* tty_user.c */
const char *tty_check(const char *path, char *msg, unsigned long len);
int tty_open(const char *path, struct host_chan *c, char *msg,
	     unsigned long len);

/* pty_user.c */
/*
 * pty_new() - a new host pty: returns its master (opened with @flags
 * added, e.g. O_NONBLOCK) or -errno; *@slave is the slave, open and raw,
 * whose path is written to @name (@len bytes).
 */
int pty_new(int flags, int *slave, char *name, unsigned long len);
int pty_open(struct host_chan *c, char *msg, unsigned long len);
int pty_peer(struct host_chan *c);

/* xterm_user.c */
const char *xterm_check(void);
int xterm_open(struct host_chan *c, char *msg, unsigned long len);
long xterm_filter(struct host_chan *c, char *buf, long n);

/* port_user.c */
const char *port_check(const char *arg, char *msg, unsigned long len);
int port_open(const char *arg, struct host_chan *c, char *msg,
	      unsigned long len);
long telnet_filter(struct host_chan *c, char *buf, long n);
long telnet_write(struct host_chan *c, const char *buf, unsigned long len);

#endif
