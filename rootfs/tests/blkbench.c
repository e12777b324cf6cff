// SPDX-License-Identifier: GPL-2.0
/*
 * blkbench MODE DEV SIZE_MIB SECONDS [cached]: one block benchmark,
 * printing "MODE value unit".  With "cached" the transfers go through the
 * page cache instead of O_DIRECT (the host-file ceiling of a driver that
 * does buffered host I/O).  Runs in the guest (on /dev/ubdX) and on the host
 * (on the image file itself, the ceiling) from bench/block/run.sh.
 *
 *   seqread, seqwrite  1 MiB O_DIRECT transfers over the first SIZE MiB: MB/s
 *   randread1, randwrite1    4 KiB O_DIRECT, queue depth 1: IOPS
 *   randread32, randwrite32  4 KiB O_DIRECT, queue depth 32 (Linux AIO): IOPS
 *   fsync     4 KiB write + fdatasync, repeated: microseconds each
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/aio_abi.h>
#include <sys/syscall.h>

#define QD 32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long rnd(unsigned long long n)
{
	static unsigned long long x = 88172645463325252ULL;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x % n;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	const char *mode, *dev;
	unsigned long long size, blocks, ops = 0;
	double secs, t0, t;
	char *buf;
	int fd, write, direct;

	if (argc != 5 && argc != 6) {
		fprintf(stderr, "usage: blkbench MODE DEV SIZE_MIB SECONDS [cached]\n");
		return 2;
	}
	mode = argv[1];
	dev = argv[2];
	size = strtoull(argv[3], NULL, 0) << 20;
	secs = atof(argv[4]);
	write = strstr(mode, "write") || !strcmp(mode, "fsync");
	direct = strcmp(mode, "fsync") != 0 && argc == 5;
	fd = open(dev, (write ? O_RDWR : O_RDONLY) | (direct ? O_DIRECT : 0));
	if (fd < 0)
		die(dev);
	if (posix_memalign((void **)&buf, 4096, QD << 20))
		die("memory");
	memset(buf, 0x5a, QD << 20);

	t0 = now();
	if (!strncmp(mode, "seq", 3)) {
		unsigned long long off = 0, bytes = 0;

		do {
			ssize_t n = write ? pwrite(fd, buf, 1 << 20, off)
					  : pread(fd, buf, 1 << 20, off);
			if (n != 1 << 20)
				die("seq");
			bytes += n;
			off = (off + n) % size;
		} while ((t = now()) - t0 < secs);
		printf("%s %.1f MB/s\n", mode, bytes / (t - t0) / 1e6);
	} else if (!strcmp(mode, "fsync")) {
		blocks = size / 4096;
		do {
			if (pwrite(fd, buf, 4096, rnd(blocks) * 4096) != 4096)
				die("write");
			if (fdatasync(fd))
				die("fdatasync");
			ops++;
		} while ((t = now()) - t0 < secs);
		printf("%s %.1f us\n", mode, (t - t0) / ops * 1e6);
	} else if (strchr(mode, '1') && !strstr(mode, "32")) {
		blocks = size / 4096;
		do {
			off_t off = rnd(blocks) * 4096;
			ssize_t n = write ? pwrite(fd, buf, 4096, off)
					  : pread(fd, buf, 4096, off);
			if (n != 4096)
				die("rand");
			ops++;
		} while ((t = now()) - t0 < secs);
		printf("%s %.0f IOPS\n", mode, ops / (t - t0));
	} else {
		struct iocb cb[QD], *cbp[QD];
		struct io_event ev[QD];
		aio_context_t ctx = 0;
		int i, n;

		blocks = size / 4096;
		if (syscall(SYS_io_setup, QD, &ctx))
			die("io_setup");
		for (i = 0; i < QD; i++) {
			memset(&cb[i], 0, sizeof(cb[i]));
			cb[i].aio_fildes = fd;
			cb[i].aio_lio_opcode = write ? IOCB_CMD_PWRITE : IOCB_CMD_PREAD;
			cb[i].aio_buf = (unsigned long)(buf + i * 4096);
			cb[i].aio_nbytes = 4096;
			cb[i].aio_offset = rnd(blocks) * 4096;
			cb[i].aio_data = i;
			cbp[i] = &cb[i];
		}
		if (syscall(SYS_io_submit, ctx, QD, cbp) != QD)
			die("io_submit");
		do {
			n = syscall(SYS_io_getevents, ctx, 1, QD, ev, NULL);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				die("io_getevents");
			for (i = 0; i < n; i++) {
				struct iocb *c = &cb[ev[i].data];

				if (ev[i].res != 4096) {
					fprintf(stderr, "aio result %lld\n",
						(long long)ev[i].res);
					return 1;
				}
				c->aio_offset = rnd(blocks) * 4096;
				cbp[i] = c;
			}
			ops += n;
			if (syscall(SYS_io_submit, ctx, n, cbp) != n)
				die("io_submit");
		} while ((t = now()) - t0 < secs);
		printf("%s %.0f IOPS\n", mode, ops / (t - t0));
	}
	return 0;
}
