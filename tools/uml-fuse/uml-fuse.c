// SPDX-License-Identifier: GPL-2.0
/*
 * uml-fuse: mount a disk image on the host through FUSE, with the kernel's
 * own filesystem code (liblinux) doing the work.
 *
 *   uml-fuse [-t FSTYPE] [-r] [-f] IMAGE MOUNTPOINT [-o FUSE-OPTIONS]
 *
 * Every FUSE operation is the system call of the same name on the image,
 * mounted at /mnt inside the library's kernel; open files are the kernel's
 * descriptors.  Unmounting (fusermount3 -u, umount) unmounts the image in
 * the kernel and flushes it to IMAGE before the tool exits.
 */
#define FUSE_USE_VERSION 31
#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <liblinux.h>

#define MNT	"/mnt"

static const char *prog = "uml-fuse";

/* the image's path of a FUSE path, in @buf */
static const char *ip(char *buf, size_t n, const char *path)
{
	snprintf(buf, n, MNT "%s", path);
	return buf;
}

#define IP(path)	ip(alloca(4096 + 8), 4096 + 8, path)

static int f_getattr(const char *path, struct stat *st,
		     struct fuse_file_info *fi)
{
	if (fi)
		return liblinux_fstat(fi->fh, st);
	return liblinux_lstat(IP(path), st);
}

static int f_readlink(const char *path, char *buf, size_t n)
{
	long r = liblinux_readlink(IP(path), buf, n - 1);

	if (r < 0)
		return r;
	buf[r] = '\0';
	return 0;
}

static int f_mknod(const char *path, mode_t mode, dev_t dev)
{
	return liblinux_syscall(SYS_mknodat, (long)AT_FDCWD, (long)IP(path),
				(long)mode, (long)dev);
}

static int f_mkdir(const char *path, mode_t mode)
{
	return liblinux_mkdir(IP(path), mode);
}

static int f_unlink(const char *path)
{
	return liblinux_unlink(IP(path));
}

static int f_rmdir(const char *path)
{
	return liblinux_rmdir(IP(path));
}

static int f_symlink(const char *target, const char *path)
{
	return liblinux_symlink(target, IP(path));
}

static int f_rename(const char *from, const char *to, unsigned int flags)
{
	return liblinux_syscall(SYS_renameat2, (long)AT_FDCWD, (long)IP(from),
				(long)AT_FDCWD, (long)IP(to), (long)flags);
}

static int f_link(const char *from, const char *to)
{
	return liblinux_link(IP(from), IP(to));
}

static int f_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return liblinux_chmod(IP(path), mode);
}

static int f_chown(const char *path, uid_t uid, gid_t gid,
		   struct fuse_file_info *fi)
{
	return liblinux_lchown(IP(path), uid, gid);
}

static int f_truncate(const char *path, off_t len, struct fuse_file_info *fi)
{
	if (fi)
		return liblinux_ftruncate(fi->fh, len);
	return liblinux_syscall(SYS_truncate, (long)IP(path), (long)len);
}

static int f_open(const char *path, struct fuse_file_info *fi)
{
	long fd = liblinux_open(IP(path), fi->flags, 0);

	if (fd < 0)
		return fd;
	fi->fh = fd;
	return 0;
}

static int f_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	long fd = liblinux_open(IP(path), fi->flags | O_CREAT, mode);

	if (fd < 0)
		return fd;
	fi->fh = fd;
	return 0;
}

static int f_read(const char *path, char *buf, size_t n, off_t off,
		  struct fuse_file_info *fi)
{
	return liblinux_pread(fi->fh, buf, n, off);
}

static int f_write(const char *path, const char *buf, size_t n, off_t off,
		   struct fuse_file_info *fi)
{
	return liblinux_pwrite(fi->fh, buf, n, off);
}

static int f_statfs(const char *path, struct statvfs *sv)
{
	struct statfs st;
	long r = liblinux_statfs(MNT, &st);

	if (r < 0)
		return r;
	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = st.f_bsize;
	sv->f_frsize = st.f_frsize ? st.f_frsize : st.f_bsize;
	sv->f_blocks = st.f_blocks;
	sv->f_bfree = st.f_bfree;
	sv->f_bavail = st.f_bavail;
	sv->f_files = st.f_files;
	sv->f_ffree = st.f_ffree;
	sv->f_favail = st.f_ffree;
	sv->f_namemax = st.f_namelen;
	return 0;
}

static int f_release(const char *path, struct fuse_file_info *fi)
{
	return liblinux_close(fi->fh);
}

static int f_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	return liblinux_syscall(datasync ? SYS_fdatasync : SYS_fsync,
				(long)fi->fh);
}

static int f_setxattr(const char *path, const char *name, const char *val,
		      size_t n, int flags)
{
	return liblinux_lsetxattr(IP(path), name, val, n, flags);
}

static int f_getxattr(const char *path, const char *name, char *val,
		      size_t n)
{
	return liblinux_lgetxattr(IP(path), name, val, n);
}

static int f_listxattr(const char *path, char *list, size_t n)
{
	return liblinux_llistxattr(IP(path), list, n);
}

static int f_removexattr(const char *path, const char *name)
{
	return liblinux_syscall(SYS_lremovexattr, (long)IP(path), (long)name);
}

static int f_opendir(const char *path, struct fuse_file_info *fi)
{
	long fd = liblinux_open(IP(path), O_RDONLY | O_DIRECTORY, 0);

	if (fd < 0)
		return fd;
	fi->fh = fd;
	return 0;
}

static int f_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		     off_t off, struct fuse_file_info *fi,
		     enum fuse_readdir_flags flags)
{
	char d[16384];
	long n, r;

	r = liblinux_lseek(fi->fh, 0, SEEK_SET);
	if (r < 0)
		return r;
	while ((n = liblinux_getdents(fi->fh, d, sizeof(d))) > 0) {
		long pos;

		for (pos = 0; pos < n;) {
			struct liblinux_dirent64 *e = (void *)(d + pos);
			struct stat st = { .st_ino = e->d_ino,
					   .st_mode = (mode_t)e->d_type << 12 };

			pos += e->d_reclen;
			if (fill(buf, e->d_name, &st, 0, 0))
				return 0;
		}
	}
	return n;
}

static int f_releasedir(const char *path, struct fuse_file_info *fi)
{
	return liblinux_close(fi->fh);
}

static int f_access(const char *path, int mode)
{
	return liblinux_syscall(SYS_faccessat, (long)AT_FDCWD, (long)IP(path),
				(long)mode);
}

static int f_utimens(const char *path, const struct timespec tv[2],
		     struct fuse_file_info *fi)
{
	return liblinux_utimens(IP(path), tv);
}

static int f_fallocate(const char *path, int mode, off_t off, off_t len,
		       struct fuse_file_info *fi)
{
	return liblinux_syscall(SYS_fallocate, (long)fi->fh, (long)mode,
				(long)off, (long)len);
}

static void *f_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* the kernel in the library has the only copy of the truth */
	cfg->use_ino = 1;
	cfg->nullpath_ok = 0;
	cfg->entry_timeout = 1;
	cfg->attr_timeout = 1;
	return NULL;
}

static const struct fuse_operations ops = {
	.init		= f_init,
	.getattr	= f_getattr,
	.readlink	= f_readlink,
	.mknod		= f_mknod,
	.mkdir		= f_mkdir,
	.unlink		= f_unlink,
	.rmdir		= f_rmdir,
	.symlink	= f_symlink,
	.rename		= f_rename,
	.link		= f_link,
	.chmod		= f_chmod,
	.chown		= f_chown,
	.truncate	= f_truncate,
	.open		= f_open,
	.create		= f_create,
	.read		= f_read,
	.write		= f_write,
	.statfs		= f_statfs,
	.release	= f_release,
	.fsync		= f_fsync,
	.setxattr	= f_setxattr,
	.getxattr	= f_getxattr,
	.listxattr	= f_listxattr,
	.removexattr	= f_removexattr,
	.opendir	= f_opendir,
	.readdir	= f_readdir,
	.releasedir	= f_releasedir,
	.access		= f_access,
	.utimens	= f_utimens,
	.fallocate	= f_fallocate,
};

static void usage(FILE *f)
{
	fprintf(f, "usage: %s [-t FSTYPE] [-r] [-f] IMAGE MOUNTPOINT [-o OPTIONS]\n"
		"Mount a disk image on the host through FUSE, the kernel's own\n"
		"filesystem code reading and writing it.\n"
		"  -t FSTYPE  the image's filesystem (default: ext4)\n"
		"  -r         read-only\n"
		"  -f         stay in the foreground\n"
		"  -o OPTS    FUSE mount options (allow_other, ...)\n",
		prog);
}

/*
 * A forked process has no kernel thread, so the tool goes to the
 * background before liblinux_start(): the parent waits for the child's
 * word that the image is mounted (0) or not (its exit status).
 */
static int background(int *tell)
{
	int p[2];
	pid_t pid;
	char c = 1;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &c, 1) != 1)
			c = 1;
		exit(c);
	}
	close(p[0]);
	setsid();
	*tell = p[1];
	return 0;
}

static void report(int tell, char status)
{
	int fd;

	if (tell < 0)
		return;
	if (write(tell, &status, 1) != 1)
		status = 1;
	close(tell);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *fstype = "ext4", *img = NULL, *mnt = NULL, *fopts = NULL;
	struct liblinux_disk disk = { 0 };
	struct liblinux_params params = { .disks = &disk, .ndisks = 1 };
	struct fuse_args args;
	struct fuse *fuse;
	char *fargv[8];
	int fargc = 0, ro = 0, fg = 0, tell = -1, i, err, ret;
	struct stat st;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "-t") && i + 1 < argc) {
			fstype = argv[++i];
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			fopts = argv[++i];
		} else if (!strcmp(argv[i], "-r")) {
			ro = 1;
		} else if (!strcmp(argv[i], "-f")) {
			fg = 1;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "%s: unknown option '%s'\n", prog,
				argv[i]);
			usage(stderr);
			return 2;
		} else if (!img) {
			img = argv[i];
		} else if (!mnt) {
			mnt = argv[i];
		} else {
			fprintf(stderr, "%s: '%s': one image, one mount point\n",
				prog, argv[i]);
			return 2;
		}
	}
	if (!img || !mnt) {
		usage(stderr);
		return 2;
	}
	if (stat(img, &st) || S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: not an image file\n", prog, img);
		return 2;
	}
	if (stat(mnt, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "%s: %s: not a directory\n", prog, mnt);
		return 2;
	}
	if (!fg && background(&tell)) {
		perror(prog);
		return 1;
	}

	disk.path = img;
	disk.readonly = ro;
	err = liblinux_start(&params);
	if (err) {
		fprintf(stderr, "%s: cannot start the kernel: %s\n", prog,
			strerror(-err));
		report(tell, 2);
		return 2;
	}
	liblinux_syscall(SYS_umask, 0L);
	liblinux_mkdir(MNT, 0755);
	err = liblinux_mount("/dev/ubda", MNT, fstype, ro ? MS_RDONLY : 0,
			     NULL);
	if (err) {
		fprintf(stderr, "%s: %s: cannot mount it as %s: %s\n", prog,
			img, fstype, strerror(-err));
		liblinux_stop();
		report(tell, 2);
		return 2;
	}

	fargv[fargc++] = (char *)prog;
	fargv[fargc++] = "-o";
	fargv[fargc++] = (char *)(fopts ? fopts : "default_permissions");
	fargv[fargc] = NULL;
	args = (struct fuse_args)FUSE_ARGS_INIT(fargc, fargv);
	fuse = fuse_new(&args, &ops, sizeof(ops), NULL);
	if (!fuse || fuse_mount(fuse, mnt)) {
		fprintf(stderr, "%s: %s: cannot mount FUSE there\n", prog, mnt);
		liblinux_stop();
		report(tell, 2);
		return 2;
	}
	fuse_set_signal_handlers(fuse_get_session(fuse));
	report(tell, 0);
	ret = fuse_loop_mt(fuse, 0);
	fuse_remove_signal_handlers(fuse_get_session(fuse));
	fuse_unmount(fuse);
	fuse_destroy(fuse);

	err = liblinux_stop();
	if (err) {
		fprintf(stderr, "%s: %s: could not unmount cleanly: %s\n", prog,
			img, strerror(-err));
		return 1;
	}
	return ret ? 1 : 0;
}
