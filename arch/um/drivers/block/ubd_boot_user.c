// SPDX-License-Identifier: GPL-2.0
/*
 * Host half of the block driver, before boot: the checks that look at all
 * the ubdN= options together and at what the root disk holds, so that a
 * mistake ends with a message naming the file instead of a kernel panic.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <host/file.h>
#include <host/ubd.h>
#include <uml/cow.h>

#define MAX_DISKS	16
#define PROBE_BYTES	(68 * 1024)

extern char **host_saved_argv;

/* the disks named so far: the host file each one is */
static struct {
	int used;
	dev_t dev;
	ino_t ino;
	char name[256];
} seen[MAX_DISKS];

static int say(char *msg, unsigned long len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * The disk number the root filesystem is on, from root= (the last one
 * before a lone "--"), or 0 when there is none (the kernel then takes
 * ubd0); -1 when root= names something else (a partition, a number, a
 * UUID, hostfs).  *@fstype is set when rootfstype= is given.
 */
static int root_disk(int *fstype)
{
	const char *root = NULL;
	char **a;

	*fstype = 0;
	for (a = host_saved_argv ? host_saved_argv + 1 : NULL; a && *a; a++) {
		if (!strcmp(*a, "--"))
			break;
		if (!strncmp(*a, "root=", 5))
			root = *a + 5;
		else if (!strncmp(*a, "rootfstype=", 11))
			*fstype = 1;
	}
	if (!root)
		return 0;
	if (!strncmp(root, "/dev/ubd", 8) && root[8] >= 'a' &&
	    root[8] < 'a' + MAX_DISKS && !root[9])
		return root[8] - 'a';
	return -1;
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* a signature of a filesystem the kernel might mount, at its offset */
static const struct {
	unsigned int off;
	const char *magic;
	unsigned int len;
} signatures[] = {
	{ 0, "hsqs", 4 },			/* squashfs */
	{ 0, "XFSB", 4 },			/* xfs */
	{ 0, "\x45\x3d\xcd\x28", 4 },		/* cramfs */
	{ 1024, "\xe2\xe1\xf5\xe0", 4 },	/* erofs */
	{ 1024, "\x10\x20\xf5\xf2", 4 },	/* f2fs */
	{ 32769, "CD001", 5 },			/* iso9660 */
	{ 65600, "_BHRfS_M", 8 },		/* btrfs */
	{ 510, "\x55\xaa", 2 },			/* FAT, or a partition table */
};

/*
 * What a root disk holds: refuse an empty file, one that holds no
 * filesystem we know of (unless rootfstype= says which), and an ext2/3/4
 * filesystem larger than the file (a truncated copy).
 */
static int check_root_contents(const char *file, int data_only, int fstype,
			       char *msg, unsigned long len)
{
	static unsigned char buf[PROBE_BYTES];
	unsigned long long need, bsize, blocks;
	struct stat st;
	ssize_t n;
	unsigned int i;
	int fd;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return 0;	/* opening reports it; devices are not probed */
	}
	n = host_pread_upto(fd, buf, sizeof(buf), 0);
	close(fd);
	if (n < 0)
		return 0;
	if (st.st_size == 0)
		return say(msg, len,
			   "%s is empty: there is no filesystem on the root disk to mount",
			   file);
	if (!data_only && cow_is_cow(buf, n))
		return 0;	/* its data is in the backing file */

	if (n >= 1024 + 0x160 && buf[1080] == 0x53 && buf[1081] == 0xef) {
		const unsigned char *sb = buf + 1024;

		bsize = 1024ULL << (le32(sb + 24) & 15);
		blocks = le32(sb + 4);
		if (le32(sb + 0x60) & 0x80)	/* 64-bit block numbers */
			blocks |= (unsigned long long)le32(sb + 0x150) << 32;
		need = blocks * bsize;
		if ((unsigned long long)st.st_size < need)
			return say(msg, len,
				   "%s is truncated: its ext2/3/4 filesystem is %llu bytes long, the file only %llu",
				   file, need, (unsigned long long)st.st_size);
		return 0;
	}
	if (fstype)
		return 0;
	for (i = 0; i < sizeof(signatures) / sizeof(signatures[0]); i++)
		if (n >= signatures[i].off + signatures[i].len &&
		    !memcmp(buf + signatures[i].off, signatures[i].magic,
			    signatures[i].len))
			return 0;
	return say(msg, len,
		   "%s holds no filesystem to mount as root (no ext2/3/4 superblock, nor any other known signature; rootfstype= skips this check)",
		   file);
}

int ubd_host_check_boot(int n, const struct ubd_host_spec *spec, char *msg,
			unsigned long len)
{
	struct stat st;
	int i, fstype;

	if (n < 0 || n >= MAX_DISKS)
		return 0;
	seen[n].used = 0;
	if (!stat(spec->file, &st)) {
		for (i = 0; i < MAX_DISKS; i++)
			if (i != n && seen[i].used && seen[i].dev == st.st_dev &&
			    seen[i].ino == st.st_ino)
				return say(msg, len,
					   "%s is already disk %d (ubd%d=%s): one file cannot be two disks",
					   spec->file, i, i, seen[i].name);
		seen[n].used = 1;
		seen[n].dev = st.st_dev;
		seen[n].ino = st.st_ino;
		snprintf(seen[n].name, sizeof(seen[n].name), "%s", spec->file);
	}
	if (root_disk(&fstype) != n || spec->backing)
		return 0;
	return check_root_contents(spec->file, spec->data_only, fstype, msg,
				   len);
}
