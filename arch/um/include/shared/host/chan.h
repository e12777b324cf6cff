/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: channels, the host byte streams under consoles and serial
 * lines (drivers/chan/).
 *
 * A channel is named by a spec: "fd:N", "fd:IN,fd:OUT", "null", "pty",
 * "pts", "tty:/dev/X", "xterm", "port:PORT" or "port:ADDR:PORT".  The host
 * half parses and opens it and moves bytes without ever waiting; the
 * kernel half (drivers/chan/line.c) owns the tty, the buffers and the IRQs.
 * Errors are negative errnos.
 */
#ifndef __HOST_CHAN_H
#define __HOST_CHAN_H

/*
 * What the line needs to know of a channel's kind (host_chan.flags); the
 * kind's own file says which apply.
 */
/* a client comes and goes: losing it hangs the line up, a new one is awaited */
#define HOST_CHAN_CLIENTS	0x1
/*
 * a client coming or going raises no IRQ of the channel's own: ask
 * host_chan_peer() when the watch descriptor (host_chan_watch_fd()) says
 * so, or now and then when the channel is not @watched
 */
#define HOST_CHAN_ASK_PEER	0x2
/* clients connect to @listen, shared by lines: host_chan_accept() */
#define HOST_CHAN_LISTENS	0x4
/* @name is for the user (a pty's path): configuration answers with it */
#define HOST_CHAN_NAMED		0x8

/**
 * struct host_chan - an open channel
 * @ops:       the kind's table of operations (host half only)
 * @flags:     HOST_CHAN_* above, for the line
 * @in:        descriptor to read, or -1 (null; port without a connection)
 * @out:       descriptor to write, or -1 (null discards output)
 * @listen:    port: the listening socket (shared by the lines of a port)
 * @resized:   the host end's window size may have changed since asked
 * @state:     the kind's own: port, the telnet input filter; xterm, the
 *             window id line still to skip
 * @rows:      port: the window size the client sent (0 when none)
 * @cols:      port: see @rows
 * @sb:        port: a telnet subnegotiation being collected
 * @sblen:     port: bytes in @sb
 * @watch:     pty: the host's watch on the client side, or -1: then a
 *             client opening or closing it makes host_chan_watch_fd()
 *             readable
 * @name:      pty/pts/xterm: the host pty's path; port: "ADDR:PORT"
 *
 * Plain data, so the kernel half can embed it; only the host half writes it.
 */
struct host_chan {
	const void *ops;
	int flags;
	int in, out;
	int listen;
	int resized;
	int state;
	unsigned short rows, cols;
	unsigned char sb[8];
	int sblen;
	int watch;
	char name[64];
};

/**
 * host_chan_check() - check a spec before boot
 * @spec: the channel spec
 *
 * Parses @spec and checks what can be checked without keeping anything
 * open: the descriptors of fd: exist, the device of tty: opens, a display
 * is there for xterm.  A port is bound (and kept, for the line that will
 * use it) so that a port in use is found before the kernel boots.
 * Return: NULL when good, else a message saying what is wrong.
 */
const char *host_chan_check(const char *spec);

/**
 * host_chan_open() - open the channel of @spec into @c
 * @spec: the channel spec (checked or not)
 * @c:    filled in; every descriptor is non-blocking and close-on-exec
 * @msg:  a message for the user on failure
 * @len:  room in @msg
 * Return: 0 or a negative errno.
 */
int host_chan_open(const char *spec, struct host_chan *c, char *msg,
		   unsigned long len);

/**
 * host_chan_close() - close what host_chan_open() or an accept opened
 * The listening socket of a port stays (other lines may share it).
 */
void host_chan_close(struct host_chan *c);

/**
 * host_chan_read() - read what is there, without waiting
 * Return: bytes read (telnet commands of a port removed), 0 when the other
 * end went away or the input ended, -EAGAIN when nothing is there now.
 */
long host_chan_read(struct host_chan *c, char *buf, unsigned long len);

/**
 * host_chan_write() - write what fits now, without waiting
 * Return: bytes taken (a null channel takes all), -EAGAIN when none fit,
 * or another negative errno when the other end went away (-EPIPE, -EIO).
 */
long host_chan_write(struct host_chan *c, const char *buf, unsigned long len);

/**
 * host_chan_wait_out() - wait up to @ms milliseconds until output fits
 * (used only when the machine ends, to flush what is buffered)
 */
void host_chan_wait_out(struct host_chan *c, int ms);

/**
 * host_chan_winsize() - the window size of the host end
 * Return: 0 with @rows and @cols set, or -ENOTTY when the channel has none.
 */
int host_chan_winsize(struct host_chan *c, unsigned short *rows,
		      unsigned short *cols);

/**
 * host_chan_peer() - is someone at the other end of a pty?
 * Return: 1 when the pty's other side is open (or the channel is not a
 * pty), 0 when nobody has it open now.
 */
int host_chan_peer(struct host_chan *c);

/**
 * host_chan_watch_fd() - the descriptor that tells of pty clients
 *
 * One per process, shared by every pty channel whose @watch is set: it
 * becomes readable when a client opens or closes the client side of one
 * of them (then host_chan_peer() of each says which).  Made by the first
 * pty channel opened.
 * Return: the descriptor, or -1 when there is none (the host refused one:
 * the lines of those channels ask host_chan_peer() now and then).
 */
int host_chan_watch_fd(void);

/** host_chan_watch_drain() - read what host_chan_watch_fd() holds */
void host_chan_watch_drain(void);

/**
 * host_chan_resized() - has the host end's window size changed?
 * Return: 1 once after the kind saw a sign of a new size (a telnet window
 * size, input from a terminal we opened), else 0.
 */
int host_chan_resized(struct host_chan *c);

/**
 * host_chan_shown() - what the boot log says of the open channel
 * Return: the words before its name ("on host pseudo-terminal"), or NULL
 * when the kind says nothing.
 */
const char *host_chan_shown(struct host_chan *c);

/**
 * host_chan_accept() - take the next connection waiting on a port
 * @c: a port channel; on success @c->in and @c->out are the connection,
 *     and the telnet negotiation has been sent
 * Return: 0, -EAGAIN when none is waiting, or another negative errno.
 */
int host_chan_accept(struct host_chan *c);

/**
 * host_port_refuse() - accept the next connection on @listen, send it
 * @msg and close it (a port with no free line).
 * Return: 0, or -EAGAIN when nobody was waiting.
 */
int host_port_refuse(int listen, const char *msg);

#endif
