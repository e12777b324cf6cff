/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liblinux: the Linux kernel of this User-mode Linux port as a library.
 *
 * Build with `make lib` (liblinux.a); link an application with
 *   cc -no-pie app.c liblinux.a -lpthread
 * The kernel starts on a host thread of its own inside the calling
 * process and runs its system calls for the application's threads: the
 * pointers they pass are the application's own memory.  See docs/lib.md
 * for what the library takes from the process (two real-time signals, two
 * address ranges, one thread and its helpers).
 *
 * Every call returns a result >= 0, or a negative errno (-ENOENT, ...):
 * errno is never set.  Any number of threads may call at once.
 */
#ifndef LIBLINUX_H
#define LIBLINUX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/statfs.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * struct liblinux_disk - a disk the kernel sees as /dev/ubda, /dev/ubdb...
 * @path:     host file (or block device) holding the disk, or NULL
 * @fd:       with @path NULL: an open host descriptor instead
 * @readonly: the kernel may not write it
 */
struct liblinux_disk {
	const char *path;
	int fd;
	int readonly;
};

/**
 * struct liblinux_params - what liblinux_start() boots
 * @mem:     physical memory in bytes (0: 64 MiB; at least 16 MiB)
 * @disks:   @ndisks disks, the first is /dev/ubda
 * @ndisks:  at most 16
 * @cmdline: more kernel command-line parameters, or NULL
 * @verbose: kernel messages to the host's stderr (also when the
 *           environment has LIBLINUX_VERBOSE=1)
 */
struct liblinux_params {
	unsigned long mem;
	const struct liblinux_disk *disks;
	int ndisks;
	const char *cmdline;
	int verbose;
};

/**
 * liblinux_start() - boot the kernel inside this process
 * Returns when it is ready for calls: / is a tmpfs-like rootfs with /dev
 * (devtmpfs: the disks are /dev/ubda...) and /proc mounted.  Once per
 * process: a stopped kernel cannot be started again.
 * Return: 0, -EINVAL for bad parameters, -EBUSY if already started, -ENOMEM
 * if its address ranges are taken, -EIO if the kernel did not come up.
 */
int liblinux_start(const struct liblinux_params *params);

/**
 * liblinux_stop() - close every descriptor, unmount every filesystem,
 * sync and power the kernel off; everything written is in the disk files
 * when it returns.  Calls made afterwards return -ESHUTDOWN.
 * Return: 0, or a negative errno from an unmount that failed (the kernel
 * is stopped all the same, after a sync).
 */
int liblinux_stop(void);

/**
 * liblinux_syscall() - any system call of the kernel, by its x86_64 number
 * (SYS_* of <sys/syscall.h>); takes up to six arguments like syscall(2).
 * Calls that need a process image of their own (fork, execve, mmap of
 * the kernel's memory, signals to the caller) are not for the library.
 */
long liblinux_syscall(long nr, ...);

/**
 * liblinux_disk_add() - add a disk to the running kernel (hot-plug)
 * @disk: a host file or descriptor, as for struct liblinux_params
 * The disk takes the first free number N (0-15) and appears as
 * /dev/ubda + N ("/dev/ubdb" for 1) when this returns.
 * Return: N, -ENOSPC if all 16 are taken, -EINVAL for a bad path, or the
 * error of opening the file (-ENOENT, -EACCES, ...).
 */
int liblinux_disk_add(const struct liblinux_disk *disk);

/**
 * liblinux_disk_remove() - take disk @n out of the running kernel
 * Return: 0, -ENODEV if there is no disk @n, -EBUSY while it is open or
 * mounted (unmount it first: the unmount writes everything back).
 */
int liblinux_disk_remove(int n);

/**
 * liblinux_config() - configure a device of the running kernel, as the
 * VM's management console does ("ubd1=FILE", "eth0=tuntap,tap0", ...)
 * @spec: "KIND[N]=SETTING" (a device to add or change), or with @remove
 *        set, "KIND[N]" (a device to remove)
 * @remove: remove the device instead
 * @msg:  the kernel's message on failure (may be NULL)
 * @len:  size of @msg
 * Return: 0 or a negative errno (-ENODEV: no such kind of device).
 */
int liblinux_config(const char *spec, int remove, char *msg, size_t len);

/* Typed wrappers: the kernel's system calls of the same names. */
struct liblinux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int liblinux_open(const char *path, int flags, mode_t mode);
int liblinux_close(int fd);
ssize_t liblinux_read(int fd, void *buf, size_t n);
ssize_t liblinux_write(int fd, const void *buf, size_t n);
ssize_t liblinux_pread(int fd, void *buf, size_t n, off_t off);
ssize_t liblinux_pwrite(int fd, const void *buf, size_t n, off_t off);
off_t liblinux_lseek(int fd, off_t off, int whence);
int liblinux_ftruncate(int fd, off_t len);
int liblinux_fsync(int fd);
int liblinux_mkdir(const char *path, mode_t mode);
int liblinux_rmdir(const char *path);
int liblinux_unlink(const char *path);
int liblinux_rename(const char *from, const char *to);
int liblinux_link(const char *from, const char *to);
int liblinux_symlink(const char *target, const char *path);
ssize_t liblinux_readlink(const char *path, char *buf, size_t n);
int liblinux_stat(const char *path, struct stat *st);
int liblinux_lstat(const char *path, struct stat *st);
int liblinux_fstat(int fd, struct stat *st);
int liblinux_statfs(const char *path, struct statfs *st);
int liblinux_getdents(int fd, void *buf, size_t n);
int liblinux_chmod(const char *path, mode_t mode);
int liblinux_lchown(const char *path, uid_t uid, gid_t gid);
int liblinux_utimens(const char *path, const struct timespec times[2]);
int liblinux_lsetxattr(const char *path, const char *name,
		       const void *value, size_t n, int flags);
ssize_t liblinux_lgetxattr(const char *path, const char *name, void *value,
			   size_t n);
ssize_t liblinux_llistxattr(const char *path, char *list, size_t n);
int liblinux_chdir(const char *path);
int liblinux_mount(const char *source, const char *target,
		   const char *fstype, unsigned long flags, const void *data);
int liblinux_umount(const char *target, int flags);
int liblinux_sync(void);
int liblinux_socket(int domain, int type, int protocol);
int liblinux_bind(int fd, const struct sockaddr *addr, socklen_t len);
int liblinux_listen(int fd, int backlog);
int liblinux_accept(int fd, struct sockaddr *addr, socklen_t *len);
int liblinux_connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t liblinux_sendto(int fd, const void *buf, size_t n, int flags,
			const struct sockaddr *addr, socklen_t len);
ssize_t liblinux_recvfrom(int fd, void *buf, size_t n, int flags,
			  struct sockaddr *addr, socklen_t *len);
int liblinux_shutdown(int fd, int how);
int liblinux_setsockopt(int fd, int level, int name, const void *val,
			socklen_t len);

#ifdef __cplusplus
}
#endif

#endif
