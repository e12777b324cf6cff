// SPDX-License-Identifier: GPL-2.0
/*
 * uml-cp: copy files into and out of a disk image with the kernel's own
 * filesystem code (liblinux), without root and without a mount on the host.
 *
 *   uml-cp [-r] [-p] [-t FSTYPE] SRC... IMAGE:PATH     copy in
 *   uml-cp [-r] [-p] [-t FSTYPE] IMAGE:PATH... DEST    copy out
 *
 * -r copies directories recursively; -p keeps owners, modes, times and
 * extended attributes (without it, copies get the caller's owner, the
 * mode less the umask, and the time of the copy).  Symbolic links are
 * copied as links, files with several names as hard links.  The type of
 * filesystem is read from the image unless -t names it.
 *
 * Exit status: 0, 1 if something could not be copied (each named on
 * stderr), 2 for bad usage or an image that cannot be used.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <liblinux.h>

#define MNT		"/mnt"
#define BUFSIZE		(1 << 20)
#define PATHMAX		4096

/* one side of a copy: the host's files or the image's, all -errno */
struct side {
	const char *name;
	int image;
};

static const struct side host = { "host", 0 }, image = { "image", 1 };

static const char *prog = "uml-cp";
static int opt_r, opt_p;
static int errors;
static mode_t umask_bits;
static char *iobuf;

static void complain(const char *path, long err, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	if (path)
		fprintf(stderr, "%s: ", path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, ": %s", strerror(-err));
	fputc('\n', stderr);
	errors = 1;
}

static long ret(long r)
{
	return r < 0 ? -errno : r;
}

static long s_lstat(const struct side *s, const char *p, struct stat *st)
{
	return s->image ? liblinux_lstat(p, st) : ret(lstat(p, st));
}

static long s_open(const struct side *s, const char *p, int fl, mode_t m)
{
	return s->image ? liblinux_open(p, fl, m) : ret(open(p, fl, m));
}

static long s_close(const struct side *s, int fd)
{
	return s->image ? liblinux_close(fd) : ret(close(fd));
}

static long s_read(const struct side *s, int fd, void *b, size_t n)
{
	return s->image ? liblinux_read(fd, b, n) : ret(read(fd, b, n));
}

static long s_write(const struct side *s, int fd, const void *b, size_t n)
{
	return s->image ? liblinux_write(fd, b, n) : ret(write(fd, b, n));
}

static long s_mkdir(const struct side *s, const char *p, mode_t m)
{
	return s->image ? liblinux_mkdir(p, m) : ret(mkdir(p, m));
}

static long s_symlink(const struct side *s, const char *t, const char *p)
{
	return s->image ? liblinux_symlink(t, p) : ret(symlink(t, p));
}

static long s_readlink(const struct side *s, const char *p, char *b, size_t n)
{
	return s->image ? liblinux_readlink(p, b, n) : ret(readlink(p, b, n));
}

static long s_link(const struct side *s, const char *from, const char *to)
{
	return s->image ? liblinux_link(from, to) : ret(link(from, to));
}

static long s_mknod(const struct side *s, const char *p, mode_t m, dev_t d)
{
	return s->image ?
		liblinux_syscall(SYS_mknodat, (long)AT_FDCWD, (long)p, (long)m,
				 (long)d) :
		ret(mknod(p, m, d));
}

static long s_chmod(const struct side *s, const char *p, mode_t m)
{
	return s->image ? liblinux_chmod(p, m) : ret(chmod(p, m));
}

static long s_lchown(const struct side *s, const char *p, uid_t u, gid_t g)
{
	return s->image ? liblinux_lchown(p, u, g) : ret(lchown(p, u, g));
}

static long s_utimens(const struct side *s, const char *p,
		      const struct timespec *t)
{
	return s->image ? liblinux_utimens(p, t) :
		ret(utimensat(AT_FDCWD, p, t, AT_SYMLINK_NOFOLLOW));
}

static long s_listxattr(const struct side *s, const char *p, char *b, size_t n)
{
	return s->image ? liblinux_llistxattr(p, b, n) : ret(llistxattr(p, b, n));
}

static long s_getxattr(const struct side *s, const char *p, const char *name,
		       void *b, size_t n)
{
	return s->image ? liblinux_lgetxattr(p, name, b, n) :
		ret(lgetxattr(p, name, b, n));
}

static long s_setxattr(const struct side *s, const char *p, const char *name,
		       const void *b, size_t n)
{
	return s->image ? liblinux_lsetxattr(p, name, b, n, 0) :
		ret(lsetxattr(p, name, b, n, 0));
}

static long s_getdents(const struct side *s, int fd, void *b, size_t n)
{
	return s->image ? liblinux_getdents(fd, b, n) :
		ret(syscall(SYS_getdents64, fd, b, n));
}

/* metadata a filesystem may not keep (vfat): not worth an error */
static int unsupported(long err)
{
	return err == -EPERM || err == -EOPNOTSUPP || err == -ENOTSUP;
}

/* files with several names: (device, inode) of the source -> first copy */
struct hardlink {
	dev_t dev;
	ino_t ino;
	char *path;
	struct hardlink *next;
};
static struct hardlink *hardlinks;

static const char *hardlink_find(const struct stat *st)
{
	struct hardlink *h;

	for (h = hardlinks; h; h = h->next)
		if (h->dev == st->st_dev && h->ino == st->st_ino)
			return h->path;
	return NULL;
}

static void hardlink_add(const struct stat *st, const char *path)
{
	struct hardlink *h = malloc(sizeof(*h));

	if (!h)
		return;
	h->dev = st->st_dev;
	h->ino = st->st_ino;
	h->path = strdup(path);
	h->next = hardlinks;
	hardlinks = h;
}

static void copy_xattrs(const struct side *from, const char *src,
			const struct side *to, const char *dst)
{
	char names[8192], value[65536];
	long n = s_listxattr(from, src, names, sizeof(names));
	long i;

	if (n <= 0)
		return;
	for (i = 0; i < n; i += strlen(names + i) + 1) {
		long v = s_getxattr(from, src, names + i, value, sizeof(value));
		long err;

		if (v < 0)
			continue;
		err = s_setxattr(to, dst, names + i, value, v);
		/* an unprivileged host keeps only user.* attributes */
		if (err && !unsupported(err))
			complain(dst, err, "cannot set attribute %s",
				 names + i);
	}
}

/* owner, mode, times, attributes of @dst as -p or the defaults say */
static void set_meta(const struct side *to, const char *dst,
		     const struct stat *st, const struct side *from,
		     const char *src)
{
	long err;

	if (opt_p) {
		err = s_lchown(to, dst, st->st_uid, st->st_gid);
		if (err && !unsupported(err))
			complain(dst, err, "cannot keep the owner");
		copy_xattrs(from, src, to, dst);
	} else if (to->image) {
		s_lchown(to, dst, getuid(), getgid());
	}
	if (!S_ISLNK(st->st_mode)) {
		mode_t mode = st->st_mode & 07777;

		if (!opt_p)
			mode &= ~umask_bits;
		err = s_chmod(to, dst, mode);
		if (err && !unsupported(err))
			complain(dst, err, "cannot set the mode");
	}
	if (opt_p) {
		struct timespec t[2] = { st->st_atim, st->st_mtim };

		err = s_utimens(to, dst, t);
		if (err && !unsupported(err))
			complain(dst, err, "cannot set the times");
	}
}

static int copy_data(const struct side *from, const char *src,
		     const struct side *to, const char *dst)
{
	long in = s_open(from, src, O_RDONLY | O_NOFOLLOW, 0), out, n;
	int ok = 1;

	if (in < 0) {
		complain(src, in, "cannot open");
		return 0;
	}
	out = s_open(to, dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (out < 0) {
		complain(dst, out, "cannot create");
		s_close(from, in);
		return 0;
	}
	while ((n = s_read(from, in, iobuf, BUFSIZE)) > 0) {
		long done = 0;

		while (done < n) {
			long w = s_write(to, out, iobuf + done, n - done);

			if (w <= 0) {
				complain(dst, w ? w : -EIO, "write");
				ok = 0;
				goto out;
			}
			done += w;
		}
	}
	if (n < 0) {
		complain(src, n, "read");
		ok = 0;
	}
out:
	n = s_close(to, out);
	if (n && ok) {
		complain(dst, n, "close");
		ok = 0;
	}
	s_close(from, in);
	return ok;
}

static void copy_one(const struct side *from, const char *src,
		     const struct side *to, const char *dst);

static void copy_dir(const struct side *from, const char *src,
		     const struct side *to, const char *dst,
		     const struct stat *st)
{
	char buf[16384];
	long fd, n, err;

	err = s_mkdir(to, dst, 0700);
	if (err && err != -EEXIST) {
		complain(dst, err, "cannot make directory");
		return;
	}
	fd = s_open(from, src, O_RDONLY | O_DIRECTORY, 0);
	if (fd < 0) {
		complain(src, fd, "cannot open directory");
		return;
	}
	while ((n = s_getdents(from, fd, buf, sizeof(buf))) > 0) {
		long pos;

		for (pos = 0; pos < n;) {
			struct liblinux_dirent64 *d = (void *)(buf + pos);
			char *s, *t;

			pos += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
			    (from->image && !strcmp(src, MNT) &&
			     !strcmp(d->d_name, "lost+found")))
				continue;
			if (asprintf(&s, "%s/%s", src, d->d_name) < 0 ||
			    asprintf(&t, "%s/%s", dst, d->d_name) < 0) {
				complain(src, -ENOMEM, "out of memory");
				break;
			}
			copy_one(from, s, to, t);
			free(s);
			free(t);
		}
	}
	if (n < 0)
		complain(src, n, "cannot read directory");
	s_close(from, fd);
	set_meta(to, dst, st, from, src);
}

static void copy_one(const struct side *from, const char *src,
		     const struct side *to, const char *dst)
{
	struct stat st;
	char target[PATHMAX];
	const char *first;
	long err;

	err = s_lstat(from, src, &st);
	if (err) {
		complain(src, err, "cannot stat");
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		if (!opt_r)
			complain(src, 0, "is a directory (not copied without -r)");
		else
			copy_dir(from, src, to, dst, &st);
		return;
	}
	first = st.st_nlink > 1 ? hardlink_find(&st) : NULL;
	if (first) {
		err = s_link(to, first, dst);
		if (!err)
			return;
		if (err == -EEXIST) {
			complain(dst, err, "cannot link");
			return;
		}
		/* vfat has no hard links: a copy of its own */
	}
	if (S_ISLNK(st.st_mode)) {
		long n = s_readlink(from, src, target, sizeof(target) - 1);

		if (n < 0) {
			complain(src, n, "cannot read link");
			return;
		}
		target[n] = '\0';
		err = s_symlink(to, target, dst);
		if (err) {
			complain(dst, err, "cannot make symbolic link");
			return;
		}
	} else if (S_ISREG(st.st_mode)) {
		if (!copy_data(from, src, to, dst))
			return;
	} else {
		err = s_mknod(to, dst, st.st_mode, st.st_rdev);
		if (err) {
			complain(dst, err, "cannot make special file");
			return;
		}
	}
	if (st.st_nlink > 1)
		hardlink_add(&st, dst);
	set_meta(to, dst, &st, from, src);
}

/* "IMAGE:PATH" with IMAGE an existing file or block device */
static int image_spec(const char *arg, char **img, const char **path)
{
	const char *colon = strchr(arg, ':');
	struct stat st;
	char *name;

	if (!colon || colon == arg)
		return 0;
	name = strndup(arg, colon - arg);
	if (!name || stat(name, &st) || S_ISDIR(st.st_mode)) {
		free(name);
		return 0;
	}
	*img = name;
	*path = colon + 1;
	return 1;
}

/* the filesystem type from the image's own magic numbers, or NULL */
static const char *detect_fstype(const char *img)
{
	unsigned char b[0x10048];
	int fd = open(img, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return NULL;
	n = pread(fd, b, sizeof(b), 0);
	close(fd);
	if (n >= 1024 + 58 && b[1024 + 56] == 0x53 && b[1024 + 57] == 0xef)
		return "ext4";
	if (n >= 4 && !memcmp(b, "XFSB", 4))
		return "xfs";
	if (n >= (ssize_t)sizeof(b) && !memcmp(b + 0x10040, "_BHRfS_M", 8))
		return "btrfs";
	if (n >= 512 && b[510] == 0x55 && b[511] == 0xaa &&
	    (!memcmp(b + 54, "FAT", 3) || !memcmp(b + 82, "FAT32", 5)))
		return "vfat";
	return NULL;
}

/* @dir/ the last component of @name ("a/b/" names b) */
static void join(char *out, const char *dir, const char *name)
{
	size_t len = strlen(name);
	const char *base;

	while (len > 1 && name[len - 1] == '/')
		len--;
	base = name + len;
	while (base > name && base[-1] != '/')
		base--;
	snprintf(out, PATHMAX, "%s/%.*s", dir, (int)(name + len - base), base);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-r] [-p] [-t FSTYPE] SRC... IMAGE:PATH\n"
		"       %s [-r] [-p] [-t FSTYPE] IMAGE:PATH... DEST\n"
		"Copy files into or out of a disk image (ext2/3/4, vfat, and\n"
		"what else the library is built with) without root or a mount.\n"
		"  -r         copy directories recursively\n"
		"  -p         keep owners, modes, times and extended attributes\n"
		"  -t FSTYPE  the image's filesystem type, if not detected\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	const char *fstype = NULL, *ipath = NULL, *dest;
	char *img = NULL, *other;
	struct liblinux_disk disk = { 0 };
	struct liblinux_params params = { .disks = &disk, .ndisks = 1 };
	char dst[PATHMAX], ibase[PATHMAX];
	int c, i, nsrc, copy_in, dest_is_dir, err;
	struct stat st;

	while ((c = getopt(argc, argv, "rRpt:h")) != -1) {
		switch (c) {
		case 'r':
		case 'R':
			opt_r = 1;
			break;
		case 'p':
			opt_p = 1;
			break;
		case 't':
			fstype = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	nsrc = argc - optind - 1;
	if (nsrc < 1) {
		fprintf(stderr, "%s: need a source and a destination\n", prog);
		usage(stderr);
		return 2;
	}
	dest = argv[argc - 1];
	copy_in = image_spec(dest, &img, &ipath);
	for (i = optind; i < argc - 1; i++) {
		char *si;
		const char *sp;

		if (image_spec(argv[i], &si, &sp)) {
			if (copy_in || (img && strcmp(img, si))) {
				fprintf(stderr, "%s: '%s': copy either into one image or out of one\n",
					prog, argv[i]);
				return 2;
			}
			img = si;
		} else if (!copy_in) {
			fprintf(stderr, "%s: '%s': not IMAGE:PATH (copying out of an image, every source is one)\n",
				prog, argv[i]);
			return 2;
		} else if (lstat(argv[i], &st)) {
			fprintf(stderr, "%s: %s: %s\n", prog, argv[i],
				strerror(errno));
			return 1;
		}
	}
	if (!img) {
		fprintf(stderr, "%s: no IMAGE:PATH among the arguments (is the image file there?)\n",
			prog);
		return 2;
	}
	if (!fstype)
		fstype = detect_fstype(img);
	if (!fstype) {
		fprintf(stderr, "%s: %s: no filesystem found that this tool knows (ext2/3/4, vfat, btrfs, xfs); name it with -t\n",
			prog, img);
		return 2;
	}

	iobuf = malloc(BUFSIZE);
	if (!iobuf)
		return 1;
	umask_bits = umask(0);
	umask(umask_bits);
	disk.path = img;
	disk.readonly = !copy_in;
	err = liblinux_start(&params);
	if (err) {
		fprintf(stderr, "%s: cannot start the kernel: %s\n", prog,
			strerror(-err));
		return 2;
	}
	liblinux_syscall(SYS_umask, 0L);
	liblinux_mkdir(MNT, 0755);
	err = liblinux_mount("/dev/ubda", MNT, fstype, copy_in ? 0 : MS_RDONLY,
			     NULL);
	if (err) {
		fprintf(stderr, "%s: %s: cannot mount it as %s: %s\n", prog,
			img, fstype,
			err == -EINVAL || err == -EUCLEAN || err == -EIO ?
			"not a valid filesystem of that type (corrupt or truncated?)" :
			strerror(-err));
		liblinux_stop();
		return 2;
	}

	snprintf(ibase, sizeof(ibase), "%s/%s", MNT, ipath);
	if (copy_in) {
		long e = liblinux_stat(ibase, &st);

		dest_is_dir = !e && S_ISDIR(st.st_mode);
		if (nsrc > 1 && !dest_is_dir) {
			complain(dest, e, "not a directory in the image");
			goto stop;
		}
		for (i = optind; i < argc - 1; i++) {
			if (dest_is_dir)
				join(dst, ibase, argv[i]);
			else
				snprintf(dst, sizeof(dst), "%s", ibase);
			copy_one(&host, argv[i], &image, dst);
		}
	} else {
		dest_is_dir = !stat(dest, &st) && S_ISDIR(st.st_mode);
		if (nsrc > 1 && !dest_is_dir) {
			complain(dest, -ENOTDIR, "cannot copy several files to it");
			goto stop;
		}
		for (i = optind; i < argc - 1; i++) {
			char src[PATHMAX];

			image_spec(argv[i], &other, &ipath);
			snprintf(src, sizeof(src), "%s/%s", MNT, ipath);
			if (dest_is_dir && !*ipath)
				snprintf(dst, sizeof(dst), "%s", dest);
			else if (dest_is_dir)
				join(dst, dest, ipath);
			else
				snprintf(dst, sizeof(dst), "%s", dest);
			copy_one(&image, src, &host, dst);
			free(other);
		}
	}
stop:
	err = liblinux_stop();
	if (err) {
		fprintf(stderr, "%s: %s: could not unmount cleanly: %s\n", prog,
			img, strerror(-err));
		return 1;
	}
	return errors ? 1 : 0;
}
