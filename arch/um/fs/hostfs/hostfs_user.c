// SPDX-License-Identifier: GPL-2.0
/*
 * hostfs, host half: every file operation as a host system call relative
 * to the jail's descriptor (host/hostfs.h says why that keeps the guest
 * inside it).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <host/hostfs.h>
#include <host/options.h>

static int jail_fd = -1;
static char jail_path[PATH_MAX];
/* the security model: mapped (the default) or passthrough */
static int passthrough;

/*
 * In the mapped model, what the host file cannot safely be is kept in
 * extended attributes: the guest's whole st_mode (type, set-id bits) and,
 * for devices, its device number.  The host file is a plain file or
 * directory without set-id bits.
 */
#define XATTR_MODE	"user.uml.mode"
#define XATTR_RDEV	"user.uml.rdev"

#define BENEATH	(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

static const char *check_hostfs(const char *val)
{
	static char msg[PATH_MAX + 64];
	char *real;
	struct stat st;

	if (!*val)
		return "expected a host directory, as in hostfs=/srv/share";
	real = realpath(val, NULL);
	if (!real || stat(real, &st)) {
		snprintf(msg, sizeof(msg), "%s: %s", val, strerror(errno));
		free(real);
		return msg;
	}
	if (!S_ISDIR(st.st_mode)) {
		free(real);
		return "not a directory";
	}
	if (jail_fd >= 0)
		close(jail_fd);
	jail_fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (jail_fd < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", real, strerror(errno));
		free(real);
		return msg;
	}
	snprintf(jail_path, sizeof(jail_path), "%s", real);
	free(real);
	return NULL;
}

UML_OPTION(hostfs, "hostfs=", "hostfs=DIR",
	   "the host directory hostfs mounts may reach (none without it)",
	   check_hostfs);

static const char *check_model(const char *val)
{
	if (!strcmp(val, "mapped"))
		passthrough = 0;
	else if (!strcmp(val, "passthrough"))
		passthrough = 1;
	else
		return "expected mapped (the default) or passthrough";
	return NULL;
}

UML_OPTION(hostfs_model, "hostfs_model=", "hostfs_model=mapped|passthrough",
	   "hostfs: devices, fifos, sockets, set-id bits kept in user.* xattrs (mapped), or made for real on the host",
	   check_model);

int hostfs_passthrough(void)
{
	return passthrough;
}

/* the mode the host file gets for a guest @mode (a type, maybe) */
static unsigned int host_perms(unsigned int mode)
{
	return passthrough ? mode & 07777 : mode & 01777;
}

/* does the guest's @mode need the attributes in the mapped model? */
static int mapped_mode(unsigned int mode)
{
	unsigned int t = mode & S_IFMT;

	return !passthrough && ((mode & 06000) ||
				(t && t != S_IFREG && t != S_IFDIR));
}

static void proc_path(char *buf, size_t len, int fd)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
}

/*
 * Record (or, when the host file can hold it itself, clear) the guest's
 * @mode and device number on the file open as @fd (any kind of open).
 */
static int set_mapped(int fd, unsigned int mode, unsigned int maj,
		      unsigned int min)
{
	char p[64], v[32];

	if (passthrough)
		return 0;
	proc_path(p, sizeof(p), fd);
	if (!mapped_mode(mode)) {
		if (removexattr(p, XATTR_MODE) && errno != ENODATA &&
		    errno != ENOTSUP)
			return -errno;
		removexattr(p, XATTR_RDEV);
		return 0;
	}
	snprintf(v, sizeof(v), "%o", mode);
	if (setxattr(p, XATTR_MODE, v, strlen(v), 0))
		return errno == ENOTSUP ? -EPERM : -errno;
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		snprintf(v, sizeof(v), "%u:%u", maj, min);
		if (setxattr(p, XATTR_RDEV, v, strlen(v), 0))
			return errno == ENOTSUP ? -EPERM : -errno;
	}
	return 0;
}

/* the guest's view of a plain host file or directory that has them */
static void get_mapped(int fd, struct hostfs_stat *st)
{
	char p[64], v[32];
	unsigned int mode, maj, min;
	ssize_t n;

	if (passthrough || (!S_ISREG(st->mode) && !S_ISDIR(st->mode)))
		return;
	proc_path(p, sizeof(p), fd);
	n = getxattr(p, XATTR_MODE, v, sizeof(v) - 1);
	if (n <= 0)
		return;
	v[n] = '\0';
	if (sscanf(v, "%o", &mode) != 1)
		return;
	/* a directory stays one; a plain file may stand for any non-directory */
	if (S_ISDIR(st->mode) != S_ISDIR(mode))
		return;
	st->mode = mode;
	if (S_ISCHR(mode) || S_ISBLK(mode)) {
		n = getxattr(p, XATTR_RDEV, v, sizeof(v) - 1);
		if (n > 0) {
			v[n] = '\0';
			if (sscanf(v, "%u:%u", &maj, &min) == 2) {
				st->rdev_major = maj;
				st->rdev_minor = min;
			}
		}
	}
}

/*
 * The file open as @fd (any kind of open) gets exactly the permissions of
 * the guest's @mode, without the host's umask, and in the mapped model
 * the attributes for what the host file cannot be.
 */
static int set_perms(int fd, unsigned int mode, unsigned int maj,
		     unsigned int min)
{
	char p[64];

	proc_path(p, sizeof(p), fd);
	if (chmod(p, host_perms(mode)))
		return -errno;
	return set_mapped(fd, mode, maj, min);
}

const char *hostfs_jail(void)
{
	return jail_fd >= 0 ? jail_path : NULL;
}

static int open_beneath(const char *path, int flags, unsigned int mode)
{
	struct open_how how = {
		.flags = flags | O_CLOEXEC,
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = BENEATH,
	};
	long fd;

	if (jail_fd < 0)
		return -EPERM;
	fd = syscall(SYS_openat2, jail_fd, path, &how, sizeof(how));
	return fd < 0 ? -errno : (int)fd;
}

/*
 * The directory holding @path, opened beneath the jail, and its last
 * component in *@name.  The caller closes the descriptor.
 */
static int open_parent(const char *path, const char **name)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];

	if (!slash) {
		*name = path;
		return open_beneath(".", O_PATH | O_DIRECTORY, 0);
	}
	if (slash - path >= (long)sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, slash - path);
	dir[slash - path] = '\0';
	*name = slash + 1;
	return open_beneath(dir, O_PATH | O_DIRECTORY, 0);
}

int hostfs_host_subdir(const char *path, char *out, int len)
{
	size_t n = strlen(jail_path);
	const char *rel = path;
	struct stat st;
	int fd;

	if (jail_fd < 0)
		return -EPERM;
	if (path[0] == '/') {
		if (strncmp(path, jail_path, n) ||
		    (path[n] && path[n] != '/' && n > 1))
			return -EACCES;
		rel = path + n;
	}
	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	if ((int)strlen(rel) >= len)
		return -ENAMETOOLONG;
	fd = open_beneath(rel, O_PATH | O_DIRECTORY, 0);
	if (fd < 0)
		return fd == -EXDEV || fd == -ELOOP ? -EACCES : fd;
	fstat(fd, &st);
	close(fd);
	snprintf(out, len, "%s", rel);
	/* "a/b/" -> "a/b" */
	for (n = strlen(out); n > 1 && out[n - 1] == '/'; n--)
		out[n - 1] = '\0';
	return 0;
}

static void fill_stat(const struct stat *s, struct hostfs_stat *st)
{
	*st = (struct hostfs_stat) {
		.ino = s->st_ino, .size = s->st_size, .blocks = s->st_blocks,
		.mode = s->st_mode, .nlink = s->st_nlink,
		.uid = s->st_uid, .gid = s->st_gid,
		.rdev_major = major(s->st_rdev), .rdev_minor = minor(s->st_rdev),
		.blksize = s->st_blksize,
		.atime = s->st_atim.tv_sec, .atime_ns = s->st_atim.tv_nsec,
		.mtime = s->st_mtim.tv_sec, .mtime_ns = s->st_mtim.tv_nsec,
		.ctime = s->st_ctim.tv_sec, .ctime_ns = s->st_ctim.tv_nsec,
	};
}

int hostfs_host_stat(const char *path, struct hostfs_stat *st)
{
	struct stat s;
	int fd = open_beneath(path, O_PATH | O_NOFOLLOW, 0);

	if (fd < 0)
		return fd;
	if (fstat(fd, &s)) {
		int err = -errno;

		close(fd);
		return err;
	}
	fill_stat(&s, st);
	get_mapped(fd, st);
	close(fd);
	return 0;
}

int hostfs_host_fstat(int fd, struct hostfs_stat *st)
{
	struct stat s;

	if (fstat(fd, &s))
		return -errno;
	fill_stat(&s, st);
	get_mapped(fd, st);
	return 0;
}

int hostfs_host_statfs(const char *path, struct hostfs_statfs *st)
{
	struct statfs s;
	int fd = open_beneath(path, O_PATH, 0), err = 0;

	if (fd < 0)
		return fd;
	if (fstatfs(fd, &s))
		err = -errno;
	close(fd);
	if (err)
		return err;
	st->blocks = s.f_blocks;
	st->bfree = s.f_bfree;
	st->bavail = s.f_bavail;
	st->files = s.f_files;
	st->ffree = s.f_ffree;
	st->bsize = s.f_bsize;
	st->namelen = s.f_namelen;
	return 0;
}

int hostfs_host_open(const char *path, int flags, unsigned int mode)
{
	int f = O_NOFOLLOW;

	if ((flags & HOSTFS_O_READ) && (flags & HOSTFS_O_WRITE))
		f |= O_RDWR;
	else if (flags & HOSTFS_O_WRITE)
		f |= O_WRONLY;
	else
		f |= O_RDONLY;
	if (flags & HOSTFS_O_CREAT)
		f |= O_CREAT;
	if (flags & HOSTFS_O_EXCL)
		f |= O_EXCL;
	if (flags & HOSTFS_O_TRUNC)
		f |= O_TRUNC;
	if (flags & HOSTFS_O_APPEND)
		f |= O_APPEND;
	if (flags & HOSTFS_O_DIRECTORY)
		f |= O_DIRECTORY;
	if ((flags & (HOSTFS_O_CREAT | HOSTFS_O_EXCL)) ==
	    (HOSTFS_O_CREAT | HOSTFS_O_EXCL)) {
		int fd = open_beneath(path, f, host_perms(mode)), err;

		/* made now: the guest's mode, not the host's umask */
		if (fd >= 0) {
			err = set_perms(fd, S_IFREG | (mode & 07777), 0, 0);
			if (err) {
				close(fd);
				hostfs_host_unlink(path);
				return err;
			}
		}
		return fd;
	}
	return open_beneath(path, f, mode);
}

int hostfs_host_tmpfile(const char *dir, unsigned int mode)
{
	int fd = open_beneath(dir, O_TMPFILE | O_RDWR, host_perms(mode)), err;

	if (fd < 0)
		return fd;
	err = set_perms(fd, S_IFREG | (mode & 07777), 0, 0);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

void hostfs_host_close(int fd)
{
	close(fd);
}

int hostfs_host_fsync(int fd, int datasync)
{
	return (datasync ? fdatasync(fd) : fsync(fd)) ? -errno : 0;
}

struct host_dirent64 {
	unsigned long long ino;
	long long off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static unsigned int dt_to_mode(unsigned char t)
{
	switch (t) {
	case DT_REG:	return S_IFREG;
	case DT_DIR:	return S_IFDIR;
	case DT_LNK:	return S_IFLNK;
	case DT_CHR:	return S_IFCHR;
	case DT_BLK:	return S_IFBLK;
	case DT_FIFO:	return S_IFIFO;
	case DT_SOCK:	return S_IFSOCK;
	default:	return 0;
	}
}

int hostfs_host_readdir(int fd, long long pos,
			int (*emit)(void *ctx, const char *name, int len,
				    unsigned long long ino, unsigned int type,
				    long long next),
			void *ctx)
{
	char buf[4096] __attribute__((aligned(8)));

	if (lseek(fd, pos, SEEK_SET) < 0)
		return -errno;
	for (;;) {
		long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		long i;

		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		for (i = 0; i < n;) {
			struct host_dirent64 *d = (void *)(buf + i);

			if (emit(ctx, d->name, strlen(d->name), d->ino,
				 dt_to_mode(d->type), d->off))
				return 0;
			i += d->reclen;
		}
	}
}

/*
 * The value of @call (which names the parent directory of @path "dfd" and
 * its last component "name"): 0, or -errno of @call or of opening the
 * parent.  @call runs only when the parent opened.
 */
#define AT_PARENT(path, call)						\
	({								\
		const char *name;					\
		int dfd = open_parent(path, &name), r = dfd;		\
									\
		if (dfd >= 0) {						\
			r = (call) ? -errno : 0;			\
			close(dfd);					\
		}							\
		r;							\
	})

/* after making @path: its permissions are the guest's @mode */
static int made(const char *path, unsigned int mode, unsigned int maj,
		unsigned int min, int (*undo)(const char *))
{
	int fd = open_beneath(path, O_PATH | O_NOFOLLOW, 0), err;

	if (fd < 0)
		return fd;
	err = set_perms(fd, mode, maj, min);
	close(fd);
	if (err)
		undo(path);
	return err;
}

int hostfs_host_mkdir(const char *path, unsigned int mode)
{
	int err = AT_PARENT(path, mkdirat(dfd, name, host_perms(mode)));

	return err ? err : made(path, S_IFDIR | (mode & 07777), 0, 0,
				hostfs_host_rmdir);
}

int hostfs_host_mknod(const char *path, unsigned int mode,
		      unsigned int maj, unsigned int min)
{
	int err;

	if (mapped_mode(mode) || (!passthrough && S_ISREG(mode)))
		/* a plain file that the guest sees as what it made */
		err = AT_PARENT(path, mknodat(dfd, name,
					      S_IFREG | host_perms(mode), 0));
	else
		err = AT_PARENT(path, mknodat(dfd, name, mode,
					      makedev(maj, min)));
	return err ? err : made(path, mode, maj, min, hostfs_host_unlink);
}

int hostfs_host_unlink(const char *path)
{
	return AT_PARENT(path, unlinkat(dfd, name, 0));
}

int hostfs_host_rmdir(const char *path)
{
	return AT_PARENT(path, unlinkat(dfd, name, AT_REMOVEDIR));
}

int hostfs_host_symlink(const char *target, const char *path)
{
	return AT_PARENT(path, symlinkat(target, dfd, name));
}

int hostfs_host_readlink(const char *path, char *buf, int len)
{
	const char *name;
	int dfd = open_parent(path, &name);
	ssize_t n;

	if (dfd < 0)
		return dfd;
	n = readlinkat(dfd, name, buf, len - 1);
	close(dfd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

int hostfs_host_link(const char *old, const char *path)
{
	const char *oname, *nname;
	int ofd, nfd, r;

	ofd = open_parent(old, &oname);
	if (ofd < 0)
		return ofd;
	nfd = open_parent(path, &nname);
	if (nfd < 0) {
		close(ofd);
		return nfd;
	}
	r = linkat(ofd, oname, nfd, nname, 0) ? -errno : 0;
	close(ofd);
	close(nfd);
	return r;
}

int hostfs_host_rename(const char *from, const char *to, unsigned int flags)
{
	const char *fname, *tname;
	int ffd, tfd, r;

	ffd = open_parent(from, &fname);
	if (ffd < 0)
		return ffd;
	tfd = open_parent(to, &tname);
	if (tfd < 0) {
		close(ffd);
		return tfd;
	}
	r = syscall(SYS_renameat2, ffd, fname, tfd, tname, flags) ? -errno : 0;
	close(ffd);
	close(tfd);
	return r;
}

int hostfs_host_link_fd(int fd, const char *path)
{
	char proc[64];

	proc_path(proc, sizeof(proc), fd);
	return AT_PARENT(path, linkat(AT_FDCWD, proc, dfd, name,
				      AT_SYMLINK_FOLLOW));
}

int hostfs_host_setattr(const char *path, const struct hostfs_attr *a)
{
	int fd, r;

	fd = open_beneath(path, O_PATH | O_NOFOLLOW, 0);
	if (fd < 0)
		return fd;
	r = hostfs_host_fsetattr(fd, a);
	close(fd);
	return r;
}

int hostfs_host_fsetattr(int fd, const struct hostfs_attr *a)
{
	struct hostfs_stat hs;
	char proc[64];
	int r = 0;
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	/* through /proc/self/fd: the file itself, never a path that moved */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if ((a->valid & (HOSTFS_ATTR_UID | HOSTFS_ATTR_GID)) &&
	    fchownat(fd, "", (a->valid & HOSTFS_ATTR_UID) ? a->uid : (uid_t)-1,
		     (a->valid & HOSTFS_ATTR_GID) ? a->gid : (gid_t)-1,
		     AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
		r = -errno;
		goto out;
	}
	if ((a->valid & HOSTFS_ATTR_MODE) && !S_ISLNK(st.st_mode)) {
		/* the guest's type stays: a mapped device is still one */
		fill_stat(&st, &hs);
		get_mapped(fd, &hs);
		r = set_perms(fd, (hs.mode & S_IFMT) | (a->mode & 07777),
			      hs.rdev_major, hs.rdev_minor);
		if (r)
			goto out;
	}
	if (a->valid & HOSTFS_ATTR_SIZE) {
		int wfd;

		if (!S_ISREG(st.st_mode)) {
			r = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
			goto out;
		}
		/* @fd itself when open for writing, else a writable reopen */
		if (!ftruncate(fd, a->size))
			goto truncated;
		wfd = open(proc, O_WRONLY | O_CLOEXEC);
		if (wfd < 0 || ftruncate(wfd, a->size))
			r = -errno;
		if (wfd >= 0)
			close(wfd);
		if (r)
			goto out;
truncated:;
	}
	if (a->valid & (HOSTFS_ATTR_ATIME | HOSTFS_ATTR_MTIME |
			HOSTFS_ATTR_ATIME_NOW | HOSTFS_ATTR_MTIME_NOW)) {
		struct timespec ts[2] = {
			{ .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_OMIT },
		};

		if (a->valid & HOSTFS_ATTR_ATIME_NOW)
			ts[0].tv_nsec = UTIME_NOW;
		else if (a->valid & HOSTFS_ATTR_ATIME)
			ts[0] = (struct timespec){ a->atime, a->atime_ns };
		if (a->valid & HOSTFS_ATTR_MTIME_NOW)
			ts[1].tv_nsec = UTIME_NOW;
		else if (a->valid & HOSTFS_ATTR_MTIME)
			ts[1] = (struct timespec){ a->mtime, a->mtime_ns };
		if (utimensat(fd, "", ts, AT_EMPTY_PATH))
			r = -errno;
	}
out:
	return r;
}
