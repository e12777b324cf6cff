/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: the management console's socket (drivers/mconsole/).
 *
 * A unix datagram socket bound in the machine's directory; each request
 * comes with its sender's address, and the answer goes back to it.
 * Errors are negative errnos.
 */
#ifndef __HOST_MCONSOLE_H
#define __HOST_MCONSOLE_H

/**
 * struct host_mc_peer - who sent a request (a unix socket address)
 * @addr: the address as the host gave it
 * @len:  its length; 0 for an unbound sender, which cannot be answered
 */
struct host_mc_peer {
	unsigned char addr[112];
	unsigned int len;
};

/**
 * host_mconsole_open() - bind the console's socket at @path
 * A file left at @path (by a dead kernel) is replaced.
 * Return: the descriptor (close-on-exec, non-blocking) or -errno.
 */
int host_mconsole_open(const char *path);

/**
 * host_mconsole_recv() - take one datagram, without waiting
 * @fd:   the console's socket
 * @buf:  where the datagram goes; a longer one is cut to @len
 * @len:  room in @buf
 * @peer: filled with the sender
 * Return: the datagram's full length (may exceed @len), or -errno
 * (-EAGAIN when there is none).
 */
long host_mconsole_recv(int fd, void *buf, unsigned long len,
			struct host_mc_peer *peer);

/**
 * host_mconsole_send() - send one datagram to @peer, without waiting
 * Return: 0, -EAGAIN when the peer's queue is full, or another -errno.
 */
int host_mconsole_send(int fd, const void *buf, unsigned long len,
		       const struct host_mc_peer *peer);

/**
 * host_mconsole_wait() - wait until a datagram is there
 * @fd:         the console's socket
 * @timeout_ms: at most this long; -1 for no limit
 *
 * Returns early when a host signal arrives (the caller loops).
 * Return: 1 when a datagram is ready, else 0.
 */
int host_mconsole_wait(int fd, int timeout_ms);

/** host_mconsole_close() - close the socket and unlink @path */
void host_mconsole_close(int fd, const char *path);

/**
 * host_mconsole_notify() - send one datagram to the socket at @path
 *
 * For the notifications of mconsole=notify:PATH; usable from a panic
 * (host system calls only, no allocation).
 * Return: 0 or -errno.
 */
int host_mconsole_notify(const char *path, const void *buf,
			 unsigned long len);

/** host_mconsole_sleep_us() - sleep on the host (atomic context) */
void host_mconsole_sleep_us(unsigned long us);

/**
 * host_mconsole_freeze() - sleep on the host while *@frozen is non-zero
 *
 * What the other virtual CPUs do while the machine is stopped: their
 * threads sleep (host futex) until host_mconsole_thaw().
 */
void host_mconsole_freeze(int *frozen);

/** host_mconsole_thaw() - clear *@frozen and wake its sleepers */
void host_mconsole_thaw(int *frozen);

#endif
