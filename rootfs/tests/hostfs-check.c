// SPDX-License-Identifier: GPL-2.0
/*
 * hostfs-check: file operations that the shell cannot do, for the hostfs
 * tests (tests/test_hostfs.py).
 *   hostfs-check mmap FILE   shared mapping writes reach the file, private
 *                            ones do not
 *   hostfs-check big FILE    a byte past 5 GiB, read back
 *   hostfs-check watch FILE  print the file, wait for a line on stdin,
 *                            print it again through the same descriptor
 *   hostfs-check unlinked FILE  create, unlink while open, then ftruncate,
 *                            fchmod, futimens and fstat the open file
 *   hostfs-check tmpfile DIR an O_TMPFILE file in DIR: written, fchmod,
 *                            then linked as DIR/linked (linkat)
 * Prints "ok ..." on success, "FAIL ..." and exits 1 otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(const char *what)
{
	printf("FAIL %s\n", what);
	exit(1);
}

static int do_mmap(const char *file)
{
	int fd = open(file, O_RDWR | O_CREAT, 0644);
	char *p, buf[16] = "";

	if (fd < 0 || ftruncate(fd, 4096))
		fail("open/ftruncate");
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		fail("mmap shared");
	memcpy(p, "shared-ok", 9);
	if (msync(p, 4096, MS_SYNC))
		fail("msync");
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		fail("mmap private");
	if (memcmp(p, "shared-ok", 9))
		fail("private mapping does not show the shared write");
	memcpy(p, "PRIVATE", 7);
	munmap(p, 4096);
	if (pread(fd, buf, 9, 0) != 9 || memcmp(buf, "shared-ok", 9))
		fail("file does not hold the shared write alone");
	if (fsync(fd))
		fail("fsync");
	close(fd);
	printf("ok mmap\n");
	return 0;
}

static int do_big(const char *file)
{
	off_t off = 5LL << 30;
	int fd = open(file, O_RDWR | O_CREAT | O_TRUNC, 0644);
	struct stat st;
	char c = 0;

	if (fd < 0)
		fail("open");
	if (pwrite(fd, "Z", 1, off) != 1)
		fail("pwrite past 5 GiB");
	if (fsync(fd) || fstat(fd, &st) || st.st_size != off + 1)
		fail("size");
	if (pread(fd, &c, 1, off) != 1 || c != 'Z')
		fail("read back");
	close(fd);
	printf("ok big %lld\n", (long long)st.st_size);
	return 0;
}

static void show(int fd)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		fail("pread");
	buf[n] = '\0';
	printf("content: %s\n", buf);
	fflush(stdout);
}

static int do_watch(const char *file)
{
	int fd = open(file, O_RDONLY);
	char line[64];

	if (fd < 0)
		fail("open");
	show(fd);
	printf("waiting\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		fail("stdin");
	show(fd);
	printf("ok watch\n");
	return 0;
}

/* the attribute calls on an open file, checked by fstat */
static void attrs(int fd)
{
	struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
	struct stat st;

	if (write(fd, "0123456789", 10) != 10)
		fail("write");
	if (ftruncate(fd, 4))
		fail("ftruncate");
	if (fstat(fd, &st) || st.st_size != 4)
		fail("fstat size after ftruncate");
	if (ftruncate(fd, 100000))
		fail("ftruncate up");
	if (fchmod(fd, 0640))
		fail("fchmod");
	if (futimens(fd, ts))
		fail("futimens");
	if (fstat(fd, &st))
		fail("fstat");
	if (st.st_size != 100000 || (st.st_mode & 07777) != 0640 ||
	    st.st_mtim.tv_sec != 1234567890)
		fail("fstat after the changes");
}

static int do_unlinked(const char *file)
{
	int fd = open(file, O_RDWR | O_CREAT | O_EXCL, 0600);
	char buf[4];

	if (fd < 0)
		fail("create");
	if (unlink(file))
		fail("unlink");
	attrs(fd);
	if (pread(fd, buf, 4, 0) != 4 || memcmp(buf, "0123", 4))
		fail("read back");
	printf("ok unlinked\n");
	return 0;
}

static int do_tmpfile(const char *dir)
{
	char proc[64], name[4096];
	struct stat st;
	int fd = open(dir, O_TMPFILE | O_RDWR, 0600);

	if (fd < 0) {
		perror("O_TMPFILE");
		fail("O_TMPFILE");
	}
	attrs(fd);
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(name, sizeof(name), "%s/linked", dir);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW)) {
		perror("linkat");
		fail("linkat");
	}
	if (stat(name, &st) || st.st_size != 100000 || st.st_nlink != 1)
		fail("stat of the linked file");
	printf("ok tmpfile\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		fail("usage: hostfs-check mmap|big|watch|unlinked|tmpfile FILE");
	if (!strcmp(argv[1], "mmap"))
		return do_mmap(argv[2]);
	if (!strcmp(argv[1], "big"))
		return do_big(argv[2]);
	if (!strcmp(argv[1], "watch"))
		return do_watch(argv[2]);
	if (!strcmp(argv[1], "unlinked"))
		return do_unlinked(argv[2]);
	if (!strcmp(argv[1], "tmpfile"))
		return do_tmpfile(argv[2]);
	fail("unknown mode");
	return 1;
}
