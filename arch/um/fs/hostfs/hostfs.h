/* SPDX-License-Identifier: GPL-2.0 */
/* hostfs, kernel half: what the inode and file code share. */
#ifndef __UM_HOSTFS_H
#define __UM_HOSTFS_H

#include <linux/fs.h>
#include <linux/mutex.h>
#include <host/hostfs.h>

#define HOSTFS_MAGIC	0x00c0ffee

/**
 * struct hostfs_inode - a host file as the guest sees it
 * @fd:    host descriptor shared by the open files of the inode (-1: none)
 * @mode:  HOSTFS_O_READ/WRITE that @fd was opened with
 * @opens: open files of the inode; the last release closes @fd
 * @lock:  guards @fd, @mode and @opens
 * @mtime_ns, @size: the host's mtime and size when the page cache was
 *         last known to match the host file
 * @vfs:   the VFS inode
 */
struct hostfs_inode {
	int fd;
	int mode;
	int opens;
	struct mutex lock;
	long long mtime_ns;
	unsigned long long size;
	struct inode vfs;
};

static inline struct hostfs_inode *HOSTFS_I(struct inode *inode)
{
	return container_of(inode, struct hostfs_inode, vfs);
}

/* hostfs_kern.c */
char *hostfs_path(struct dentry *dentry, char *buf, int len);
char *hostfs_path_alloc(struct dentry *dentry);
void hostfs_fill_inode(struct inode *inode, const struct hostfs_stat *st);
void hostfs_refresh(struct inode *inode, const struct hostfs_stat *st);

/* hostfs_file.c */
extern const struct file_operations hostfs_file_fops;
extern const struct file_operations hostfs_dir_fops;
extern const struct address_space_operations hostfs_aops;

#endif
