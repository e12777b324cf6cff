/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary of the block driver (arch/um/drivers/block/).
 *
 * The host half opens a disk (a plain file, a host block device, or a
 * copy-on-write file over a backing file) and does its I/O on a pool of
 * host threads.  The kernel half fills a struct ubd_io per request (the
 * request's blk-mq PDU) and hands its address to ubd_io_submit(); a pool
 * thread does the I/O and writes the same address to the completion pipe,
 * whose SIGIO raises UBD_IRQ.  The kernel never waits for the disk, and
 * several requests are in flight at once, one per thread.
 */
#ifndef __HOST_UBD_H
#define __HOST_UBD_H

#define UBD_MAX_SEGS	256
#define UBD_IO_THREADS	8	/* at most; one while idle */
#define UBD_SUBMIT_MAX	128	/* pointers in one atomic pipe write */

enum ubd_op {
	UBD_READ,
	UBD_WRITE,
	UBD_FLUSH,
	UBD_DISCARD,	/* punch a hole: the range may read as anything */
	UBD_ZEROES,	/* the range reads as zeroes afterwards */
};

/* laid out as struct iovec */
struct ubd_seg {
	void *buf;
	unsigned long len;
};

struct ubd_host_disk;

/**
 * struct ubd_io - one request for the I/O threads
 * @disk:   the disk, from ubd_host_open()
 * @op:     enum ubd_op
 * @fua:    for writes: complete only once the data is durable
 * @offset: byte offset on the disk
 * @len:    bytes, for discard and zeroes
 * @nr:     segments in @seg, for reads and writes
 * @result: set by the thread: 0 or a negative errno
 * @cookie: the kernel's request
 * @seg:    memory to read into or write from
 */
struct ubd_io {
	struct ubd_host_disk *disk;
	int op;
	int fua;
	unsigned long long offset;
	unsigned long long len;
	int nr;
	int result;
	void *cookie;
	struct ubd_seg seg[UBD_MAX_SEGS];
};

/**
 * struct ubd_host_spec - what the user asked for (ubdN[flags]=FILE[,BACKING])
 * @file:      the disk file, or the COW file when @backing is set or the
 *             file has a COW header
 * @backing:   the backing file named on the command line, or NULL
 * @ro:        flag r: read-only
 * @sync:      flag s: every write durable before it completes (O_SYNC)
 * @data_only: flag d: never read @file as a COW file
 * @shared:    flag c: take no lock (cluster file systems)
 * @no_trim:   flag t: no discard
 * @force:     flag f: accept a backing file whose size or mtime changed,
 *             and record its current ones in the COW header
 */
struct ubd_host_spec {
	const char *file;
	const char *backing;
	int ro, sync, data_only, shared, no_trim, force;
};

/**
 * struct ubd_host_info - what the host found
 * @size:      the disk's size in bytes (a multiple of 512)
 * @blksize:   logical block size (512, or a host block device's)
 * @physblksize: physical block size
 * @ro:        the disk is read-only (asked for, or the file is)
 * @discard:   discard and write-zeroes work
 * @cow:       the disk is a COW file over @backing
 * @created:   the COW file was created now
 * @backing:   the backing file's path (COW disks), else ""
 */
struct ubd_host_info {
	unsigned long long size;
	unsigned int blksize, physblksize;
	int ro, discard, cow, created;
	char backing[4097];
};

#define UBD_OPEN_CHECK	0x1	/* check only: create, lock, keep nothing */

/**
 * ubd_host_open() - open a disk
 * @spec:  files and flags
 * @flags: UBD_OPEN_CHECK or 0
 * @disk:  set to the open disk (not with UBD_OPEN_CHECK)
 * @info:  filled in
 * @msg:   on failure, what is wrong (naming the file); @len bytes
 *
 * A missing @spec->file with a @spec->backing is created as a version 3
 * COW file.  A COW file's header is checked (version, sector size,
 * alignment, bitmap inside the file) and so is the backing file (it
 * opens read-only; its size and mtime match the header, unless
 * @spec->force).  The disk file is locked (flock: exclusive when written,
 * shared when read-only), the backing file shared, nothing with
 * @spec->shared.  Nothing is written on failure.
 * Return: 0 or a negative errno.
 */
int ubd_host_open(const struct ubd_host_spec *spec, int flags,
		  struct ubd_host_disk **disk, struct ubd_host_info *info,
		  char *msg, unsigned long len);

/**
 * ubd_host_grow() - make a disk larger
 * @disk: the open disk
 * @info: what ubd_host_open() found
 * @size: the new size in bytes, larger than @info->size
 * @msg:  on failure, why; @len bytes
 *
 * Only a plain, writable file grows (sparse, so it costs the host
 * nothing until written): a COW disk keeps its backing file's size and a
 * host block device its own.
 * Return: 0 or a negative errno.
 */
int ubd_host_grow(struct ubd_host_disk *disk, const struct ubd_host_info *info,
		  unsigned long long size, char *msg, unsigned long len);

/**
 * ubd_host_check_boot() - before boot, the checks across disks: @spec->file
 * is not already another disk (the same host file by any name), and when
 * disk @n holds the root filesystem (root=/dev/ubdX, or ubd0 without
 * root=), the file is not empty, not a truncated ext2/3/4 image and holds
 * a filesystem signature (any, when rootfstype= is given).  Called once per
 * ubdN= option, in order.
 * @n:    the disk number
 * @spec: files and flags
 * @msg:  on failure, what is wrong (naming the file); @len bytes
 * Return: 0 or a negative errno.
 */
int ubd_host_check_boot(int n, const struct ubd_host_spec *spec, char *msg,
			unsigned long len);

/** ubd_host_close() - close a disk with no I/O in flight; frees it */
void ubd_host_close(struct ubd_host_disk *disk);

/**
 * ubd_io_start() - start the I/O thread pool (once): one thread, more
 * while requests keep them all busy
 * @done_fd: set to the descriptor completed requests come from: each
 *           read gives whole struct ubd_io pointers
 * Return: 0 or a negative errno.
 */
int ubd_io_start(int *done_fd);

/**
 * ubd_io_try() - do @io now if that cannot block: a read whose data is all
 * in the host's page cache (RWF_NOWAIT)
 * Return: 1 when done (@io->result set), 0 when it must be submitted.
 */
int ubd_io_try(struct ubd_io *io);

/**
 * ubd_io_submit() - queue requests for the I/O threads in one host call;
 * never blocks for I/O
 * @ios: the requests
 * @nr:  how many (at most UBD_SUBMIT_MAX)
 * Return: 0 (all queued) or a negative errno (none queued).
 */
int ubd_io_submit(struct ubd_io **ios, int nr);

#endif
