// SPDX-License-Identifier: GPL-2.0
/* Host half of the block driver: the I/O thread and file checks. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <host/file.h>
#include <host/process.h>
#include <host/ubd.h>

static int submit_pipe[2], done_pipe[2];

static int do_rw(struct ubd_io *io)
{
	struct iovec *iov = (struct iovec *)io->seg;
	int nr = io->nr;
	off_t off = io->offset;

	while (nr > 0) {
		ssize_t n = io->op == UBD_WRITE ? pwritev(io->fd, iov, nr, off)
						: preadv(io->fd, iov, nr, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0) {
			if (io->op == UBD_WRITE)
				return -EIO;
			/* reading past the end of a short file: zeroes */
			for (; nr > 0; iov++, nr--)
				memset(iov->iov_base, 0, iov->iov_len);
			break;
		}
		off += n;
		while (nr > 0 && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			nr--;
		}
		if (nr > 0 && n) {
			/* partial segment: finish it alone, then go on */
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return 0;
}

static void io_thread(void *unused)
{
	struct ubd_io *io;

	for (;;) {
		ssize_t n = read(submit_pipe[0], &io, sizeof(io));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(io))
			return;
		if (io->op == UBD_FLUSH)
			io->result = fdatasync(io->fd) ? -errno : 0;
		else
			io->result = do_rw(io);
		while (write(done_pipe[1], &io, sizeof(io)) < 0 && errno == EINTR)
			;
	}
}

int ubd_io_thread_start(int *submit_fd, int *done_fd)
{
	int err;

	if (pipe2(submit_pipe, O_CLOEXEC) || pipe2(done_pipe, O_CLOEXEC))
		return -errno;
	err = host_thread_start(io_thread, NULL);
	if (err)
		return err;
	*submit_fd = submit_pipe[1];
	*done_fd = done_pipe[0];
	return 0;
}

const char *ubd_check_file(const char *path, int rw)
{
	static char msg[256];
	struct stat st;
	int fd;

	if (!*path)
		return "no file named";
	if (stat(path, &st)) {
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		return msg;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		snprintf(msg, sizeof(msg), "%s: not a regular file or block device",
			 path);
		return msg;
	}
	fd = open(path, rw ? O_RDWR : O_RDONLY);
	if (fd < 0 && rw && (errno == EACCES || errno == EROFS))
		fd = open(path, O_RDONLY);	/* becomes a read-only disk */
	if (fd < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", path, strerror(errno));
		return msg;
	}
	/* the driver takes this lock for real when the disk is added */
	if (flock(fd, (rw ? LOCK_EX : LOCK_SH) | LOCK_NB)) {
		snprintf(msg, sizeof(msg), "%s is in use by another process",
			 path);
		close(fd);
		return msg;
	}
	close(fd);
	return NULL;
}
