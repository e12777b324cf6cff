// SPDX-License-Identifier: GPL-2.0
/*
 * uml-uffd: userfaultfd(2), as live migration and snapshotting programs
 * use it.  Each mode prints "uffd: MODE: ok", "uffd: MODE: not supported"
 * (the feature bit is absent) or "uffd: MODE: FAILED ..."; the exit status
 * is the number of failures.
 *
 *   missing    anonymous memory registered for missing faults: a thread's
 *              read of a page stops until the handler fills it with
 *              UFFDIO_COPY (the data must be what was copied), another
 *              with UFFDIO_ZEROPAGE
 *   kernel     the same, but the access is the kernel's: write(2) from
 *              the registered page to a pipe waits for the handler
 *   minor      shmem (a memfd mapped twice): a page in the page cache but
 *              not mapped in the registered mapping faults as a minor
 *              fault; the handler changes it through the other mapping
 *              and UFFDIO_CONTINUE maps it (UFFD_FEATURE_MINOR_SHMEM)
 *   wp         write-protect mode (UFFD_FEATURE_PAGEFAULT_FLAG_WP): a
 *              write to a protected page stops until UFFDIO_WRITEPROTECT
 *              clears it; a read of it does not stop
 *   wp-shmem   the same on a memfd page never faulted in: the protection
 *              is kept in the empty pte (UFFD_FEATURE_WP_HUGETLBFS_SHMEM)
 *
 *   uml-uffd [MODE...]   default: all of them
 *
 * Runs on the host as well, to compare.
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PG 4096

static int failures;

static int fail(const char *mode, const char *what)
{
	printf("uffd: %s: FAILED %s (errno %d: %s)\n", mode, what, errno,
	       strerror(errno));
	failures++;
	return 1;
}

/* a userfaultfd with @features, or -1; *@got: what the kernel offers */
static int uffd_open(unsigned long long features, unsigned long long *got)
{
	struct uffdio_api api = { .api = UFFD_API };
	int fd;

	/* the offered features: an API call asking for none */
	fd = syscall(__NR_userfaultfd, O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, UFFDIO_API, &api)) {
		close(fd);
		return -1;
	}
	*got = api.features;
	close(fd);
	if ((features & *got) != features)
		return -2;
	fd = syscall(__NR_userfaultfd, O_CLOEXEC);
	api.api = UFFD_API;
	api.features = features;
	if (fd < 0 || ioctl(fd, UFFDIO_API, &api))
		return -1;
	return fd;
}

static int uffd_register(int fd, void *p, size_t len, unsigned long long mode)
{
	struct uffdio_register reg = {
		.range = { .start = (unsigned long)p, .len = len },
		.mode = mode,
	};

	return ioctl(fd, UFFDIO_REGISTER, &reg);
}

/* the next fault message, waiting at most 5 s */
static int next_fault(int fd, struct uffd_msg *msg)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, 5000) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	if (read(fd, msg, sizeof(*msg)) != sizeof(*msg))
		return -1;
	if (msg->event != UFFD_EVENT_PAGEFAULT) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

static volatile char *area;

static void *reader(void *arg)
{
	long off = (long)arg;

	return (void *)(long)area[off];
}

static void *writer(void *arg)
{
	long off = (long)arg;

	area[off] = 'W';
	return NULL;
}

/* the kernel reads the page: write(2) of it into a pipe */
static int pipe_fds[2];

static void *kernel_reader(void *arg)
{
	long off = (long)arg;

	return (void *)(long)write(pipe_fds[1], (char *)area + off, 16);
}

static int missing(int kernel)
{
	const char *mode = kernel ? "kernel" : "missing";
	unsigned long long got;
	struct uffdio_zeropage zero;
	struct uffdio_copy copy;
	struct uffd_msg msg;
	static char src[PG];
	char buf[16];
	pthread_t th;
	void *ret;
	int fd;

	fd = uffd_open(0, &got);
	if (fd < 0)
		return fail(mode, "userfaultfd");
	area = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED || uffd_register(fd, (void *)area, 2 * PG,
						UFFDIO_REGISTER_MODE_MISSING))
		return fail(mode, "UFFDIO_REGISTER missing");
	if (kernel && pipe(pipe_fds))
		return fail(mode, "pipe");

	/* page 0: the data comes from the handler */
	pthread_create(&th, NULL, kernel ? kernel_reader : reader,
		       (void *)100L);
	if (next_fault(fd, &msg))
		return fail(mode, "no fault message");
	if ((msg.arg.pagefault.address & ~(PG - 1UL)) != (unsigned long)area ||
	    (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE)) {
		errno = 0;
		return fail(mode, "the fault's address or flags");
	}
	memset(src, 'u', sizeof(src));
	copy.dst = (unsigned long)area;
	copy.src = (unsigned long)src;
	copy.len = PG;
	copy.mode = 0;
	if (ioctl(fd, UFFDIO_COPY, &copy) || copy.copy != PG)
		return fail(mode, "UFFDIO_COPY");
	pthread_join(th, &ret);
	if (kernel) {
		if ((long)ret != 16 || read(pipe_fds[0], buf, 16) != 16 ||
		    memcmp(buf, src, 16)) {
			errno = 0;
			return fail(mode, "the pipe did not get the copied data");
		}
	} else if ((long)ret != 'u') {
		errno = 0;
		return fail(mode, "the reader did not see the copied data");
	}

	/* page 1: a write, answered with zeroes */
	pthread_create(&th, NULL, writer, (void *)(PG + 8L));
	if (next_fault(fd, &msg))
		return fail(mode, "no fault message for the write");
	if (!(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WRITE)) {
		errno = 0;
		return fail(mode, "the write fault is not flagged a write");
	}
	zero.range.start = (unsigned long)area + PG;
	zero.range.len = PG;
	zero.mode = 0;
	if (ioctl(fd, UFFDIO_ZEROPAGE, &zero) || zero.zeropage != PG)
		return fail(mode, "UFFDIO_ZEROPAGE");
	pthread_join(th, NULL);
	if (area[PG + 8] != 'W' || area[PG + 9] != 0) {
		errno = 0;
		return fail(mode, "the written page");
	}
	munmap((void *)area, 2 * PG);
	close(fd);
	if (kernel) {
		close(pipe_fds[0]);
		close(pipe_fds[1]);
	}
	printf("uffd: %s: ok\n", mode);
	return 0;
}

static int minor(void)
{
	unsigned long long got;
	struct uffdio_continue cont;
	struct uffd_msg msg;
	volatile char *other;
	pthread_t th;
	void *ret;
	int fd, mfd;

	fd = uffd_open(UFFD_FEATURE_MINOR_SHMEM, &got);
	if (fd == -2) {
		printf("uffd: minor: not supported\n");
		return 0;
	}
	if (fd < 0)
		return fail("minor", "userfaultfd");
	mfd = memfd_create("uffd-minor", 0);
	if (mfd < 0 || ftruncate(mfd, PG))
		return fail("minor", "memfd");
	area = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	other = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	if (area == MAP_FAILED || other == MAP_FAILED)
		return fail("minor", "mmap of the memfd");
	other[0] = 'a';		/* in the page cache, not mapped in area */
	if (uffd_register(fd, (void *)area, PG, UFFDIO_REGISTER_MODE_MINOR))
		return fail("minor", "UFFDIO_REGISTER minor");
	pthread_create(&th, NULL, reader, (void *)0L);
	if (next_fault(fd, &msg))
		return fail("minor", "no fault message");
	if (!(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_MINOR)) {
		errno = 0;
		return fail("minor", "the fault is not flagged minor");
	}
	other[0] = 'm';		/* the handler's change, then map it */
	cont.range.start = (unsigned long)area;
	cont.range.len = PG;
	cont.mode = 0;
	if (ioctl(fd, UFFDIO_CONTINUE, &cont) || cont.mapped != PG)
		return fail("minor", "UFFDIO_CONTINUE");
	pthread_join(th, &ret);
	if ((long)ret != 'm') {
		errno = 0;
		return fail("minor", "the reader did not see the handler's change");
	}
	munmap((void *)area, PG);
	munmap((void *)other, PG);
	close(mfd);
	close(fd);
	printf("uffd: minor: ok\n");
	return 0;
}

/*
 * @shmem 0: a populated anonymous page; 1: a memfd page not yet faulted in
 * (the protection is a marker in an empty pte: PTE_MARKER_UFFD_WP)
 */
static int wp(int shmem)
{
	const char *mode = shmem ? "wp-shmem" : "wp";
	unsigned long long got, features = UFFD_FEATURE_PAGEFAULT_FLAG_WP;
	struct uffdio_writeprotect prot;
	struct uffd_msg msg;
	pthread_t th;
	char c = 0;
	int fd, mfd = -1;

	if (shmem)
		features |= UFFD_FEATURE_WP_HUGETLBFS_SHMEM;
	fd = uffd_open(features, &got);
	if (fd == -2) {
		printf("uffd: %s: not supported\n", mode);
		return 0;
	}
	if (fd < 0)
		return fail(mode, "userfaultfd");
	if (shmem) {
		mfd = memfd_create("uffd-wp", 0);
		if (mfd < 0 || ftruncate(mfd, PG))
			return fail(mode, "memfd");
		area = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED,
			    mfd, 0);
	} else {
		area = mmap(NULL, PG, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (area == MAP_FAILED)
		return fail(mode, "mmap");
	if (!shmem)
		area[0] = 1;
	if (uffd_register(fd, (void *)area, PG, UFFDIO_REGISTER_MODE_WP))
		return fail(mode, "UFFDIO_REGISTER wp");
	prot.range.start = (unsigned long)area;
	prot.range.len = PG;
	prot.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	if (ioctl(fd, UFFDIO_WRITEPROTECT, &prot))
		return fail(mode, "UFFDIO_WRITEPROTECT");
	if (!shmem && area[0] != 1) {	/* reading does not fault */
		errno = 0;
		return fail(mode, "the protected page reads wrong");
	}
	pthread_create(&th, NULL, writer, (void *)0L);
	if (next_fault(fd, &msg))
		return fail(mode, "no fault message");
	if (!(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP)) {
		errno = 0;
		return fail(mode, "the fault is not flagged wp");
	}
	prot.mode = 0;
	if (ioctl(fd, UFFDIO_WRITEPROTECT, &prot))
		return fail(mode, "UFFDIO_WRITEPROTECT off");
	pthread_join(th, NULL);
	if (area[0] != 'W') {
		errno = 0;
		return fail(mode, "the write");
	}
	if (shmem && (pread(mfd, &c, 1, 0) != 1 || c != 'W')) {
		errno = 0;
		return fail(mode, "the write did not reach the memfd");
	}
	munmap((void *)area, PG);
	if (mfd >= 0)
		close(mfd);
	close(fd);
	printf("uffd: %s: ok\n", mode);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *all[] = {
		"missing", "kernel", "minor", "wp", "wp-shmem"
	};
	int i, n = argc > 1 ? argc - 1 : 5;

	setvbuf(stdout, NULL, _IONBF, 0);
	for (i = 0; i < n; i++) {
		const char *m = argc > 1 ? argv[i + 1] : all[i];

		if (!strcmp(m, "missing"))
			missing(0);
		else if (!strcmp(m, "kernel"))
			missing(1);
		else if (!strcmp(m, "minor"))
			minor();
		else if (!strcmp(m, "wp"))
			wp(0);
		else if (!strcmp(m, "wp-shmem"))
			wp(1);
		else {
			fprintf(stderr, "usage: uml-uffd [missing|kernel|minor|wp|wp-shmem]...\n");
			return 2;
		}
	}
	return failures;
}
