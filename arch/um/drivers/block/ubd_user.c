// SPDX-License-Identifier: GPL-2.0
/*
 * Host half of the block driver: opening disks (plain files, host block
 * devices, COW files over backing files) and the pool of I/O threads.
 * The COW format itself is cow.c; this file only does the I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <host/file.h>
#include <host/process.h>
#include <host/ubd.h>
#include <uml/cow.h>

struct ubd_host_disk {
	int fd;			/* the disk file, or the COW file */
	int backing_fd;		/* -1 unless a COW disk */
	int block;		/* fd is a host block device */
	struct cow_info cow;
	unsigned char *bitmap;	/* COW disks: one bit a sector */
	pthread_mutex_t bitmap_lock;
};

static int submit_pipe[2] = { -1, -1 }, done_pipe[2] = { -1, -1 };

static int fail(char *msg, unsigned long len, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *msg, unsigned long len, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return err;
}

static int take_lock(int fd, int excl)
{
	return flock(fd, (excl ? LOCK_EX : LOCK_SH) | LOCK_NB) ? -errno : 0;
}

static ssize_t iov_total(const struct iovec *iov, int nr)
{
	ssize_t t = 0;

	while (nr--)
		t += iov++->iov_len;
	return t;
}

/* preadv/pwritev of a whole iovec array, retrying short transfers */
static int rw_all(int fd, int write, struct iovec *iov, int nr, off_t off,
		  int flags)
{
	while (nr > 0) {
		ssize_t n = write ? pwritev2(fd, iov, nr, off, flags)
				  : preadv2(fd, iov, nr, off, flags);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if ((flags & RWF_NOWAIT) && n < iov_total(iov, nr))
			return -EAGAIN;	/* partly cached: the thread does it all */
		if (!n) {
			if (write)
				return -EIO;
			/* past the end of a short file: zeroes */
			for (; nr > 0; iov++, nr--)
				memset(iov->iov_base, 0, iov->iov_len);
			return 0;
		}
		off += n;
		while (nr > 0 && (size_t)n >= iov->iov_len) {
			n -= iov->iov_len;
			iov++;
			nr--;
		}
		if (nr > 0 && n) {
			iov->iov_base = (char *)iov->iov_base + n;
			iov->iov_len -= n;
		}
	}
	return 0;
}

/* all of @buf at @off, or -errno */
static int pwrite_full(int fd, const void *buf, size_t len, off_t off,
		       int flags)
{
	struct iovec iov = { (void *)buf, len };

	return rw_all(fd, 1, &iov, 1, off, flags);
}

/*
 * Large buffers come from the heap: this code also runs on a 16 KiB
 * kernel stack (hot-plug, boot-time configuration, reads done at once).
 */

/* the backing file's name as the header keeps it: absolute, malloc'd */
static char *absolute(const char *path)
{
	char *cwd, *out;

	if (path[0] == '/')
		return strdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return NULL;
	if (asprintf(&out, "%s/%s", cwd, path) < 0)
		out = NULL;
	free(cwd);
	return out;
}

static int open_backing(const struct ubd_host_spec *spec, const char *path,
			int check, char *msg, unsigned long len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(msg, len, -errno, "backing file %s: %s", path,
			    strerror(errno));
	if (fstat(fd, &st) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		close(fd);
		return fail(msg, len, -EINVAL,
			    "backing file %s: not a regular file or block device",
			    path);
	}
	/* many readers may share it; no kernel may write it meanwhile */
	if (!spec->shared && take_lock(fd, 0)) {
		close(fd);
		return fail(msg, len, -EBUSY,
			    "backing file %s is being written by another process",
			    path);
	}
	if (check) {
		close(fd);
		return 0;
	}
	return fd;
}

static int file_stamp(int fd, unsigned long long *size,
		      unsigned long long *mtime)
{
	struct stat st;

	if (fstat(fd, &st))
		return -errno;
	*mtime = st.st_mtime;
	*size = st.st_size;
	if (S_ISBLK(st.st_mode) && ioctl(fd, BLKGETSIZE64, size))
		return -errno;
	return 0;
}

/* the new file's directory entry on the host's disk too (best effort) */
static void sync_parent(const char *file)
{
	char *dir = strdup(file), *slash;
	int fd;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';	/* "/x" -> "/", "a/b" -> "a" */
	fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Make the file of a new COW disk: header @hdr, length data_offset + size
 * (sparse), locked, on the host's disk.  Return: its fd, or -errno with
 * the file removed again.
 */
static int make_cow_file(const struct ubd_host_spec *spec,
			 const unsigned char *hdr, const struct cow_info *ci,
			 char *msg, unsigned long len)
{
	int err = 0, fd = open(spec->file, O_RDWR | O_CREAT | O_EXCL |
			       O_CLOEXEC | (spec->sync ? O_SYNC : 0), 0644);

	if (fd < 0)
		return fail(msg, len, -errno, "cannot create COW file %s: %s",
			    spec->file, strerror(errno));
	if (!spec->shared)
		err = take_lock(fd, 1);
	if (!err)
		err = pwrite_full(fd, hdr, COW_HDR_V3_SIZE, 0, 0);
	if (!err && ftruncate(fd, ci->data_offset + ci->size))
		err = -errno;
	if (!err && fsync(fd))
		err = -errno;
	if (!err) {
		sync_parent(spec->file);
		return fd;
	}
	close(fd);
	unlink(spec->file);
	return fail(msg, len, err, "cannot create COW file %s: %s",
		    spec->file, strerror(-err));
}

/* a new COW file over @spec->backing: nothing is left behind on failure */
static int create_cow(const struct ubd_host_spec *spec,
		      struct ubd_host_disk *d, char *msg, unsigned long len)
{
	unsigned char *hdr = malloc(COW_HDR_V3_SIZE);
	char *path = absolute(spec->backing);
	unsigned long long size, mtime;
	const char *why;
	int ret = -ENOMEM, bfd = -1, fd = -1;

	if (!hdr || !path)
		fail(msg, len, ret, "backing file %s: no memory", spec->backing);
	else
		ret = bfd = open_backing(spec, spec->backing, 0, msg, len);
	if (ret >= 0) {
		ret = file_stamp(bfd, &size, &mtime);
		if (ret)
			fail(msg, len, ret, "backing file %s: %s", path,
			     strerror(-ret));
	}
	if (!ret) {
		why = cow_build(hdr, path, mtime, size, &d->cow);
		if (why)
			ret = fail(msg, len, -EINVAL, "%s: %s", spec->file, why);
	}
	if (!ret)
		ret = fd = make_cow_file(spec, hdr, &d->cow, msg, len);
	free(hdr);
	free(path);
	if (ret < 0) {
		if (bfd >= 0)
			close(bfd);
		return ret;
	}
	d->fd = fd;
	d->backing_fd = bfd;
	return 0;
}

/* @d->fd is a COW file whose first bytes are @hdr (@n of them) */
static int open_cow(const struct ubd_host_spec *spec, struct ubd_host_disk *d,
		    unsigned char *hdr, size_t n, int check,
		    struct ubd_host_info *info, char *msg, unsigned long len)
{
	unsigned long long bsize, bmtime;
	const char *backing, *err;
	struct stat st;
	char *moved = NULL;
	int bfd, ret, restamp = 0, move = 0;

	err = cow_parse(hdr, n, &d->cow);
	if (err)
		return fail(msg, len, -EINVAL, "%s: %s", spec->file, err);
	if (fstat(d->fd, &st))
		return fail(msg, len, -errno, "%s: %s", spec->file,
			    strerror(errno));
	if ((unsigned long long)st.st_size <
	    d->cow.bitmap_offset + d->cow.bitmap_len)
		return fail(msg, len, -EINVAL,
			    "%s: COW file too short for its bitmap (%lld bytes, bitmap ends at %llu)",
			    spec->file, (long long)st.st_size,
			    (unsigned long long)(d->cow.bitmap_offset +
						 d->cow.bitmap_len));
	backing = spec->backing ? spec->backing : d->cow.backing;
	bfd = open_backing(spec, backing, 0, msg, len);
	if (bfd < 0)
		return bfd;
	ret = file_stamp(bfd, &bsize, &bmtime);
	if (ret) {
		close(bfd);
		return fail(msg, len, ret, "backing file %s: %s", backing,
			    strerror(-ret));
	}
	if (bsize != d->cow.size || (bmtime & 0xffffffffULL) != d->cow.mtime) {
		if (!spec->force || spec->ro ||
		    cow_bitmap_len(d->cow.version, bsize, d->cow.sectorsize) >
		    d->cow.data_offset - d->cow.bitmap_offset) {
			close(bfd);
			return fail(msg, len, -ESTALE,
				    "backing file %s has changed since COW file %s was made: size %llu, header says %llu; mtime %llu, header says %llu%s",
				    backing, spec->file, bsize,
				    (unsigned long long)d->cow.size, bmtime,
				    (unsigned long long)d->cow.mtime,
				    spec->force ? " (cannot be forced: read-only or larger bitmap)" :
				    " (flag f accepts it)");
		}
		restamp = 1;
	}
	/*
	 * A backing file named on the command line that is not the one in
	 * the header (the image moved): its path goes into the header.
	 */
	if (spec->backing && !spec->ro) {
		moved = absolute(spec->backing);
		if (!moved || !strcmp(moved, d->cow.backing))
			goto same;
		struct stat old, cur;

		move = stat(d->cow.backing, &old) || fstat(bfd, &cur) ||
		       old.st_dev != cur.st_dev || old.st_ino != cur.st_ino;
	}
same:
	if (check) {
		free(moved);
		close(bfd);
		return 0;
	}
	if (move && cow_set_backing(hdr, &d->cow, moved))
		move = 0;	/* too long for a v1 header: keep the old one */
	free(moved);
	if (restamp)
		cow_set_stamp(hdr, &d->cow, bmtime, bsize);
	if (restamp || move) {
		size_t hsize = d->cow.version == 1 ? COW_HDR_V1_SIZE :
			       d->cow.version == 2 ? COW_HDR_V2_SIZE :
			       COW_HDR_V3_SIZE;

		ret = pwrite_full(d->fd, hdr, hsize, 0, 0);
		if (!ret)
			ret = host_fsync(d->fd);
		if (ret) {
			close(bfd);
			return fail(msg, len, ret, "%s: cannot update header: %s",
				    spec->file, strerror(-ret));
		}
		cow_parse(hdr, n, &d->cow);
	}
	d->backing_fd = bfd;
	return 0;
}

static int load_bitmap(struct ubd_host_disk *d, const char *file, char *msg,
		       unsigned long len)
{
	ssize_t n;

	d->bitmap = calloc(1, d->cow.bitmap_len + 8);
	if (!d->bitmap)
		return fail(msg, len, -ENOMEM, "%s: no memory for the bitmap",
			    file);
	n = host_pread_upto(d->fd, d->bitmap, d->cow.bitmap_len,
			    d->cow.bitmap_offset);
	if (n != (ssize_t)d->cow.bitmap_len)
		return fail(msg, len, n < 0 ? n : -EIO,
			    "%s: cannot read the COW bitmap", file);
	pthread_mutex_init(&d->bitmap_lock, NULL);
	return 0;
}

static void free_disk(struct ubd_host_disk *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->backing_fd >= 0)
		close(d->backing_fd);
	free(d->bitmap);
	free(d);
}

int ubd_host_open(const struct ubd_host_spec *spec, int flags,
		  struct ubd_host_disk **disk, struct ubd_host_info *info,
		  char *msg, unsigned long len)
{
	int check = flags & UBD_OPEN_CHECK;
	unsigned char *hdr = NULL;
	struct ubd_host_disk *d;
	struct stat st;
	ssize_t n;
	int ret, rw = !spec->ro;

	memset(info, 0, sizeof(*info));
	if (!*spec->file)
		return fail(msg, len, -EINVAL, "no file named");
	d = calloc(1, sizeof(*d));
	if (!d)
		return fail(msg, len, -ENOMEM, "no memory");
	d->fd = d->backing_fd = -1;

	if (!stat(spec->file, &st) && !S_ISREG(st.st_mode) &&
	    !S_ISBLK(st.st_mode)) {
		ret = fail(msg, len, -EINVAL,
			   "%s: not a regular file or block device", spec->file);
		goto out;
	}
	if (stat(spec->file, &st) && errno == ENOENT && spec->backing) {
		if (spec->ro) {
			ret = fail(msg, len, -EROFS,
				   "%s does not exist, and a read-only disk cannot create it",
				   spec->file);
			goto out;
		}
		if (check) {
			ret = open_backing(spec, spec->backing, 1, msg, len);
			goto out;
		}
		ret = create_cow(spec, d, msg, len);
		if (ret)
			goto out;
		info->created = 1;
		goto cow;
	}

	d->fd = open(spec->file, (rw ? O_RDWR : O_RDONLY) | O_CLOEXEC |
		     (spec->sync ? O_SYNC : 0));
	if (d->fd < 0 && rw && (errno == EACCES || errno == EROFS)) {
		/* a read-only host file is a read-only disk, unless COW */
		d->fd = open(spec->file, O_RDONLY | O_CLOEXEC);
		rw = 0;
		info->ro = 1;
	}
	if (d->fd < 0) {
		ret = fail(msg, len, -errno, "%s: %s", spec->file,
			   strerror(errno));
		goto out;
	}
	if (fstat(d->fd, &st) || (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))) {
		ret = fail(msg, len, -EINVAL,
			   "%s: not a regular file or block device", spec->file);
		goto out;
	}
	d->block = S_ISBLK(st.st_mode);
	if (!spec->shared && take_lock(d->fd, rw)) {
		ret = fail(msg, len, -EBUSY, "%s is in use by another process",
			   spec->file);
		goto out;
	}

	n = 0;
	hdr = malloc(COW_HDR_MAX);
	if (!hdr) {
		ret = fail(msg, len, -ENOMEM, "no memory");
		goto out;
	}
	if (!spec->data_only) {
		n = host_pread_upto(d->fd, hdr, COW_HDR_MAX, 0);
		if (n < 0) {
			ret = fail(msg, len, n, "%s: %s", spec->file,
				   strerror(-n));
			goto out;
		}
	}
	if (!spec->data_only && cow_is_cow(hdr, n)) {
		if (!rw && !spec->ro) {
			ret = fail(msg, len, -EROFS,
				   "COW file %s is read-only on the host (use flag r for a read-only disk)",
				   spec->file);
			goto out;
		}
		ret = open_cow(spec, d, hdr, n, check, info, msg, len);
		if (ret || check)
			goto out;
		goto cow;
	}
	if (spec->backing) {
		ret = fail(msg, len, -EINVAL,
			   "%s exists and is not a COW file (no COW header), but a backing file was given",
			   spec->file);
		goto out;
	}
	if (check) {
		ret = 0;
		goto out;
	}

	/* a plain disk */
	info->ro = info->ro || spec->ro;
	info->blksize = info->physblksize = 512;
	if (d->block) {
		int ssz = 512;
		unsigned int psz = 512;

		if (ioctl(d->fd, BLKGETSIZE64, &info->size) ||
		    ioctl(d->fd, BLKSSZGET, &ssz) ||
		    ioctl(d->fd, BLKPBSZGET, &psz)) {
			ret = fail(msg, len, -errno, "%s: %s", spec->file,
				   strerror(errno));
			goto out;
		}
		info->blksize = ssz;
		info->physblksize = psz;
	} else {
		info->size = st.st_size;
	}
	info->size &= ~(unsigned long long)(info->blksize - 1);
	info->discard = !spec->no_trim && !info->ro;
	*disk = d;
	free(hdr);
	return 0;

cow:
	ret = load_bitmap(d, spec->file, msg, len);
	if (ret)
		goto out;
	info->cow = 1;
	info->ro = spec->ro;
	info->size = d->cow.size & ~511ULL;
	info->blksize = info->physblksize = 512;
	info->discard = !spec->no_trim && !info->ro;
	snprintf(info->backing, sizeof(info->backing), "%s",
		 spec->backing ? spec->backing : d->cow.backing);
	*disk = d;
	free(hdr);
	return 0;

out:
	free(hdr);
	free_disk(d);
	return ret;
}

int ubd_host_grow(struct ubd_host_disk *d, const struct ubd_host_info *info,
		  unsigned long long size, char *msg, unsigned long len)
{
	struct stat st;

	if (info->cow)
		return fail(msg, len, -EINVAL,
			    "a COW disk is as large as its backing file (%llu bytes) and cannot grow",
			    info->size);
	if (d->block)
		return fail(msg, len, -EINVAL,
			    "a host block device keeps the size the host gave it");
	if (info->ro)
		return fail(msg, len, -EROFS, "the disk is read-only");
	if (fstat(d->fd, &st))
		return fail(msg, len, -errno, "%s", strerror(errno));
	/* a file the host made larger already keeps its end */
	if ((unsigned long long)st.st_size < size && ftruncate(d->fd, size))
		return fail(msg, len, -errno, "cannot grow the file: %s",
			    strerror(errno));
	return 0;
}

void ubd_host_close(struct ubd_host_disk *d)
{
	if (d->bitmap)
		pthread_mutex_destroy(&d->bitmap_lock);
	free_disk(d);
}

/*
 * The part [skip, skip + len) of the request's memory as an iovec array
 * in @out (room for UBD_MAX_SEGS); returns how many entries.
 */
static int slice(const struct ubd_io *io, unsigned long long skip,
		 unsigned long long len, struct iovec *out)
{
	int i, n = 0;

	for (i = 0; i < io->nr && len; i++) {
		unsigned long l = io->seg[i].len;

		if (skip >= l) {
			skip -= l;
			continue;
		}
		out[n].iov_base = (char *)io->seg[i].buf + skip;
		out[n].iov_len = l - skip < len ? l - skip : len;
		len -= out[n].iov_len;
		skip = 0;
		n++;
	}
	return n;
}

static unsigned long long io_bytes(const struct ubd_io *io)
{
	unsigned long long t = 0;
	int i;

	for (i = 0; i < io->nr; i++)
		t += io->seg[i].len;
	return t;
}

/* COW reads: each run of sectors from the file that holds it */
static int cow_read(struct ubd_host_disk *d, struct ubd_io *io, int flags)
{
	struct iovec iov[UBD_MAX_SEGS];
	unsigned long long total = io_bytes(io), done = 0;
	uint64_t s = io->offset / COW_SECTOR;

	while (done < total) {
		int in_cow, ret, nr;
		uint64_t run = cow_run(d->bitmap, s, (total - done) / COW_SECTOR,
				       &in_cow);
		unsigned long long bytes = run * COW_SECTOR;

		nr = slice(io, done, bytes, iov);
		ret = in_cow ? rw_all(d->fd, 0, iov, nr,
				      d->cow.data_offset + s * COW_SECTOR, flags)
			     : rw_all(d->backing_fd, 0, iov, nr,
				      s * COW_SECTOR, flags);
		if (ret)
			return ret;
		done += bytes;
		s += run;
	}
	return 0;
}

/*
 * After the data of sectors [s, s + n) is in the COW file: set their bits
 * and write the bitmap bytes that changed.  Under the lock, so that the
 * bytes written always hold every bit set before them.
 */
static int cow_commit(struct ubd_host_disk *d, uint64_t s, uint64_t n,
		      int flags)
{
	uint64_t first, last;
	int ret = 0;

	pthread_mutex_lock(&d->bitmap_lock);
	cow_mark(d->bitmap, s, n, &first, &last);
	if (first != last)
		ret = pwrite_full(d->fd, d->bitmap + first, last - first,
				  d->cow.bitmap_offset + first, flags);
	pthread_mutex_unlock(&d->bitmap_lock);
	return ret;
}

/* the request's segments are laid out as an iovec array */
static struct iovec *io_iov(struct ubd_io *io)
{
	_Static_assert(sizeof(struct ubd_seg) == sizeof(struct iovec),
		       "struct ubd_seg is not an iovec");
	return (struct iovec *)io->seg;
}

static int do_write(struct ubd_host_disk *d, struct ubd_io *io)
{
	int flags = io->fua ? RWF_DSYNC : 0;
	unsigned long long base = d->bitmap ? d->cow.data_offset : 0;
	unsigned long long bytes = io_bytes(io);
	int ret = rw_all(d->fd, 1, io_iov(io), io->nr, base + io->offset,
			 flags);

	if (!ret && d->bitmap)
		ret = cow_commit(d, io->offset / COW_SECTOR,
				 bytes / COW_SECTOR, flags);
	return ret;
}

static int do_discard(struct ubd_host_disk *d, struct ubd_io *io)
{
	unsigned long long base = d->bitmap ? d->cow.data_offset : 0;
	int ret;

	ret = fallocate(d->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			base + io->offset, io->len) ? -errno : 0;
	/* a COW disk's zeroed sectors must no longer come from the backing */
	if (!ret && d->bitmap && io->op == UBD_ZEROES)
		ret = cow_commit(d, io->offset / COW_SECTOR,
				 io->len / COW_SECTOR, 0);
	return ret;
}

/*
 * rw_all() advances through the iovec array it is given, so the segments
 * of a plain read change only when data arrived; with RWF_NOWAIT it gives
 * up before touching them, so the thread can do the whole read again.
 */
static int do_read(struct ubd_io *io, int flags)
{
	if (io->disk->bitmap)
		return cow_read(io->disk, io, flags);
	return rw_all(io->disk->fd, 0, io_iov(io), io->nr, io->offset, flags);
}

static int do_io(struct ubd_io *io)
{
	struct ubd_host_disk *d = io->disk;

	switch (io->op) {
	case UBD_READ:
		return do_read(io, 0);
	case UBD_WRITE:
		return do_write(d, io);
	case UBD_FLUSH:
		/* every write completed so far, data and bitmap: one file */
		return host_fsync(d->fd);
	case UBD_DISCARD:
	case UBD_ZEROES:
		return do_discard(d, io);
	}
	return -EINVAL;
}

int ubd_io_try(struct ubd_io *io)
{
	int ret;

	/* COW reads need an iovec array per run: on a thread's stack */
	if (io->op != UBD_READ || io->disk->block || io->disk->bitmap)
		return 0;
	ret = do_read(io, RWF_NOWAIT);
	if (ret == -EAGAIN || ret == -EOPNOTSUPP)
		return 0;
	io->result = ret;
	return 1;
}

/*
 * Each thread takes up to UBD_THREAD_BATCH requests at a time and hands
 * their completions back in one write: fewer wake-ups and pipe calls per
 * request when many are queued (a pipe read of a multiple of the pointer
 * size returns whole pointers, since every write is whole pointers too).
 */
#define UBD_THREAD_BATCH	4

/*
 * Threads started with the first disk: the library, which starts a
 * kernel in every run of a tool, starts one and lets the pool grow to
 * UBD_IO_THREADS as requests queue up (io_threads_grow()).
 */
#ifdef CONFIG_UML_LIB
#define UBD_IO_THREADS_FIRST	1
#else
#define UBD_IO_THREADS_FIRST	UBD_IO_THREADS
#endif

/* threads started, and those waiting for a request */
static int io_threads, io_idle;

static void io_thread(void *unused)
{
	struct ubd_io *ios[UBD_THREAD_BATCH];
	long n;
	int i;

	for (;;) {
		__atomic_add_fetch(&io_idle, 1, __ATOMIC_RELAXED);
		n = host_read(submit_pipe[0], ios, sizeof(ios));
		__atomic_sub_fetch(&io_idle, 1, __ATOMIC_RELAXED);
		if (n <= 0 || n % sizeof(ios[0]))
			return;
		for (i = 0; i < n / (long)sizeof(ios[0]); i++)
			ios[i]->result = do_io(ios[i]);
		host_write(done_pipe[1], ios, n);
	}
}

int ubd_io_start(int *done_fd)
{
	int i, err;

	err = host_pipe(submit_pipe);
	if (!err)
		err = host_pipe(done_pipe);
	if (err)
		return err;
	for (i = 0; i < UBD_IO_THREADS_FIRST; i++) {
		err = host_thread_start(io_thread, NULL);
		if (err)
			return err;
		io_threads++;
	}
	*done_fd = done_pipe[0];
	return 0;
}

/*
 * One more thread, up to UBD_IO_THREADS, when fewer are idle than there
 * are requests just queued.  A thread that has not yet reached its first
 * read counts as busy, so a burst may start one thread too many: never
 * more than the limit.
 */
static void io_threads_grow(int queued)
{
	int n = __atomic_load_n(&io_threads, __ATOMIC_RELAXED);

	if (n >= UBD_IO_THREADS ||
	    __atomic_load_n(&io_idle, __ATOMIC_RELAXED) >= queued)
		return;
	if (!__atomic_compare_exchange_n(&io_threads, &n, n + 1, 0,
					 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		return;
	if (host_thread_start(io_thread, NULL))
		__atomic_sub_fetch(&io_threads, 1, __ATOMIC_RELAXED);
}

int ubd_io_submit(struct ubd_io **ios, int nr)
{
	size_t len = nr * sizeof(*ios);
	long n;

	/* at most PIPE_BUF bytes: the write is atomic, all or nothing */
	if (len > PIPE_BUF)
		return -E2BIG;
	io_threads_grow(nr);
	n = host_write(submit_pipe[1], ios, len);
	return n == (long)len ? 0 : n < 0 ? n : -EIO;
}
