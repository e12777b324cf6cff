// SPDX-License-Identifier: GPL-2.0
/* Host files and descriptors for the drivers. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <host/file.h>

int host_open(const char *path, int flags)
{
	int mode = (flags & HOST_O_RDWR) ? O_RDWR : O_RDONLY;
	int fd;

	if (flags & HOST_O_SYNC)
		mode |= O_SYNC;
	fd = open(path, mode | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if ((flags & HOST_O_EXCL) &&
	    flock(fd, ((flags & HOST_O_RDWR) ? LOCK_EX : LOCK_SH) | LOCK_NB)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

void host_close(int fd)
{
	close(fd);
}

long host_pread_upto(int fd, void *buf, unsigned long len,
		     unsigned long long off)
{
	unsigned long done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

long host_pread(int fd, void *buf, unsigned long len, unsigned long long off)
{
	long n = host_pread_upto(fd, buf, len, off);

	if (n < 0)
		return n;
	/* past the end of the file: zeroes, like a sparse tail */
	memset((char *)buf + n, 0, len - n);
	return len;
}

long host_pwrite(int fd, const void *buf, unsigned long len,
		 unsigned long long off)
{
	unsigned long done = 0;

	while (done < len) {
		ssize_t n = pwrite(fd, (const char *)buf + done, len - done,
				   off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += n;
	}
	return done;
}

long host_write(int fd, const void *buf, unsigned long len)
{
	ssize_t n;

	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

long host_read(int fd, void *buf, unsigned long len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

int host_fsync(int fd)
{
	return fdatasync(fd) ? -errno : 0;
}

long long host_file_size(int fd)
{
	struct stat st;
	unsigned long long size;

	if (fstat(fd, &st))
		return -errno;
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(fd, BLKGETSIZE64, &size))
			return -errno;
		return size;
	}
	return st.st_size;
}

int host_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK))
		return -errno;
	return 0;
}

int host_pipe(int fds[2])
{
	return pipe2(fds, O_CLOEXEC) ? -errno : 0;
}

const char *host_strerror(int err)
{
	return strerror(err);
}
