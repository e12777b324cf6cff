/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host boundary: hostfs, files of a host directory tree.
 *
 * Every path handed to these functions is relative to the jail, the one
 * host directory that hostfs= names on the command line ("." is the jail
 * itself).  The host side resolves each path under the jail's descriptor
 * with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS): "..", absolute
 * names, symbolic links and a directory swapped for a link by a race all
 * fail instead of leaving it.  The guest's VFS resolves links itself, one
 * component at a time, so it never needs the host to follow one.
 * Errors are negative errnos.
 */
#ifndef __HOST_HOSTFS_H
#define __HOST_HOSTFS_H

/* file types in hostfs_stat.mode: the S_IF* values of Linux */
struct hostfs_stat {
	unsigned long long ino;
	unsigned long long size;
	unsigned long long blocks;	/* 512-byte units */
	unsigned int mode;
	unsigned int nlink;
	unsigned int uid, gid;
	unsigned int rdev_major, rdev_minor;
	unsigned int blksize;
	long long atime, mtime, ctime;	/* seconds */
	unsigned int atime_ns, mtime_ns, ctime_ns;
};

struct hostfs_statfs {
	unsigned long long blocks, bfree, bavail, files, ffree;
	unsigned long bsize, namelen;
};

/* what hostfs_host_setattr() changes */
#define HOSTFS_ATTR_MODE	0x01
#define HOSTFS_ATTR_UID		0x02
#define HOSTFS_ATTR_GID		0x04
#define HOSTFS_ATTR_SIZE	0x08
#define HOSTFS_ATTR_ATIME	0x10
#define HOSTFS_ATTR_MTIME	0x20
#define HOSTFS_ATTR_ATIME_NOW	0x40
#define HOSTFS_ATTR_MTIME_NOW	0x80

struct hostfs_attr {
	unsigned int valid;		/* HOSTFS_ATTR_* */
	unsigned int mode, uid, gid;
	unsigned long long size;
	long long atime, mtime;
	unsigned int atime_ns, mtime_ns;
};

/* hostfs_host_open() flags */
#define HOSTFS_O_READ		0x01
#define HOSTFS_O_WRITE		0x02
#define HOSTFS_O_CREAT		0x04
#define HOSTFS_O_EXCL		0x08
#define HOSTFS_O_TRUNC		0x10
#define HOSTFS_O_APPEND		0x20
#define HOSTFS_O_DIRECTORY	0x40

/**
 * hostfs_jail() - the host directory hostfs may reach, or NULL
 * Set by the hostfs= option before boot; NULL means no hostfs mounts.
 */
const char *hostfs_jail(void);

/**
 * hostfs_host_subdir() - turn a mount's host path into a jail path
 * @path: the mount data, an absolute host path at or below the jail, or a
 *        path relative to the jail; empty means the jail itself
 * @out:  the path relative to the jail ("." for the jail)
 * @len:  room in @out
 * Return: 0, -EPERM without a jail, -EACCES for a path outside it, or the
 * error of looking the directory up (it must be one).
 */
int hostfs_host_subdir(const char *path, char *out, int len);

/** hostfs_host_stat() - lstat() of @path */
int hostfs_host_stat(const char *path, struct hostfs_stat *st);
/** hostfs_host_fstat() - fstat() of an open descriptor */
int hostfs_host_fstat(int fd, struct hostfs_stat *st);
/** hostfs_host_statfs() - statfs() of the file system holding @path */
int hostfs_host_statfs(const char *path, struct hostfs_statfs *st);

/**
 * hostfs_host_open() - open @path (never through a link)
 * @flags: HOSTFS_O_*
 * @mode:  permissions of a created file
 * Return: a close-on-exec descriptor.
 */
int hostfs_host_open(const char *path, int flags, unsigned int mode);
/** hostfs_host_close() - close a descriptor of hostfs_host_open() */
void hostfs_host_close(int fd);
/* reads and writes of an open descriptor: host_pread(), host_pwrite() */
/** hostfs_host_fsync() - fsync(), or fdatasync() when @datasync */
int hostfs_host_fsync(int fd, int datasync);

/**
 * hostfs_host_readdir() - the entries of an open directory, in batches
 * @fd:   from hostfs_host_open(HOSTFS_O_DIRECTORY)
 * @pos:  in: where to start (0, or a @next of an earlier entry)
 * @emit: called per entry with its name, length, inode number, S_IF* type
 *        (0 if unknown) and the position after it; returns nonzero to stop
 * @ctx:  handed to @emit
 * Return: 0 at the end or when @emit stopped, or -errno.
 */
int hostfs_host_readdir(int fd, long long pos,
			int (*emit)(void *ctx, const char *name, int len,
				    unsigned long long ino, unsigned int type,
				    long long next),
			void *ctx);

/** hostfs_host_mkdir() - make directory @path */
int hostfs_host_mkdir(const char *path, unsigned int mode);
/** hostfs_host_mknod() - make a node (fifo, socket, device) at @path */
int hostfs_host_mknod(const char *path, unsigned int mode,
		      unsigned int major, unsigned int minor);
/** hostfs_host_unlink() - remove the non-directory @path */
int hostfs_host_unlink(const char *path);
/** hostfs_host_rmdir() - remove the empty directory @path */
int hostfs_host_rmdir(const char *path);
/** hostfs_host_symlink() - make @path a symbolic link holding @target */
int hostfs_host_symlink(const char *target, const char *path);
/** hostfs_host_link() - make @path a hard link to @old */
int hostfs_host_link(const char *old, const char *path);
/**
 * hostfs_host_rename() - rename @from to @to
 * @flags: 0, or the RENAME_NOREPLACE / RENAME_EXCHANGE values of Linux
 */
int hostfs_host_rename(const char *from, const char *to, unsigned int flags);
/** hostfs_host_readlink() - the target of link @path, NUL-terminated */
int hostfs_host_readlink(const char *path, char *buf, int len);
/** hostfs_host_setattr() - change what @attr->valid names */
int hostfs_host_setattr(const char *path, const struct hostfs_attr *attr);
/**
 * hostfs_host_fsetattr() - hostfs_host_setattr() of the file open as @fd,
 * which may have no name left (unlinked, or O_TMPFILE)
 */
int hostfs_host_fsetattr(int fd, const struct hostfs_attr *attr);
/**
 * hostfs_host_tmpfile() - an unnamed regular file in directory @dir
 * (O_TMPFILE), open for reading and writing, with permissions @mode
 */
int hostfs_host_tmpfile(const char *dir, unsigned int mode);
/** hostfs_host_link_fd() - give the file open as @fd the name @path */
int hostfs_host_link_fd(int fd, const char *path);
/**
 * hostfs_passthrough() - the security model: 0 mapped (the default), 1
 * passthrough (hostfs_model=passthrough)
 *
 * Mapped: a device node, fifo or socket the guest makes is a plain host
 * file, and no host file gets a set-uid or set-gid bit; the guest's mode
 * (and device number) live in the host file's user.uml.mode (octal) and
 * user.uml.rdev ("MAJOR:MINOR") extended attributes, which the stat
 * functions read back.  Passthrough: the host file is what the guest
 * made.  In both, a created file's permissions are the guest's (the host's
 * umask does not apply).
 */
int hostfs_passthrough(void);

#endif
