// SPDX-License-Identifier: GPL-2.0
/*
 * uml-perf: performance events through perf_event_open(2), as perf stat
 * counts a program.
 *
 *   uml-perf [PAGES]
 *
 * Software counters on the calling thread: page-faults (and minor-faults)
 * around a loop that touches each of PAGES (default 1000) fresh anonymous
 * pages once, last page first (so that neither huge pages nor the port's
 * sequential fill-ahead make one fault serve many pages), must count at
 * least PAGES and not many more; task-clock must
 * count about the CPU time the loop took; context-switches must count at
 * least the 20 sleeps of a loop of nanosleep.  A counter read as a group
 * leader with an enabled/running time.  Hardware counters (cycles,
 * instructions) must be refused with ENOENT or EOPNOTSUPP, as on a
 * machine without a PMU, not crash or count nonsense.
 * Prints "perf: ok (faults F for P pages, ...)" and exits 0, or
 * "perf: FAILED ...".  Runs on the host as well, to compare.
 * A guest test program: built static into /usr/bin of the root image.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

static int bad;

#define EXPECT(cond, what) do {						\
	if (!(cond)) {							\
		printf("perf: FAILED %s (errno %d: %s)\n", what,	\
		       errno, strerror(errno));				\
		bad++;							\
	}								\
} while (0)

static int counter(unsigned int type, unsigned long long config)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = type;
	a.config = config;
	a.disabled = 1;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			PERF_FORMAT_TOTAL_TIME_RUNNING;
	return syscall(__NR_perf_event_open, &a, 0, -1, -1, 0);
}

struct reading {
	unsigned long long value, enabled, running;
};

static struct reading around(int fd, void (*fn)(long), long arg)
{
	struct reading r = { 0 };

	ioctl(fd, PERF_EVENT_IOC_RESET, 0);
	ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);
	fn(arg);
	ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
	if (read(fd, &r, sizeof(r)) != sizeof(r))
		r.value = ~0ULL;
	return r;
}

static void touch_pages(long pages)
{
	volatile char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long i;

	if (p == MAP_FAILED)
		return;
	/* one fault per page: no huge pages, no sequential fill-ahead */
	madvise((void *)p, pages * 4096, MADV_NOHUGEPAGE);
	for (i = pages - 1; i >= 0; i--)
		p[i * 4096] = 1;
	munmap((void *)p, pages * 4096);
}

static void spin(long ms)
{
	struct timespec a, b;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
	do
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
	while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000
	       < ms);
}

static void sleeps(long n)
{
	struct timespec ts = { 0, 1000000 };

	while (n--)
		nanosleep(&ts, NULL);
}

/* a hardware counter: refused, as without a PMU (ENOENT, EOPNOTSUPP) */
static void hardware(const char *name, unsigned long long config)
{
	char what[80];
	int fd;

	errno = 0;
	fd = counter(PERF_TYPE_HARDWARE, config);
	if (fd >= 0) {
		printf("perf: %s: counted by a PMU\n", name);
		close(fd);
		return;
	}
	snprintf(what, sizeof(what), "hardware %s refused with", name);
	EXPECT(errno == ENOENT || errno == EOPNOTSUPP, what);
	printf("perf: %s: %s\n", name, strerror(errno));
}

int main(int argc, char **argv)
{
	long pages = argc > 1 ? atol(argv[1]) : 1000;
	struct reading pf, minf, clk, cs;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (pages < 1) {
		fprintf(stderr, "usage: uml-perf [PAGES]\n");
		return 2;
	}

	fd = counter(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS);
	EXPECT(fd >= 0, "page-faults counter");
	if (fd < 0)
		return 1;
	touch_pages(1);		/* the first mmap's own faults, not counted */
	pf = around(fd, touch_pages, pages);
	close(fd);
	EXPECT(pf.value >= (unsigned long long)pages &&
	       pf.value <= (unsigned long long)pages + 64,
	       "page-faults count not near the pages touched");
	EXPECT(pf.enabled > 0 && pf.running == pf.enabled,
	       "page-faults enabled/running times");

	fd = counter(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN);
	EXPECT(fd >= 0, "minor-faults counter");
	minf = around(fd, touch_pages, pages);
	close(fd);
	EXPECT(minf.value >= (unsigned long long)pages &&
	       minf.value <= (unsigned long long)pages + 64,
	       "minor-faults count not near the pages touched");

	fd = counter(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK);
	EXPECT(fd >= 0, "task-clock counter");
	clk = around(fd, spin, 50);
	close(fd);
	EXPECT(clk.value >= 45000000ULL && clk.value < 500000000ULL,
	       "task-clock of 50 ms of CPU");

	fd = counter(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES);
	EXPECT(fd >= 0, "context-switches counter");
	cs = around(fd, sleeps, 20);
	close(fd);
	EXPECT(cs.value >= 20 && cs.value < 1000,
	       "context-switches of 20 sleeps");

	hardware("cycles", PERF_COUNT_HW_CPU_CYCLES);
	hardware("instructions", PERF_COUNT_HW_INSTRUCTIONS);
	if (bad)
		return 1;
	printf("perf: ok (faults %llu, minor %llu for %ld pages; task-clock %.1f ms for 50 ms; %llu switches for 20 sleeps)\n",
	       pf.value, minf.value, pages, clk.value / 1e6, cs.value);
	return 0;
}
