/* SPDX-License-Identifier: GPL-2.0 */
/* Host boundary: files and descriptors.  Errors are negative errnos. */
#ifndef __HOST_FILE_H
#define __HOST_FILE_H

#define HOST_O_RDONLY	0x1
#define HOST_O_RDWR	0x2
#define HOST_O_SYNC	0x4
#define HOST_O_EXCL	0x8	/* take an exclusive lock (flock) */

int host_open(const char *path, int flags);
void host_close(int fd);
/** host_pread() - all of @len bytes at @off; zeroes past the end of the file */
long host_pread(int fd, void *buf, unsigned long len, unsigned long long off);
/** host_pread_upto() - @len bytes at @off, fewer only at the end of the file */
long host_pread_upto(int fd, void *buf, unsigned long len,
		     unsigned long long off);
long host_pwrite(int fd, const void *buf, unsigned long len,
		 unsigned long long off);
long host_write(int fd, const void *buf, unsigned long len);
long host_read(int fd, void *buf, unsigned long len);
int host_fsync(int fd);
/** host_file_size() - size in bytes of a file or block device, or -errno */
long long host_file_size(int fd);
/** host_set_nonblock() - O_NONBLOCK on @fd */
int host_set_nonblock(int fd);
/** host_pipe() - a close-on-exec pipe; fds[0] reads */
int host_pipe(int fds[2]);
/** host_strerror() - text of a (positive) errno */
const char *host_strerror(int err);

#endif
