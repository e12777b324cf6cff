/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary of the block driver: requests handed to the host I/O
 * thread.  The kernel side fills a struct ubd_io and writes its address
 * to the request pipe; the thread does the I/O with preadv/pwritev and
 * writes the same address back to the completion pipe, whose SIGIO raises
 * the driver's IRQ.  The kernel never waits for the disk.
 */
#ifndef __HOST_UBD_H
#define __HOST_UBD_H

#define UBD_MAX_SEGS	128

enum ubd_op {
	UBD_READ,
	UBD_WRITE,
	UBD_FLUSH,
};

/* laid out as struct iovec */
struct ubd_seg {
	void *buf;
	unsigned long len;
};

/**
 * struct ubd_io - one request for the I/O thread
 * @fd:     host file
 * @op:     enum ubd_op
 * @offset: byte offset in the file
 * @nr:     segments in @seg
 * @result: set by the thread: 0 or a negative errno
 * @cookie: the kernel's request
 * @seg:    memory to read into or write from
 */
struct ubd_io {
	int fd;
	int op;
	unsigned long long offset;
	int nr;
	int result;
	void *cookie;
	struct ubd_seg seg[UBD_MAX_SEGS];
};

/**
 * ubd_io_thread_start() - start the I/O thread
 * @submit_fd: set to the descriptor to write struct ubd_io pointers to
 * @done_fd:   set to the descriptor completed ones come from
 * Return: 0 or a negative errno.
 */
int ubd_io_thread_start(int *submit_fd, int *done_fd);

/**
 * ubd_check_file() - can @path be used as a disk (@rw: for writing)?
 * Return: NULL, or a message saying what is wrong.
 */
const char *ubd_check_file(const char *path, int rw);

#endif
