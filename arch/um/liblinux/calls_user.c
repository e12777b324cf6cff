// SPDX-License-Identifier: GPL-2.0
/*
 * The library's typed calls: each is one system call of the kernel, by
 * its x86_64 number, through liblinux_syscall() (start_user.c).
 */
#include <fcntl.h>
#include <sys/syscall.h>
#include <liblinux.h>

#define L(x)	((long)(x))

int liblinux_open(const char *path, int flags, mode_t mode)
{
	return liblinux_syscall(SYS_openat, L(AT_FDCWD), L(path), L(flags), L(mode));
}

int liblinux_close(int fd)
{
	return liblinux_syscall(SYS_close, L(fd));
}

ssize_t liblinux_read(int fd, void *buf, size_t n)
{
	return liblinux_syscall(SYS_read, L(fd), L(buf), L(n));
}

ssize_t liblinux_write(int fd, const void *buf, size_t n)
{
	return liblinux_syscall(SYS_write, L(fd), L(buf), L(n));
}

ssize_t liblinux_pread(int fd, void *buf, size_t n, off_t off)
{
	return liblinux_syscall(SYS_pread64, L(fd), L(buf), L(n), L(off));
}

ssize_t liblinux_pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return liblinux_syscall(SYS_pwrite64, L(fd), L(buf), L(n), L(off));
}

off_t liblinux_lseek(int fd, off_t off, int whence)
{
	return liblinux_syscall(SYS_lseek, L(fd), L(off), L(whence));
}

int liblinux_ftruncate(int fd, off_t len)
{
	return liblinux_syscall(SYS_ftruncate, L(fd), L(len));
}

int liblinux_fsync(int fd)
{
	return liblinux_syscall(SYS_fsync, L(fd));
}

int liblinux_mkdir(const char *path, mode_t mode)
{
	return liblinux_syscall(SYS_mkdirat, L(AT_FDCWD), L(path), L(mode));
}

int liblinux_rmdir(const char *path)
{
	return liblinux_syscall(SYS_unlinkat, L(AT_FDCWD), L(path), L(AT_REMOVEDIR));
}

int liblinux_unlink(const char *path)
{
	return liblinux_syscall(SYS_unlinkat, L(AT_FDCWD), L(path), 0L);
}

int liblinux_rename(const char *from, const char *to)
{
	return liblinux_syscall(SYS_renameat2, L(AT_FDCWD), L(from), L(AT_FDCWD), L(to), 0L);
}

int liblinux_link(const char *from, const char *to)
{
	return liblinux_syscall(SYS_linkat, L(AT_FDCWD), L(from), L(AT_FDCWD), L(to), 0L);
}

int liblinux_symlink(const char *target, const char *path)
{
	return liblinux_syscall(SYS_symlinkat, L(target), L(AT_FDCWD), L(path));
}

ssize_t liblinux_readlink(const char *path, char *buf, size_t n)
{
	return liblinux_syscall(SYS_readlinkat, L(AT_FDCWD), L(path), L(buf), L(n));
}

int liblinux_stat(const char *path, struct stat *st)
{
	return liblinux_syscall(SYS_newfstatat, L(AT_FDCWD), L(path), L(st), 0L);
}

int liblinux_lstat(const char *path, struct stat *st)
{
	return liblinux_syscall(SYS_newfstatat, L(AT_FDCWD), L(path), L(st), L(AT_SYMLINK_NOFOLLOW));
}

int liblinux_fstat(int fd, struct stat *st)
{
	return liblinux_syscall(SYS_fstat, L(fd), L(st));
}

int liblinux_statfs(const char *path, struct statfs *st)
{
	return liblinux_syscall(SYS_statfs, L(path), L(st));
}

int liblinux_getdents(int fd, void *buf, size_t n)
{
	return liblinux_syscall(SYS_getdents64, L(fd), L(buf), L(n));
}

int liblinux_chmod(const char *path, mode_t mode)
{
	return liblinux_syscall(SYS_fchmodat, L(AT_FDCWD), L(path), L(mode));
}

int liblinux_lchown(const char *path, uid_t uid, gid_t gid)
{
	return liblinux_syscall(SYS_fchownat, L(AT_FDCWD), L(path), L(uid), L(gid), L(AT_SYMLINK_NOFOLLOW));
}

int liblinux_utimens(const char *path, const struct timespec times[2])
{
	return liblinux_syscall(SYS_utimensat, L(AT_FDCWD), L(path), L(times), L(AT_SYMLINK_NOFOLLOW));
}

int liblinux_lsetxattr(const char *path, const char *name,
		       const void *value, size_t n, int flags)
{
	return liblinux_syscall(SYS_lsetxattr, L(path), L(name), L(value), L(n), L(flags));
}

ssize_t liblinux_lgetxattr(const char *path, const char *name, void *value,
			   size_t n)
{
	return liblinux_syscall(SYS_lgetxattr, L(path), L(name), L(value), L(n));
}

ssize_t liblinux_llistxattr(const char *path, char *list, size_t n)
{
	return liblinux_syscall(SYS_llistxattr, L(path), L(list), L(n));
}

int liblinux_chdir(const char *path)
{
	return liblinux_syscall(SYS_chdir, L(path));
}

int liblinux_mount(const char *source, const char *target,
		   const char *fstype, unsigned long flags, const void *data)
{
	return liblinux_syscall(SYS_mount, L(source), L(target), L(fstype), L(flags), L(data));
}

int liblinux_umount(const char *target, int flags)
{
	return liblinux_syscall(SYS_umount2, L(target), L(flags));
}

int liblinux_sync(void)
{
	return liblinux_syscall(SYS_sync);
}

int liblinux_socket(int domain, int type, int protocol)
{
	return liblinux_syscall(SYS_socket, L(domain), L(type), L(protocol));
}

int liblinux_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return liblinux_syscall(SYS_bind, L(fd), L(addr), L(len));
}

int liblinux_listen(int fd, int backlog)
{
	return liblinux_syscall(SYS_listen, L(fd), L(backlog));
}

int liblinux_accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return liblinux_syscall(SYS_accept4, L(fd), L(addr), L(len), 0L);
}

int liblinux_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return liblinux_syscall(SYS_connect, L(fd), L(addr), L(len));
}

ssize_t liblinux_sendto(int fd, const void *buf, size_t n, int flags,
			const struct sockaddr *addr, socklen_t len)
{
	return liblinux_syscall(SYS_sendto, L(fd), L(buf), L(n), L(flags), L(addr), L(len));
}

ssize_t liblinux_recvfrom(int fd, void *buf, size_t n, int flags,
			  struct sockaddr *addr, socklen_t *len)
{
	return liblinux_syscall(SYS_recvfrom, L(fd), L(buf), L(n), L(flags), L(addr), L(len));
}

int liblinux_shutdown(int fd, int how)
{
	return liblinux_syscall(SYS_shutdown, L(fd), L(how));
}

int liblinux_setsockopt(int fd, int level, int name, const void *val,
			socklen_t len)
{
	return liblinux_syscall(SYS_setsockopt, L(fd), L(level), L(name), L(val), L(len));
}
