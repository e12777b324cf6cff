// SPDX-License-Identifier: GPL-2.0
/*
 * hostfs: a directory tree of the host as a guest file system.
 *
 *   mount -t hostfs none /mnt -o /host/dir
 *   ./linux hostfs=/srv/root rootfstype=hostfs rootflags=/srv/root ...
 *
 * Only what lies below the directory of the hostfs= option is reachable
 * (host/hostfs.h).  Inodes carry no host path: every operation rebuilds
 * the path from the dentry, so renames need no bookkeeping, and asks the
 * host, so changes made on the host show up at the next lookup or open.
 * This file holds the superblock and the inode operations; hostfs_file.c
 * the file, directory and page-cache operations.
 */
#include <linux/backing-dev.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/namei.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>
#include "hostfs.h"

/* the mount's directory, relative to the jail */
struct hostfs_sb {
	char root[PATH_MAX];
};

static struct kmem_cache *hostfs_inode_cache;

/**
 * hostfs_path() - the jail-relative host path of @dentry
 * @dentry: a hostfs dentry
 * @buf:    room for the path
 * @len:    size of @buf
 * Return: the path inside @buf, or an ERR_PTR.
 */
char *hostfs_path(struct dentry *dentry, char *buf, int len)
{
	struct hostfs_sb *sbi = dentry->d_sb->s_fs_info;
	int rlen = strlen(sbi->root);
	char *p = dentry_path_raw(dentry, buf, len);

	if (IS_ERR(p))
		return p;
	if (!strcmp(p, "/"))
		return strscpy(buf, sbi->root, len) < 0 ?
			ERR_PTR(-ENAMETOOLONG) : buf;
	if (!strcmp(sbi->root, "."))
		return p + 1;
	/* "/a/b" -> "root/a/b", built in front of it in @buf */
	if (p - buf < rlen)
		return ERR_PTR(-ENAMETOOLONG);
	p -= rlen;
	memcpy(p, sbi->root, rlen);
	return p;
}

/** hostfs_path_alloc() - hostfs_path() into a buffer to free with kfree */
char *hostfs_path_alloc(struct dentry *dentry)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL), *p;

	if (!buf)
		return ERR_PTR(-ENOMEM);
	p = hostfs_path(dentry, buf, PATH_MAX);
	if (IS_ERR(p)) {
		kfree(buf);
		return p;
	}
	memmove(buf, p, strlen(p) + 1);
	return buf;
}

static void set_times(struct inode *inode, const struct hostfs_stat *st)
{
	inode_set_atime(inode, st->atime, st->atime_ns);
	inode_set_mtime(inode, st->mtime, st->mtime_ns);
	inode_set_ctime(inode, st->ctime, st->ctime_ns);
}

/**
 * hostfs_refresh() - take the host's attributes of an existing inode
 *
 * When the host file changed under the guest (another mtime or size) and
 * the guest holds no dirty pages of it, its cached pages are dropped.
 */
void hostfs_refresh(struct inode *inode, const struct hostfs_stat *st)
{
	struct hostfs_inode *hi = HOSTFS_I(inode);
	long long mt = st->mtime * 1000000000LL + st->mtime_ns;

	if (S_ISREG(inode->i_mode) &&
	    (mt != hi->mtime_ns || st->size != hi->size)) {
		if (!mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY) &&
		    !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK)) {
			invalidate_inode_pages2(inode->i_mapping);
			i_size_write(inode, st->size);
		}
		hi->mtime_ns = mt;
		hi->size = st->size;
	}
	inode->i_mode = (inode->i_mode & S_IFMT) | (st->mode & ~S_IFMT);
	i_uid_write(inode, st->uid);
	i_gid_write(inode, st->gid);
	set_nlink(inode, st->nlink);
	inode->i_blocks = st->blocks;
	set_times(inode, st);
}

static const struct inode_operations hostfs_file_iops;
static const struct inode_operations hostfs_dir_iops;
static const struct inode_operations hostfs_link_iops;

/** hostfs_fill_inode() - a new inode takes everything from the host */
void hostfs_fill_inode(struct inode *inode, const struct hostfs_stat *st)
{
	struct hostfs_inode *hi = HOSTFS_I(inode);

	inode->i_mode = st->mode;
	inode->i_ino = st->ino;
	i_uid_write(inode, st->uid);
	i_gid_write(inode, st->gid);
	set_nlink(inode, st->nlink);
	i_size_write(inode, st->size);
	inode->i_blocks = st->blocks;
	set_times(inode, st);
	hi->mtime_ns = st->mtime * 1000000000LL + st->mtime_ns;
	hi->size = st->size;

	switch (st->mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &hostfs_file_iops;
		inode->i_fop = &hostfs_file_fops;
		inode->i_mapping->a_ops = &hostfs_aops;
		break;
	case S_IFDIR:
		inode->i_op = &hostfs_dir_iops;
		inode->i_fop = &hostfs_dir_fops;
		break;
	case S_IFLNK:
		inode->i_op = &hostfs_link_iops;
		inode_nohighmem(inode);
		break;
	default:
		inode->i_op = &hostfs_file_iops;
		init_special_inode(inode, st->mode,
				   MKDEV(st->rdev_major, st->rdev_minor));
		break;
	}
}

static int inode_matches(struct inode *inode, void *data)
{
	const struct hostfs_stat *st = data;

	return inode->i_ino == st->ino &&
	       (inode->i_mode & S_IFMT) == (st->mode & S_IFMT);
}

static int hostfs_inode_set(struct inode *inode, void *data)
{
	inode->i_ino = ((struct hostfs_stat *)data)->ino;
	return 0;
}

/* the inode of a host file: one per host inode, so hard links share it */
static struct inode *hostfs_iget(struct super_block *sb,
				 struct hostfs_stat *st)
{
	struct inode *inode = iget5_locked(sb, st->ino, inode_matches,
					   hostfs_inode_set, st);

	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (inode->i_state & I_NEW) {
		hostfs_fill_inode(inode, st);
		unlock_new_inode(inode);
	} else {
		hostfs_refresh(inode, st);
	}
	return inode;
}

/* stat the host file of @dentry */
static int stat_dentry(struct dentry *dentry, struct hostfs_stat *st)
{
	char *path = hostfs_path_alloc(dentry);
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	err = hostfs_host_stat(path, st);
	kfree(path);
	return err;
}

static struct dentry *hostfs_lookup(struct inode *dir, struct dentry *dentry,
				    unsigned int flags)
{
	struct hostfs_stat st;
	struct inode *inode = NULL;
	int err = stat_dentry(dentry, &st);

	if (err && err != -ENOENT)
		return ERR_PTR(err);
	if (!err)
		inode = hostfs_iget(dir->i_sb, &st);
	return d_splice_alias(inode, dentry);
}

/*
 * The host may have changed the tree since the dentry was made: a negative
 * dentry is always looked up again, a positive one must still name the same
 * host inode.
 */
static int hostfs_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct hostfs_stat st;
	struct inode *inode;

	if (flags & LOOKUP_RCU)
		return -ECHILD;
	inode = d_inode(dentry);
	if (!inode)
		return 0;
	if (IS_ROOT(dentry))
		return 1;
	if (stat_dentry(dentry, &st))
		return 0;
	if (!inode_matches(inode, &st))
		return 0;
	hostfs_refresh(inode, &st);
	return 1;
}

static const struct dentry_operations hostfs_dentry_ops = {
	.d_revalidate	= hostfs_d_revalidate,
};

/* after the host made @dentry: look it up and attach the inode */
static int instantiate(struct inode *dir, struct dentry *dentry)
{
	struct hostfs_stat st;
	struct inode *inode;
	int err = stat_dentry(dentry, &st);

	if (err)
		return err;
	inode = hostfs_iget(dir->i_sb, &st);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_instantiate(dentry, inode);
	return 0;
}

/* run @op on the host path of @dentry */
static int on_path(struct dentry *dentry, int (*op)(const char *, void *),
		   void *arg)
{
	char *path = hostfs_path_alloc(dentry);
	int err;

	if (IS_ERR(path))
		return PTR_ERR(path);
	err = op(path, arg);
	kfree(path);
	return err;
}

static int do_create(const char *path, void *arg)
{
	int fd = hostfs_host_open(path, HOSTFS_O_WRITE | HOSTFS_O_CREAT |
				  HOSTFS_O_EXCL, *(umode_t *)arg & 07777);

	if (fd < 0)
		return fd;
	hostfs_host_close(fd);
	return 0;
}

static int hostfs_create(struct mnt_idmap *idmap, struct inode *dir,
			 struct dentry *dentry, umode_t mode, bool excl)
{
	int err = on_path(dentry, do_create, &mode);

	if (!err)
		err = instantiate(dir, dentry);
	return err;
}

static int do_mkdir(const char *path, void *arg)
{
	return hostfs_host_mkdir(path, *(umode_t *)arg & 07777);
}

/*
 * O_TMPFILE: an unnamed host file in the directory, held open by the new
 * inode's descriptor (the open file's release closes it, and with it the
 * host file); linkat() through /proc/self/fd gives it a name later.
 */
static int hostfs_tmpfile(struct mnt_idmap *idmap, struct inode *dir,
			  struct file *file, umode_t mode)
{
	struct dentry *parent = file->f_path.dentry->d_parent;
	struct hostfs_inode *hi;
	struct hostfs_stat st;
	struct inode *inode;
	char *path;
	int fd, err;

	path = hostfs_path_alloc(parent);
	if (IS_ERR(path))
		return PTR_ERR(path);
	fd = hostfs_host_tmpfile(path, mode & 07777);
	kfree(path);
	if (fd < 0)
		return fd;
	err = hostfs_host_fstat(fd, &st);
	if (err)
		goto fail;
	inode = hostfs_iget(dir->i_sb, &st);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto fail;
	}
	hi = HOSTFS_I(inode);
	mutex_lock(&hi->lock);
	if (hi->fd >= 0)
		hostfs_host_close(hi->fd);
	hi->fd = fd;
	hi->mode = HOSTFS_O_READ | HOSTFS_O_WRITE;
	mutex_unlock(&hi->lock);
	/* d_tmpfile() takes the one link a new file has */
	set_nlink(inode, 1);
	d_tmpfile(file, inode);
	return finish_open_simple(file, 0);
fail:
	hostfs_host_close(fd);
	return err;
}

static int hostfs_mkdir(struct mnt_idmap *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode)
{
	int err = on_path(dentry, do_mkdir, &mode);

	if (!err) {
		err = instantiate(dir, dentry);
		inc_nlink(dir);
	}
	return err;
}

struct mknod_args {
	umode_t mode;
	dev_t dev;
};

static int do_mknod(const char *path, void *arg)
{
	struct mknod_args *a = arg;

	return hostfs_host_mknod(path, a->mode, MAJOR(a->dev), MINOR(a->dev));
}

static int hostfs_mknod(struct mnt_idmap *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode, dev_t dev)
{
	struct mknod_args a = { mode, dev };
	int err = on_path(dentry, do_mknod, &a);

	if (!err)
		err = instantiate(dir, dentry);
	return err;
}

static int do_symlink(const char *path, void *arg)
{
	return hostfs_host_symlink(arg, path);
}

static int hostfs_symlink(struct mnt_idmap *idmap, struct inode *dir,
			  struct dentry *dentry, const char *target)
{
	int err = on_path(dentry, do_symlink, (void *)target);

	if (!err)
		err = instantiate(dir, dentry);
	return err;
}

static int do_unlink(const char *path, void *arg)
{
	return hostfs_host_unlink(path);
}

static int hostfs_unlink(struct inode *dir, struct dentry *dentry)
{
	int err = on_path(dentry, do_unlink, NULL);

	if (!err) {
		drop_nlink(d_inode(dentry));
		inode_set_ctime_current(d_inode(dentry));
		inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
	}
	return err;
}

static int do_rmdir(const char *path, void *arg)
{
	return hostfs_host_rmdir(path);
}

static int hostfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	int err = on_path(dentry, do_rmdir, NULL);

	if (!err) {
		clear_nlink(d_inode(dentry));
		drop_nlink(dir);
		inode_set_mtime_to_ts(dir, inode_set_ctime_current(dir));
	}
	return err;
}

/* a file with no name on the host (O_TMPFILE) is linked through its fd */
static int link_nameless(struct inode *inode, struct dentry *dentry)
{
	struct hostfs_inode *hi = HOSTFS_I(inode);
	char *to = hostfs_path_alloc(dentry);
	int err = -ENOENT;

	if (IS_ERR(to))
		return PTR_ERR(to);
	mutex_lock(&hi->lock);
	if (hi->fd >= 0)
		err = hostfs_host_link_fd(hi->fd, to);
	mutex_unlock(&hi->lock);
	kfree(to);
	return err;
}

static int hostfs_link(struct dentry *old, struct inode *dir,
		       struct dentry *dentry)
{
	char *from, *to;
	int err;

	if (d_inode(old)->i_nlink == 0) {
		err = link_nameless(d_inode(old), dentry);
		goto done;
	}
	from = hostfs_path_alloc(old);
	if (IS_ERR(from))
		return PTR_ERR(from);
	to = hostfs_path_alloc(dentry);
	if (IS_ERR(to)) {
		kfree(from);
		return PTR_ERR(to);
	}
	err = hostfs_host_link(from, to);
	kfree(from);
	kfree(to);
done:
	if (err)
		return err;
	inc_nlink(d_inode(old));
	inode_set_ctime_current(d_inode(old));
	ihold(d_inode(old));
	d_instantiate(dentry, d_inode(old));
	return 0;
}

static int hostfs_rename(struct mnt_idmap *idmap, struct inode *old_dir,
			 struct dentry *old, struct inode *new_dir,
			 struct dentry *new, unsigned int flags)
{
	char *from, *to;
	int err;

	if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	from = hostfs_path_alloc(old);
	if (IS_ERR(from))
		return PTR_ERR(from);
	to = hostfs_path_alloc(new);
	if (IS_ERR(to)) {
		kfree(from);
		return PTR_ERR(to);
	}
	err = hostfs_host_rename(from, to, flags);
	kfree(from);
	kfree(to);
	if (err)
		return err;
	/* a replaced target lost a name; directories' counts come back on
	 * the next lookup, which asks the host
	 */
	if (d_really_is_positive(new) && !(flags & RENAME_EXCHANGE)) {
		if (d_is_dir(new))
			clear_nlink(d_inode(new));
		else
			drop_nlink(d_inode(new));
	}
	inode_set_mtime_to_ts(old_dir, inode_set_ctime_current(old_dir));
	inode_set_mtime_to_ts(new_dir, inode_set_ctime_current(new_dir));
	return 0;
}

static const char *hostfs_get_link(struct dentry *dentry, struct inode *inode,
				   struct delayed_call *done)
{
	char *path, *buf;
	int n;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	path = hostfs_path_alloc(dentry);
	if (IS_ERR(path))
		return path;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf) {
		kfree(path);
		return ERR_PTR(-ENOMEM);
	}
	n = hostfs_host_readlink(path, buf, PATH_MAX);
	kfree(path);
	if (n < 0) {
		kfree(buf);
		return ERR_PTR(n);
	}
	set_delayed_call(done, kfree_link, buf);
	return buf;
}

static int do_setattr(const char *path, void *arg)
{
	return hostfs_host_setattr(path, arg);
}

/*
 * Change the host file: through the inode's open descriptor when it has
 * one (the file may have no name any more: unlinked while open, or
 * O_TMPFILE), else by name.
 */
static int host_setattr(struct dentry *dentry, struct hostfs_attr *ha,
			struct hostfs_stat *st)
{
	struct hostfs_inode *hi = HOSTFS_I(d_inode(dentry));
	int err;

	mutex_lock(&hi->lock);
	if (hi->fd >= 0) {
		err = hostfs_host_fsetattr(hi->fd, ha);
		if (!err && hostfs_host_fstat(hi->fd, st))
			st->ino = 0;
		mutex_unlock(&hi->lock);
		return err;
	}
	mutex_unlock(&hi->lock);
	err = on_path(dentry, do_setattr, ha);
	if (!err && stat_dentry(dentry, st))
		st->ino = 0;
	return err;
}

static int hostfs_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
			  struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct hostfs_attr ha = { 0 };
	struct hostfs_stat st;
	unsigned int valid = attr->ia_valid;
	int err = setattr_prepare(idmap, dentry, attr);

	if (err)
		return err;
	if (valid & ATTR_MODE) {
		ha.valid |= HOSTFS_ATTR_MODE;
		ha.mode = attr->ia_mode;
	}
	if (valid & ATTR_UID) {
		ha.valid |= HOSTFS_ATTR_UID;
		ha.uid = from_kuid(&init_user_ns, attr->ia_uid);
	}
	if (valid & ATTR_GID) {
		ha.valid |= HOSTFS_ATTR_GID;
		ha.gid = from_kgid(&init_user_ns, attr->ia_gid);
	}
	if (valid & ATTR_SIZE) {
		/* the guest's dirty pages first, then the host cuts */
		err = filemap_write_and_wait(inode->i_mapping);
		if (err)
			return err;
		ha.valid |= HOSTFS_ATTR_SIZE;
		ha.size = attr->ia_size;
	}
	if (valid & ATTR_ATIME) {
		ha.valid |= (valid & ATTR_ATIME_SET) ? HOSTFS_ATTR_ATIME :
						      HOSTFS_ATTR_ATIME_NOW;
		ha.atime = attr->ia_atime.tv_sec;
		ha.atime_ns = attr->ia_atime.tv_nsec;
	}
	if (valid & ATTR_MTIME) {
		ha.valid |= (valid & ATTR_MTIME_SET) ? HOSTFS_ATTR_MTIME :
						      HOSTFS_ATTR_MTIME_NOW;
		ha.mtime = attr->ia_mtime.tv_sec;
		ha.mtime_ns = attr->ia_mtime.tv_nsec;
	}
	st.ino = 0;
	if (ha.valid) {
		err = host_setattr(dentry, &ha, &st);
		if (err)
			return err;
	}
	if (valid & ATTR_SIZE)
		truncate_setsize(inode, attr->ia_size);
	setattr_copy(idmap, inode, attr);
	/* our own change of the host's mtime and size: not a foreign one */
	if (S_ISREG(inode->i_mode) && st.ino) {
		HOSTFS_I(inode)->mtime_ns = st.mtime * 1000000000LL + st.mtime_ns;
		HOSTFS_I(inode)->size = st.size;
	}
	mark_inode_dirty(inode);
	return 0;
}

static const struct inode_operations hostfs_file_iops = {
	.setattr	= hostfs_setattr,
};

static const struct inode_operations hostfs_dir_iops = {
	.lookup		= hostfs_lookup,
	.create		= hostfs_create,
	.link		= hostfs_link,
	.unlink		= hostfs_unlink,
	.symlink	= hostfs_symlink,
	.mkdir		= hostfs_mkdir,
	.rmdir		= hostfs_rmdir,
	.mknod		= hostfs_mknod,
	.rename		= hostfs_rename,
	.tmpfile	= hostfs_tmpfile,
	.setattr	= hostfs_setattr,
};

static const struct inode_operations hostfs_link_iops = {
	.get_link	= hostfs_get_link,
	.setattr	= hostfs_setattr,
};

static struct inode *hostfs_alloc_inode(struct super_block *sb)
{
	struct hostfs_inode *hi = alloc_inode_sb(sb, hostfs_inode_cache,
						 GFP_KERNEL);

	if (!hi)
		return NULL;
	hi->fd = -1;
	hi->mode = 0;
	hi->opens = 0;
	mutex_init(&hi->lock);
	return &hi->vfs;
}

static void hostfs_free_inode(struct inode *inode)
{
	kmem_cache_free(hostfs_inode_cache, HOSTFS_I(inode));
}

static void hostfs_evict_inode(struct inode *inode)
{
	struct hostfs_inode *hi = HOSTFS_I(inode);

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (hi->fd >= 0)
		hostfs_host_close(hi->fd);
	hi->fd = -1;
}

static int hostfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct hostfs_sb *sbi = dentry->d_sb->s_fs_info;
	struct hostfs_statfs st;
	int err = hostfs_host_statfs(sbi->root, &st);

	if (err)
		return err;
	buf->f_type = HOSTFS_MAGIC;
	buf->f_bsize = st.bsize;
	buf->f_blocks = st.blocks;
	buf->f_bfree = st.bfree;
	buf->f_bavail = st.bavail;
	buf->f_files = st.files;
	buf->f_ffree = st.ffree;
	buf->f_namelen = st.namelen;
	return 0;
}

static int hostfs_show_options(struct seq_file *seq, struct dentry *root)
{
	struct hostfs_sb *sbi = root->d_sb->s_fs_info;

	seq_printf(seq, ",%s/%s", hostfs_jail(),
		   strcmp(sbi->root, ".") ? sbi->root : "");
	return 0;
}

static const struct super_operations hostfs_sops = {
	.alloc_inode	= hostfs_alloc_inode,
	.free_inode	= hostfs_free_inode,
	.evict_inode	= hostfs_evict_inode,
	.drop_inode	= generic_delete_inode,
	.statfs		= hostfs_statfs,
	.show_options	= hostfs_show_options,
};

static int hostfs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct hostfs_sb *sbi;
	struct hostfs_stat st;
	struct inode *root;
	int err;

	if (!hostfs_jail()) {
		pr_err("hostfs: no host directory is shared (boot with hostfs=DIR)\n");
		return -EPERM;
	}
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	sb->s_fs_info = sbi;
	err = hostfs_host_subdir(data ? data : "", sbi->root,
				 sizeof(sbi->root));
	if (err) {
		pr_err("hostfs: cannot mount '%s': %s\n", data ? (char *)data : "",
		       err == -EACCES ? "outside the hostfs= directory" :
		       "no such host directory");
		return err;
	}
	err = hostfs_host_stat(sbi->root, &st);
	if (err)
		return err;
	/* a writeback-capable bdi of its own: dirty pages reach the host */
	err = super_setup_bdi(sb);
	if (err)
		return err;
	sb->s_blocksize = 1024;
	sb->s_blocksize_bits = 10;
	sb->s_magic = HOSTFS_MAGIC;
	sb->s_op = &hostfs_sops;
	sb->s_d_op = &hostfs_dentry_ops;
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_time_gran = 1;
	root = hostfs_iget(sb, &st);
	if (IS_ERR(root))
		return PTR_ERR(root);
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *hostfs_mount(struct file_system_type *type, int flags,
				   const char *dev, void *data)
{
	return mount_nodev(type, flags, data, hostfs_fill_super);
}

static void hostfs_kill_sb(struct super_block *sb)
{
	kill_anon_super(sb);
	kfree(sb->s_fs_info);
}

static struct file_system_type hostfs_type = {
	.owner		= THIS_MODULE,
	.name		= "hostfs",
	.mount		= hostfs_mount,
	.kill_sb	= hostfs_kill_sb,
};

/* hostfs= belongs to the host side (hostfs_user.c); the kernel keeps it */
static int __init hostfs_setup(char *str)
{
	return 1;
}
__setup("hostfs=", hostfs_setup);

/* so is hostfs_model= (the security model) */
static int __init hostfs_model_setup(char *str)
{
	return 1;
}
__setup("hostfs_model=", hostfs_model_setup);

static void init_once(void *p)
{
	inode_init_once(&((struct hostfs_inode *)p)->vfs);
}

static int __init hostfs_init(void)
{
	hostfs_inode_cache = kmem_cache_create("hostfs_inode",
					       sizeof(struct hostfs_inode), 0,
					       SLAB_ACCOUNT, init_once);
	if (!hostfs_inode_cache)
		return -ENOMEM;
	return register_filesystem(&hostfs_type);
}
fs_initcall(hostfs_init);
