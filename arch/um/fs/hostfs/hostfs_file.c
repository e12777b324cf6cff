// SPDX-License-Identifier: GPL-2.0
/*
 * hostfs: files and directories.
 *
 * Regular files go through the page cache (so mmap, shared or private,
 * works as on any file system); pages are read from and written back to
 * one host descriptor per inode, opened with the widest access any open
 * file of the inode needs.  Dirty pages reach the host at writeback, at
 * fsync() and at close() (close-to-open consistency, as NFS gives), and a
 * host file that changed since the guest cached it (mtime or size) is read
 * again at the next open or read.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/writeback.h>
#include <host/file.h>
#include "hostfs.h"

static int want_mode(struct file *file)
{
	int mode = 0;

	if (file->f_mode & FMODE_READ)
		mode |= HOSTFS_O_READ;
	if (file->f_mode & FMODE_WRITE)
		mode |= HOSTFS_O_WRITE | HOSTFS_O_READ;
	return mode;
}

static void refresh_from_fd(struct inode *inode, int fd)
{
	struct hostfs_stat st;

	if (!hostfs_host_fstat(fd, &st))
		hostfs_refresh(inode, &st);
}

static int hostfs_open(struct inode *inode, struct file *file)
{
	struct hostfs_inode *hi = HOSTFS_I(inode);
	int mode = want_mode(file);
	char *path;
	int fd;

	/* a writer reads too: partial pages are read before written */
	mutex_lock(&hi->lock);
	if ((hi->mode & mode) != mode || hi->fd < 0) {
		path = hostfs_path_alloc(file->f_path.dentry);
		if (IS_ERR(path)) {
			mutex_unlock(&hi->lock);
			return PTR_ERR(path);
		}
		fd = hostfs_host_open(path, hi->mode | mode, 0);
		if (fd == -EACCES && (mode & HOSTFS_O_WRITE) &&
		    !(file->f_mode & FMODE_READ))
			fd = hostfs_host_open(path, HOSTFS_O_WRITE, 0);
		kfree(path);
		if (fd < 0) {
			mutex_unlock(&hi->lock);
			return fd;
		}
		if (hi->fd >= 0)
			hostfs_host_close(hi->fd);
		hi->fd = fd;
		hi->mode |= mode;
	}
	hi->opens++;
	refresh_from_fd(inode, hi->fd);
	mutex_unlock(&hi->lock);
	if ((file->f_flags & O_TRUNC) && (file->f_mode & FMODE_WRITE))
		truncate_pagecache(inode, 0);
	return generic_file_open(inode, file);
}

static int hostfs_flush(struct file *file, fl_owner_t id)
{
	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	return filemap_write_and_wait(file->f_mapping);
}

static int hostfs_release(struct inode *inode, struct file *file)
{
	struct hostfs_inode *hi = HOSTFS_I(inode);

	filemap_write_and_wait(inode->i_mapping);
	mutex_lock(&hi->lock);
	if (--hi->opens == 0 && hi->fd >= 0) {
		/* the host's view after our writes: not a change by others */
		refresh_from_fd(inode, hi->fd);
		hostfs_host_close(hi->fd);
		hi->fd = -1;
		hi->mode = 0;
	}
	mutex_unlock(&hi->lock);
	return 0;
}

static ssize_t hostfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct hostfs_inode *hi = HOSTFS_I(inode);

	/* a file that changed on the host while open here is read anew */
	if (hi->fd >= 0)
		refresh_from_fd(inode, hi->fd);
	return generic_file_read_iter(iocb, to);
}

static ssize_t hostfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret = generic_file_write_iter(iocb, from);

	/* our own writes change the host's mtime: not a foreign change */
	if (ret > 0 && (iocb->ki_flags & IOCB_DSYNC))
		refresh_from_fd(inode, HOSTFS_I(inode)->fd);
	return ret;
}

static int hostfs_fsync(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct inode *inode = file_inode(file);
	int err = file_write_and_wait_range(file, start, end);

	if (err)
		return err;
	return hostfs_host_fsync(HOSTFS_I(inode)->fd, datasync);
}

const struct file_operations hostfs_file_fops = {
	.open		= hostfs_open,
	.flush		= hostfs_flush,
	.release	= hostfs_release,
	.llseek		= generic_file_llseek,
	.read_iter	= hostfs_read_iter,
	.write_iter	= hostfs_write_iter,
	.mmap		= generic_file_mmap,
	.splice_read	= filemap_splice_read,
	.splice_write	= iter_file_splice_write,
	.fsync		= hostfs_fsync,
};

/* fill @folio from the host; bytes past the end of the file are zero */
static int fill_folio(struct inode *inode, struct folio *folio)
{
	loff_t pos = folio_pos(folio);
	size_t len = folio_size(folio);
	void *buf = kmap_local_folio(folio, 0);
	long n = HOSTFS_I(inode)->fd < 0 ? -EBADF :
		 host_pread(HOSTFS_I(inode)->fd, buf, len, pos);

	if (n >= 0 && n < len)
		memset(buf + n, 0, len - n);
	kunmap_local(buf);
	return n < 0 ? n : 0;
}

static int hostfs_read_folio(struct file *file, struct folio *folio)
{
	int err = fill_folio(folio->mapping->host, folio);

	if (!err)
		folio_mark_uptodate(folio);
	folio_unlock(folio);
	return err;
}

static int write_folio(struct folio *folio, struct writeback_control *wbc)
{
	struct inode *inode = folio->mapping->host;
	loff_t size = i_size_read(inode), pos = folio_pos(folio);
	size_t len = folio_size(folio);
	void *buf;
	long n;

	if (pos >= size) {
		/* truncated away meanwhile */
		folio_unlock(folio);
		return 0;
	}
	if (pos + len > size)
		len = size - pos;
	folio_start_writeback(folio);
	folio_unlock(folio);
	buf = kmap_local_folio(folio, 0);
	n = HOSTFS_I(inode)->fd < 0 ? -EBADF :
	    host_pwrite(HOSTFS_I(inode)->fd, buf, len, pos);
	kunmap_local(buf);
	if (n < 0)
		mapping_set_error(folio->mapping, n);
	folio_end_writeback(folio);
	return n < 0 ? n : 0;
}

static int hostfs_writepages(struct address_space *mapping,
			     struct writeback_control *wbc)
{
	struct folio *folio = NULL;
	int err = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &err)))
		err = write_folio(folio, wbc);
	return err;
}

static int hostfs_write_begin(struct file *file, struct address_space *mapping,
			      loff_t pos, unsigned int len,
			      struct folio **foliop, void **fsdata)
{
	struct folio *folio;
	size_t from;
	int err;

	folio = __filemap_get_folio(mapping, pos >> PAGE_SHIFT, FGP_WRITEBEGIN,
				    mapping_gfp_mask(mapping));
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	*foliop = folio;
	if (folio_test_uptodate(folio))
		return 0;
	from = offset_in_folio(folio, pos);
	/* a whole folio overwritten, or none of it in the file yet */
	if ((from == 0 && len >= folio_size(folio)) ||
	    folio_pos(folio) >= i_size_read(mapping->host)) {
		if (len < folio_size(folio))
			folio_zero_segments(folio, 0, from, from + len,
					    folio_size(folio));
		return 0;
	}
	err = fill_folio(mapping->host, folio);
	if (err) {
		folio_unlock(folio);
		folio_put(folio);
		return err;
	}
	folio_mark_uptodate(folio);
	return 0;
}

static int hostfs_write_end(struct file *file, struct address_space *mapping,
			    loff_t pos, unsigned int len, unsigned int copied,
			    struct folio *folio, void *fsdata)
{
	struct inode *inode = mapping->host;

	if (!folio_test_uptodate(folio)) {
		if (copied < len) {
			/* a short copy into a folio never read: retry it */
			copied = 0;
			goto out;
		}
		folio_mark_uptodate(folio);
	}
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	folio_mark_dirty(folio);
out:
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

const struct address_space_operations hostfs_aops = {
	.read_folio	= hostfs_read_folio,
	.writepages	= hostfs_writepages,
	.dirty_folio	= filemap_dirty_folio,
	.write_begin	= hostfs_write_begin,
	.write_end	= hostfs_write_end,
	.migrate_folio	= filemap_migrate_folio,
};

/* directories: a host descriptor per open directory */
static int hostfs_dir_open(struct inode *inode, struct file *file)
{
	char *path = hostfs_path_alloc(file->f_path.dentry);
	int fd;

	if (IS_ERR(path))
		return PTR_ERR(path);
	fd = hostfs_host_open(path, HOSTFS_O_READ | HOSTFS_O_DIRECTORY, 0);
	kfree(path);
	if (fd < 0)
		return fd;
	file->private_data = (void *)(long)fd;
	return 0;
}

static int hostfs_dir_release(struct inode *inode, struct file *file)
{
	hostfs_host_close((long)file->private_data);
	return 0;
}

static int emit_entry(void *p, const char *name, int len,
		      unsigned long long ino, unsigned int type, long long next)
{
	struct dir_context *ctx = p;

	if (!dir_emit(ctx, name, len, ino, fs_umode_to_dtype(type)))
		return 1;
	ctx->pos = next;
	return 0;
}

static int hostfs_iterate(struct file *file, struct dir_context *ctx)
{
	return hostfs_host_readdir((long)file->private_data, ctx->pos,
				   emit_entry, ctx);
}

const struct file_operations hostfs_dir_fops = {
	.open		= hostfs_dir_open,
	.release	= hostfs_dir_release,
	.llseek		= generic_file_llseek,
	.read		= generic_read_dir,
	.iterate_shared	= hostfs_iterate,
};
